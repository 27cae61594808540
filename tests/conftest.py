from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bootstrap import build_core
from bot.config import Settings
from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
# Storage and quiz tests run once per backend; CPCBOT_TEST_BACKENDS=sqlite narrows that explicitly.
BACKENDS = [b for b in os.environ.get("CPCBOT_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]
# The storage and scheduler tests: every test in these folders or files that uses a store.
BOTH_BACKENDS = (
    TESTS / "storage",
    TESTS / "reliability",
    TESTS / "quiz" / "test_daily_post.py",
    TESTS / "quiz" / "test_scheduler.py",
    TESTS / "quiz" / "test_standings.py",
    TESTS / "quiz" / "test_quiz_schedule_commands.py",
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    path = metafunc.definition.path
    if "backend" in metafunc.fixturenames and any(path.is_relative_to(d) for d in BOTH_BACKENDS):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_server() -> str:
    from postgres_server import server_url

    return server_url()


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for SQLite; for PostgreSQL a fresh database, dropped after the test."""
    if backend == "sqlite":
        yield None
        return
    from postgres_server import create_database, drop_database

    server = request.getfixturevalue("postgres_server")
    url = create_database(server)
    yield url
    drop_database(server, url)


@pytest.fixture
def settings(tmp_path: Path, database_url: str | None) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "var", database_url=database_url)


@pytest.fixture
def core(settings: Settings) -> BotCore:
    return build_core(settings)


@pytest.fixture
def member() -> Invocation:
    return Invocation(
        platform="console", community_id="c1", channel_id="ch1", user_id="u1", user_name="Member"
    )
