"""Hostile and random input to every command: never a crash, never a stored row, never a mass ping."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.bootstrap import build_core
from bot.config import Settings
from bot.core.invocation import Invocation

HOSTILE = st.sampled_from(
    [
        "@everyone",
        "@here",
        "<@&123>",
        "'; DROP TABLE answers;--",
        "**bold** `code` ~~x~~",
        "\u202eevil",
        "x" * 5000,
        "\x00\x07",
        "<!channel>",
        "09:00\n/quiz now",
    ]
)
TEXT = st.one_of(
    HOSTILE,
    st.text(max_size=300),
    st.text(alphabet=st.characters(categories=["Cc", "Zs", "So"]), max_size=50),
)


def test_every_command_survives_hostile_input(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    core = build_core(Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("fuzz")))
    member = Invocation(platform="discord", community_id="g", channel_id="c", user_id="u", user_name="M")
    names = sorted(core.commands)
    loop = asyncio.new_event_loop()

    async def stored_rows() -> int:
        total = 0
        for table in ("schedules", "posts", "answers"):
            total += await core.services.storage.fetch_value(f"SELECT COUNT(*) FROM {table}")
        return total

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        name=st.sampled_from(names),
        option=st.sampled_from(
            [
                "state",
                "states",
                "name",
                "query",
                "topic",
                "time",
                "timezone",
                "days",
                "channel",
                "letter",
                "cert",
                "bogus",
            ]
        ),
        value=TEXT,
        line=TEXT,
    )
    def check(name: str, option: str, value: str, line: str) -> None:
        by_option = loop.run_until_complete(core.run(name, {option: value}, member))
        by_line = loop.run_until_complete(core.run_line(f"/{name} {line}", member))
        for reply in (by_option, by_line):
            assert reply.title or reply.text
            assert "Something went wrong on our side" not in reply.text, (name, option, value, line)
            shown = f"{reply.title} {reply.text} {' '.join(f.value for f in reply.fields)}"
            assert "@everyone" not in shown or reply.is_error
        assert loop.run_until_complete(stored_rows()) == 0  # a member's hostile input never stores anything

    try:
        check()
    finally:
        loop.run_until_complete(core.aclose())
        loop.close()
