from __future__ import annotations

from pathlib import Path

import pytest

from bot.bootstrap import build_core
from bot.config import Settings
from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "var")


@pytest.fixture
def core(settings: Settings) -> BotCore:
    return build_core(settings)


@pytest.fixture
def member() -> Invocation:
    return Invocation(
        platform="console", community_id="c1", channel_id="ch1", user_id="u1", user_name="Member"
    )
