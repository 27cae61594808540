from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
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
async def core(settings: Settings) -> AsyncIterator[BotCore]:
    built = build_core(settings)
    yield built
    await built.aclose()  # an open aiosqlite connection's thread would keep pytest from exiting


@pytest.fixture
def member() -> Invocation:
    return Invocation(
        platform="console", community_id="c1", channel_id="ch1", user_id="u1", user_name="Member"
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A test that leaves a SQLite store open leaves aiosqlite's worker thread running, and pytest would
    hang at exit waiting for it. Stop such connections, and fail the run naming the problem."""
    import gc

    import aiosqlite

    gc.collect()  # unreachable connections stop their own threads when collected
    left_open = [
        obj
        for obj in gc.get_objects()
        if isinstance(obj, aiosqlite.Connection) and obj._connection is not None
    ]
    for connection in left_open:
        connection.stop()
    if left_open:
        print(f"\n{len(left_open)} aiosqlite connection(s) were left open by tests; close every core/store.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
