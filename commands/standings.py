"""/streak, /leaderboard, /review and /quiz forget-me: a member's daily-question record."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from bot.core.commands import CommandSpec, Context
from bot.core.replies import Button, Reply, ReplyField
from bot.quiz.standings import RULE, AnswerRow, PostRow, Standing, all_standings, standing
from commands.practice import ACTION as PRACTICE_ACTION
from commands.practice import question_text

REVIEW_AFTER = timedelta(days=1)


async def _history(
    ctx: Context, since: date | None = None, user_id: str | None = None
) -> tuple[list[PostRow], list[AnswerRow]]:
    posts, answers = await ctx.services.storage.posts.community_history(
        ctx.invocation.community_id, since, user_id
    )
    return _post_rows(ctx, posts), [AnswerRow(a[0], a[1], a[2], bool(a[3])) for a in answers]


def _post_rows(ctx: Context, posts: list[tuple]) -> list[PostRow]:  # type: ignore[type-arg]
    bank = ctx.services.questions
    return [
        PostRow(
            p[0], date.fromisoformat(p[1]), p[2], p[3], q.topic if (q := bank.by_id.get(p[3])) else "retired"
        )
        for p in posts
    ]


async def streak(ctx: Context, _opts: BaseModel) -> Reply:
    posts, answers = await _history(ctx, user_id=ctx.invocation.user_id)
    mine = {a.post_id: a for a in answers}
    me = standing(ctx.invocation.user_id, posts, mine)
    fields = [
        ReplyField(name="Current streak", value=str(me.current)),
        ReplyField(name="Best streak", value=str(me.best)),
        ReplyField(name="Saves held", value=str(me.saves)),
        ReplyField(name="Answered", value=str(me.answered)),
        ReplyField(name="Correct", value=str(me.correct)),
        ReplyField(name="Accuracy", value=f"{me.accuracy:.0%}" if me.answered else "—"),
    ]
    titles = {t.key: t.title for t in ctx.services.questions.topics}
    topics = sorted(me.by_topic, key=lambda t: (-me.by_topic[t], t))
    if topics:
        lines = [f"{titles.get(t, t)}: {me.right_by_topic[t]}/{me.by_topic[t]}" for t in topics]
        fields.append(ReplyField(name="Accuracy by exam topic", value="\n".join(lines), inline=False))
    text = RULE if me.answered else f"You haven't answered a daily question here yet. {RULE}"
    return Reply(
        title="Your daily-question record",
        text=text,
        fields=fields,
        ephemeral=True,
    )


class LeaderboardOptions(BaseModel):
    period: Literal["month", "all"] = Field(default="month", description="This month (default) or all time")


def _top(rows: list[Standing], key, label: str, show) -> ReplyField:  # type: ignore[no-untyped-def]
    def order(s: Standing) -> tuple[float | str, ...]:
        value = key(s)
        return (*(-x for x in (value if isinstance(value, tuple) else (value,))), s.user_name)

    ranked = sorted((s for s in rows if s.answered), key=order)[:10]
    value = "\n".join(f"{i}. {s.user_name} — {show(s)}" for i, s in enumerate(ranked, 1)) or "No answers yet."
    return ReplyField(name=label, value=value)


async def leaderboard(ctx: Context, opts: LeaderboardOptions) -> Reply:
    today = ctx.services.clock().date()
    since = today.replace(day=1) if opts.period == "month" else None
    posts, answers = await ctx.services.storage.posts.community_history(ctx.invocation.community_id, since)
    rows = all_standings(_post_rows(ctx, posts), answers, topics=False)  # the rows as read: no copies
    scope = f"{today:%B %Y}" if since else "all time"
    return Reply(
        title=f"Leaderboard — {scope}",
        text="Monthly by default so newcomers can compete; /leaderboard period:all for all time.",
        fields=[
            _top(rows, lambda s: s.current, "Current streak", lambda s: str(s.current)),
            _top(rows, lambda s: s.best, "Best streak", lambda s: str(s.best)),
            _top(
                rows,
                lambda s: (s.accuracy, s.answered),
                "Accuracy",
                lambda s: f"{s.accuracy:.0%} of {s.answered}",
            ),
        ],
    )


async def review(ctx: Context, _opts: BaseModel) -> Reply:
    """Re-ask, privately, the oldest question you got wrong at least a day ago (spaced out: a fresh
    miss waits a day). Reviewing is practice: it never changes your streak."""
    inv = ctx.invocation
    wrong = await ctx.services.storage.posts.wrong_answers(
        inv.community_id, inv.user_id, ctx.services.clock() - REVIEW_AFTER
    )
    bank = ctx.services.questions
    due = [bank.by_id[q] for q, _ in wrong if q in bank.by_id]
    if not due:
        return Reply(
            title="Nothing to review yet",
            text="Questions you answer wrong come back here a day later, so the review is spaced out.",
            ephemeral=True,
        )
    question = due[(ctx.services.clock().toordinal()) % len(due)]
    return Reply(
        title=f"Review ({len(due)} to revisit)",
        text=question_text(question),
        buttons=[
            Button(label=x, action=f"{PRACTICE_ACTION}:{question.id}:{x}", style="primary") for x in "ABCD"
        ],
        footer="Only you see this; reviewing does not change your streak.",
        ephemeral=True,
    )


async def forget_me(ctx: Context, _opts: BaseModel) -> Reply:
    removed = await ctx.services.storage.posts.forget_member(
        ctx.invocation.community_id, ctx.invocation.user_id
    )
    return Reply(
        title="Your data is deleted",
        text=f"Removed {removed} answer{'s' if removed != 1 else ''} and with them your streaks and standings here.",
        ephemeral=True,
    )


COMMANDS = [
    CommandSpec("streak", "Your streak, saves, accuracy and the streak rule", streak, example="/streak"),
    CommandSpec(
        "leaderboard",
        "Top 10 by streak and accuracy (this month or all time)",
        leaderboard,
        LeaderboardOptions,
        example="/leaderboard period:month",
    ),
    CommandSpec("review", "Privately re-ask a daily question you got wrong", review, example="/review"),
    CommandSpec(
        "forget-me",
        "Delete your own daily-question answers here",
        forget_me,
        group="quiz",
        example="/quiz forget-me",
    ),
]
