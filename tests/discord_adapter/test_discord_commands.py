"""Every core command through the real discord.py client: INTERACTION_CREATE in, the interaction
response the bot POSTs out (embeds, ephemeral flag, attachments), plus command sync and autocomplete."""

from __future__ import annotations

from typing import Any

import pytest

from . import interaction_payloads as ip
from .discord_harness import RunningBot
from .fake_discord import GUILD_ID, Recorded

pytestmark = pytest.mark.asyncio(loop_scope="session")

EPHEMERAL = 64


def embed(recorded: Recorded) -> dict[str, Any]:
    embeds = recorded.json["data"]["embeds"]
    assert len(embeds) == 1
    return embeds[0]


def flags(recorded: Recorded) -> int:
    return recorded.json["data"].get("flags") or 0


def field_text(e: dict[str, Any]) -> str:
    return "\n".join(f"{f['name']}: {f['value']}" for f in e.get("fields", []))


@pytest.mark.parametrize(
    ("name", "options", "title", "needles"),
    [
        (
            "salary",
            [ip.option("state", "CA"), ip.option("cert", "CPC")],
            "Medical coder pay in California (CA) — CPC",
            ["$62,300", "$64,070", "≈ $57,500–$69,500"],
        ),
        (
            "salary",
            [ip.option("state", "wyoming"), ip.option("level", "senior")],
            "Medical coder pay in Wyoming (WY)",
            ["Senior (8+ years)", "Mean annual wage — BLS OEWS May 2023"],
        ),
        ("specialty", [], "Medical Coding Salary by Specialty", ["Cardiology", "```"]),
        ("specialty", [ip.option("name", "Cardiology")], "Specialty: Cardiology", ["Salary range"]),
        ("career", [], "Career Path: From Entry-Level Coder", ["```", "Revenue Cycle Manager"]),
        ("outlook", [], "Job Outlook for Medical Coders", ["8%", "7.0%", "Projected Growth"]),
        ("certs", [], "How CPC Certification Impacts Salary", ["```", "AAPC 2025 survey"]),
        ("roadmap", [], "Roadmap: certify, specialise, advance", ["Pay at this step"]),
    ],
)
async def test_each_command_answers_with_an_embed_and_its_sources(
    bot: RunningBot, name: str, options: list[dict[str, Any]], title: str, needles: list[str]
) -> None:
    recorded = await bot.interact(ip.command(name, options))
    assert recorded.json["type"] == 4
    assert flags(recorded) & EPHEMERAL == 0
    e = embed(recorded)
    assert e["title"].lower().startswith(title.lower())
    text = f"{e.get('description', '')}\n{field_text(e)}"
    for needle in needles:
        assert needle in text
    assert "Sources:" in e["footer"]["text"]
    assert recorded.json["data"]["allowed_mentions"] == {"parse": []}


async def test_help_is_ephemeral_and_lists_every_command(bot: RunningBot) -> None:
    recorded = await bot.interact(ip.command("help"))
    assert flags(recorded) & EPHEMERAL
    text = embed(recorded)["description"]
    for example in (
        "/salary state:CA cert:CPC",
        "/compare states:CA,TX,NY",
        "/specialty name:Cardiology",
        "/map",
    ):
        assert example in text


async def test_a_user_error_is_an_ephemeral_embed_naming_the_choices(bot: RunningBot) -> None:
    recorded = await bot.interact(ip.command("salary", [ip.option("state", "Narnia")]))
    assert recorded.json["type"] == 4
    assert flags(recorded) & EPHEMERAL
    e = embed(recorded)
    assert e["title"] == "Sorry, I can't do that"
    assert "California" in e["description"]


async def test_slow_command_defers_then_edits_in_the_chart(bot: RunningBot) -> None:
    payload = ip.command("compare", [ip.option("states", "CA, TX, NY")])
    recorded = await bot.interact(payload)
    assert recorded.json == {"type": 5}  # "thinking…", public
    edit = await bot.fake.wait_for(
        lambda r: r.method == "PATCH" and r.path.endswith(f"/{payload['token']}/messages/@original")
    )
    e = edit.json["embeds"][0]
    assert e["title"] == "Compare: CA, NY, TX"
    assert "```" in e["description"] and "California (CA)" in e["description"]
    assert e["image"]["url"] == "attachment://compare-ca-ny-tx.png"
    assert [a["filename"] for a in edit.json["attachments"]] == ["compare-ca-ny-tx.png"]
    assert edit.json["attachments"][0]["description"].startswith("Bar chart of annual mean pay")
    (filename, data), *_ = edit.files.values()
    assert filename == "compare-ca-ny-tx.png" and data.startswith(b"\x89PNG")


async def test_map_is_deferred_and_attached(bot: RunningBot) -> None:
    payload = ip.command("map")
    assert (await bot.interact(payload)).json["type"] == 5
    edit = await bot.fake.wait_for(lambda r: r.method == "PATCH" and payload["token"] in r.path)
    assert edit.json["embeds"][0]["image"]["url"] == "attachment://pay-map.png"
    assert next(iter(edit.files.values()))[1].startswith(b"\x89PNG")


async def test_an_error_after_deferring_is_sent_privately_not_to_the_channel(bot: RunningBot) -> None:
    payload = ip.command("compare", [ip.option("states", "CA")])
    assert (await bot.interact(payload)).json["type"] == 5
    followup = await bot.fake.wait_for(
        lambda r: r.method == "POST" and r.path.startswith("/webhooks/") and payload["token"] in r.path
    )
    calls = [(r.method, r.path.rsplit("/", 1)[-1]) for r in bot.fake.requests_for(payload["token"])]
    assert ("DELETE", "@original") in calls
    assert calls.index(("DELETE", "@original")) < len(calls) - 1
    assert followup.json["flags"] & EPHEMERAL
    assert "2 to 5" in followup.json["embeds"][0]["description"]


async def test_work_still_running_after_the_deadline_is_deferred(bot: RunningBot) -> None:
    payload = ip.command("ponder")
    first = await bot.interact(payload)
    assert first.json["type"] == 5
    assert not [r for r in bot.fake.requests_for(payload["token"]) if r.method == "PATCH"]
    bot.state.ponder_gate.set()
    edit = await bot.fake.wait_for(lambda r: r.method == "PATCH" and payload["token"] in r.path)
    assert edit.json["embeds"][0]["title"] == "Pondered"


async def test_dm_invocations_work_and_are_never_moderators(bot: RunningBot) -> None:
    salary = await bot.interact(ip.command("salary", [ip.option("state", "TX")], dm=True))
    assert embed(salary)["title"] == "Medical coder pay in Texas (TX)"
    reset = await bot.interact(ip.command("reset", dm=True, permissions=ip.MANAGE_GUILD))
    assert flags(reset) & EPHEMERAL and "Only moderators" in embed(reset)["description"]
    assert bot.state.resets == 0


# ---- moderator commands ------------------------------------------------------------------------
def schedule_payload(permissions: int, hour: int = 9, weekends: bool | None = None) -> dict[str, Any]:
    channel_id = 920000000000000777
    options = [ip.option("channel", str(channel_id), kind=7), ip.option("hour", hour, kind=4)]
    if weekends is not None:
        options.append(ip.option("weekends", weekends, kind=5))
    return ip.command(
        "club",
        options,
        subcommand="schedule",
        resolved=ip.resolved_channel(channel_id),
        permissions=permissions,
    )


async def test_a_member_is_refused_a_moderator_command_and_nothing_is_stored(bot: RunningBot) -> None:
    bot.state.schedules.clear()
    for payload in (schedule_payload(ip.EVERYONE_PERMISSIONS), ip.command("reset")):
        recorded = await bot.interact(payload)
        assert recorded.json["type"] == 4 and flags(recorded) & EPHEMERAL
        assert "Only moderators" in embed(recorded)["description"]
    assert bot.state.schedules == [] and bot.state.resets == 0


async def test_manage_server_members_run_moderator_commands_with_typed_options(bot: RunningBot) -> None:
    bot.state.schedules.clear()
    recorded = await bot.interact(schedule_payload(ip.MANAGE_GUILD, hour=7, weekends=False))
    assert flags(recorded) & EPHEMERAL == 0
    assert embed(recorded)["description"] == "Daily post in <#920000000000000777> at 07:00 UTC."
    assert bot.state.schedules == [
        {"channel": "920000000000000777", "hour": 7, "weekends": False, "by": "950000000000000001"}
    ]
    administrator = await bot.interact(schedule_payload(1 << 3))
    assert embed(administrator)["title"] == "Scheduled"
    assert bot.state.schedules[-1]["weekends"] is True


async def test_out_of_range_option_is_a_polite_error(bot: RunningBot) -> None:
    recorded = await bot.interact(schedule_payload(ip.MANAGE_GUILD, hour=31))
    assert flags(recorded) & EPHEMERAL
    assert "hour" in embed(recorded)["description"]


# ---- command sync ------------------------------------------------------------------------------
async def test_commands_are_synced_to_the_development_guild_with_typed_options(bot: RunningBot) -> None:
    sync = await bot.fake.wait_for(lambda r: r.method == "PUT" and r.path.endswith("/commands"))
    assert sync.path.endswith(f"/guilds/{GUILD_ID}/commands")
    commands = {c["name"]: c for c in sync.json}
    assert {"salary", "compare", "specialty", "career", "outlook", "certs", "roadmap", "map", "help"} <= set(
        commands
    )
    salary = {o["name"]: o for o in commands["salary"]["options"]}
    assert salary["state"]["required"] and salary["state"]["autocomplete"] and salary["state"]["type"] == 3
    assert salary["cert"]["autocomplete"] and not salary["cert"]["required"]
    assert [c["value"] for c in salary["level"]["choices"]] == ["entry", "mid", "senior"]
    assert commands["salary"]["default_member_permissions"] is None
    assert str(commands["reset"]["default_member_permissions"]) == "32"  # Manage Server
    club = commands["club"]
    assert club["default_member_permissions"] is None  # /club status is for everyone
    schedule = next(o for o in club["options"] if o["name"] == "schedule")
    assert schedule["type"] == 1
    typed = {o["name"]: (o["type"], o["required"]) for o in schedule["options"]}
    assert typed == {"channel": (7, True), "hour": (4, True), "weekends": (5, False)}
    assert next(o for o in schedule["options"] if o["name"] == "channel")["channel_types"] == [0, 5]


# ---- autocomplete ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("command", "option", "typed", "expected"),
    [
        ("salary", "state", "cal", {"name": "California (CA)", "value": "CA"}),
        ("salary", "state", "new y", {"name": "New York (NY)", "value": "NY"}),
        ("salary", "cert", "cr", {"name": "CRC (Risk Adjustment/HCC)", "value": "CRC"}),
        ("specialty", "name", "card", {"name": "Cardiology", "value": "Cardiology"}),
    ],
)
async def test_autocomplete_suggests_choices(
    bot: RunningBot, command: str, option: str, typed: str, expected: dict[str, str]
) -> None:
    payload = ip.autocomplete(command, [ip.option(option, typed, focused=True)])
    recorded = await bot.interact(payload)
    assert recorded.json["type"] == 8
    choices = recorded.json["data"]["choices"]
    assert choices[0] == expected
    assert 1 <= len(choices) <= 25


async def test_autocomplete_with_nothing_typed_offers_at_most_25(bot: RunningBot) -> None:
    recorded = await bot.interact(ip.autocomplete("salary", [ip.option("state", "", focused=True)]))
    assert len(recorded.json["data"]["choices"]) == 25
