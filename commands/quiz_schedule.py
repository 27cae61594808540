"""/quiz schedule, pause, resume and status: when each channel gets the daily CPC question.

Only moderators change schedules (the core refuses others before a handler runs); everyone may see
the status. Every option is validated before anything is written, so bad input stores nothing.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from bot.core.commands import CommandSpec, Context
from bot.core.errors import UserError
from bot.core.replies import Reply, ReplyField
from bot.core.time_display import local_time
from bot.quiz.schedule_rules import DAYS_FORM, TIME_FORM, days_label, rule_from_text
from bot.storage.schedules import Schedule

_SLACK_CHANNEL = re.compile(r"^<#([A-Z0-9]+)(?:\|[^>]*)?>$")
_CHANNEL_ID = re.compile(r"^[A-Za-z0-9_\-]{1,80}$")
CHANNEL_HELP = "Pick a channel (Discord), mention it like #general (Slack), or type its name (console)."


def channel_id(ctx: Context, text: str | None) -> str:
    """The channel option as a platform channel id; this channel when left out."""
    if not text:
        return ctx.invocation.channel_id
    raw = text.strip()
    match = _SLACK_CHANNEL.match(raw)
    value = match.group(1) if match else raw.lstrip("#")
    if not _CHANNEL_ID.match(value):
        raise UserError(f"{raw[:40]!r} is not a channel I can post in. {CHANNEL_HELP}")
    return value


def _channel_field(channel: str) -> str:
    return (
        f"<#{channel}>" if channel.isdigit() or (channel[:1] in "CG" and channel.isupper()) else f"#{channel}"
    )


class ScheduleOptions(BaseModel):
    time: str = Field(description=f"Post time, {TIME_FORM}", max_length=10)
    timezone: str = Field(description="IANA time zone, e.g. America/New_York", max_length=64)
    days: str = Field(default="daily", description=DAYS_FORM, max_length=40)
    channel: str | None = Field(
        default=None,
        description="Channel to post in (default: this one)",
        max_length=100,
        json_schema_extra={"channel": True},
    )
    topics: str | None = Field(
        default=None, description="Only these topics, comma-separated, e.g. icd10,hcpcs", max_length=200
    )


class ChannelOptions(BaseModel):
    channel: str | None = Field(
        default=None,
        description="Channel (default: this one)",
        max_length=100,
        json_schema_extra={"channel": True},
    )


def _topics(ctx: Context, text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    bank = ctx.services.questions
    keys: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        topic = bank.find_topic(part)
        if topic is None:
            raise UserError(
                f"I don't know the topic {part[:40]!r}. Topics: {', '.join(t.key for t in bank.topics)}."
            )
        if topic.key not in keys:
            keys.append(topic.key)
    return tuple(keys)


def _describe(ctx: Context, schedule: Schedule) -> str:
    rule = schedule.rule
    when = f"{rule.post_time:%H:%M} {rule.timezone}, {days_label(rule.days)}"
    topics = ", ".join(schedule.topics) if schedule.topics else "all topics"
    if schedule.paused:
        return f"{when}; {topics}. Paused: no questions until a moderator runs /quiz resume."
    after = max(ctx.services.clock(), ctx.invocation.at)
    following = local_time(rule.next_post(after), ctx.invocation.platform, rule.timezone)
    return f"{when}; {topics}. Next question: {following}."


async def schedule(ctx: Context, opts: ScheduleOptions) -> Reply:
    rule = rule_from_text(opts.time, opts.timezone, opts.days)
    topics = _topics(ctx, opts.topics)
    channel = channel_id(ctx, opts.channel)
    inv = ctx.invocation
    saved = Schedule(
        community_id=inv.community_id,
        channel_id=channel,
        platform=inv.platform,
        rule=rule,
        topics=topics,
        updated_by=inv.user_id,
        updated_at=ctx.services.clock(),
    )
    await ctx.services.storage.schedules.save(saved)
    return Reply(
        title="Daily question scheduled",
        text=f"{_channel_field(channel)}: {_describe(ctx, saved)}",
        footer="The time stays at the same local time across daylight-saving changes.",
        ephemeral=True,
    )


async def _set_paused(ctx: Context, opts: ChannelOptions, paused: bool) -> Reply:
    channel = channel_id(ctx, opts.channel)
    inv = ctx.invocation
    changed = await ctx.services.storage.schedules.set_paused(
        inv.community_id, channel, paused, inv.user_id, ctx.services.clock()
    )
    if not changed:
        raise UserError(
            f"{_channel_field(channel)} has no daily-question schedule. Create one with /quiz schedule."
        )
    verb = "paused" if paused else "resumed"
    note = (
        "No questions are posted until it is resumed."
        if paused
        else "Questions start again at the next scheduled time."
    )
    return Reply(
        title=f"Daily question {verb}", text=f"{_channel_field(channel)}: {verb}. {note}", ephemeral=True
    )


async def pause(ctx: Context, opts: ChannelOptions) -> Reply:
    return await _set_paused(ctx, opts, True)


async def resume(ctx: Context, opts: ChannelOptions) -> Reply:
    return await _set_paused(ctx, opts, False)


async def status(ctx: Context, _opts: BaseModel) -> Reply:
    schedules = await ctx.services.storage.schedules.for_community(ctx.invocation.community_id)
    if not schedules:
        return Reply(
            title="No daily question yet",
            text="No channel here has a daily-question schedule. A moderator can add one with "
            "/quiz schedule time:09:00 timezone:America/New_York days:weekdays.",
            ephemeral=True,
        )
    fields = [
        ReplyField(name=_channel_field(s.channel_id), value=_describe(ctx, s), inline=False)
        for s in schedules
    ]
    return Reply(title="Daily question schedules", fields=fields, ephemeral=True)


COMMANDS = [
    CommandSpec(
        "schedule",
        "Set when a channel gets the daily question (moderators)",
        schedule,
        ScheduleOptions,
        group="quiz",
        moderator_only=True,
        example="/quiz schedule time:09:00 timezone:America/New_York days:weekdays",
    ),
    CommandSpec(
        "pause",
        "Pause a channel's daily question (moderators)",
        pause,
        ChannelOptions,
        group="quiz",
        moderator_only=True,
        example="/quiz pause",
    ),
    CommandSpec(
        "resume",
        "Resume a channel's daily question (moderators)",
        resume,
        ChannelOptions,
        group="quiz",
        moderator_only=True,
        example="/quiz resume",
    ),
    CommandSpec(
        "status",
        "This community's daily-question schedules and next post times",
        status,
        group="quiz",
        example="/quiz status",
    ),
]
