"""Posts each channel's daily question at its scheduled minute, and closes the previous one.

Every pass looks at each unpaused schedule of this process's platform and asks whether a post is
due: its local post time has passed today (or yesterday, across midnight) and is within the grace
window (6 h by default), so a bot that was down at 09:00 still posts at 10:30 but not the next
evening. Due channels are posted concurrently, paced per platform (:mod:`bot.core.pacing`) and
retried by :mod:`bot.core.sending`. The database claim makes a repeated pass, a restart or a second process harmless: each
(channel, day) is posted once. A retryable delivery failure releases the claim and the next pass
(a minute later) tries again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from typing import TypeVar

from bot.core.delivery import DeliveryError, PostRef
from bot.core.replies import Reply
from bot.core.sending import sender_for
from bot.core.services import Services
from bot.ops.metrics import ERRORS
from bot.quiz import daily_post
from bot.quiz.schedule_rules import ScheduleRule
from bot.storage.posts import Post
from bot.storage.schedules import Schedule

log = logging.getLogger(__name__)
GRACE = timedelta(hours=6)
TICK_SECONDS = 60.0
T = TypeVar("T")
R = TypeVar("R")


def _due_instants(rule: ScheduleRule, now: datetime, grace: timedelta) -> tuple[tuple[date, datetime], ...]:
    """The (local day, instant) posts of this rule that are due at ``now``: today's or yesterday's
    (across midnight), once their time has passed and within the grace window. Depends on the rule
    only, so a pass computes it once for all the schedules sharing a rule."""
    today = now.astimezone(rule.zone).date()
    due = []
    for day in (today, today - timedelta(days=1)):
        if rule.posts_on(day):
            instant = rule.local_post_instant(day)
            if instant <= now < instant + grace:
                due.append((day, instant))
    return tuple(due)


def _first_due(due: tuple[tuple[date, datetime], ...], updated_at: datetime) -> date | None:
    for day, instant in due:
        if (
            instant >= updated_at
        ):  # set or resumed after this time: the first post is the next one, not a catch-up
            return day
    return None


def reveal_reply(services: Services, post: Post, answers: int, correct: int) -> Reply:
    question = services.questions.by_id.get(post.question_id)
    share = (
        f"{round(100 * correct / answers)}% of {answers} answered correctly" if answers else "No one answered"
    )
    if question is None:
        return Reply(title=f"Daily CPC question — {post.quiz_date:%a %d %b %Y} (closed)", text=share)
    options = "\n".join(f"**{x}.** {question.options[x]}" for x in question.options)
    return Reply(
        title=f"Daily CPC question — {post.quiz_date:%a %d %b %Y} (closed)",
        text=f"{' '.join(question.stem.split())}\n\n{options}\n\n**Answer: {question.answer}.** "
        f"{question.explanation.correct}\n\n{share}.",
        footer=f"Reference: {question.reference}",
    )


class QuizScheduler:
    def __init__(self, services: Services, platform: str, grace: timedelta = GRACE):
        self.services = services
        self.platform = platform
        self.grace = grace

    async def run_due(self, now: datetime | None = None) -> list[Post]:
        """One pass: post what is due, then close what the new posts replace. Returns the posts made.

        Due channels are posted concurrently by at most ``fanout_concurrency`` workers, all drawing
        on the platform's one pacer, so the pass takes about channels / rate seconds however slow
        each request is. The reveal edits come after every post, so they never delay a question."""
        now = now or self.services.clock()
        schedules = self.services.storage.schedules
        due: list[tuple[Schedule, date]] = []
        for key, rule in await schedules.active_rules(self.platform):
            instants = _due_instants(rule, now, self.grace)
            if instants:  # only the schedules of rules due now are read
                found = await schedules.active_with_rule(
                    self.platform, key, rule, [day for day, _ in instants]
                )
                for schedule, posted in found:
                    day = _first_due(instants, schedule.updated_at)
                    if day is not None and day not in posted:  # later passes in the window write nothing
                        due.append((schedule, day))
        made = await self._bounded(due, lambda item: self._post(*item, now))
        posted = [(item, post) for item, post in zip(due, made, strict=True) if post is not None]
        await self._bounded(posted, lambda entry: self._close_previous(*entry[0]))
        return [post for _, post in posted]

    async def _bounded(self, items: Sequence[T], work: Callable[[T], Awaitable[R]]) -> list[R]:
        """``work`` on every item, at most ``fanout_concurrency`` at a time; results in item order."""
        results: list[R | None] = [None] * len(items)
        indexes = iter(range(len(items)))

        async def worker() -> None:
            for i in indexes:  # a shared iterator: each index is taken by exactly one worker
                results[i] = await work(items[i])

        workers = min(len(items), self.services.settings.fanout_concurrency)
        async with asyncio.TaskGroup() as group:
            for _ in range(workers):
                group.create_task(worker())
        return results  # type: ignore[return-value]

    async def _post(self, schedule: Schedule, day: date, now: datetime) -> Post | None:
        try:
            return await daily_post.post_daily(
                self.services,
                schedule.community_id,
                schedule.channel_id,
                self.platform,
                day,
                schedule.topics,
                now,
            )
        except DeliveryError as exc:
            ERRORS.labels("delivery").inc()
            log.warning(
                "daily post for %s/%s failed (%s)%s",
                schedule.community_id,
                schedule.channel_id,
                exc,
                "; will retry" if exc.retryable else "",
            )
        except Exception:  # one channel's failure must not stop the others
            ERRORS.labels("scheduler").inc()
            log.exception("daily post for %s/%s failed", schedule.community_id, schedule.channel_id)
        return None

    async def _close_previous(self, schedule: Schedule, day: date) -> None:
        sender = sender_for(self.services, self.platform)
        try:
            closed = await self.services.storage.posts.close_before(
                schedule.community_id, schedule.channel_id, day
            )
        except Exception:
            ERRORS.labels("scheduler").inc()
            log.exception(
                "closing the previous post in %s/%s failed", schedule.community_id, schedule.channel_id
            )
            return
        for post, answers, correct in closed:
            await self.services.edits.finish(post.id)  # no live-count edit may land after the reveal
            if sender is None or post.message_id is None:
                continue
            try:
                ref = PostRef(platform=post.platform, channel_id=post.channel_id, message_id=post.message_id)
                await sender.edit(ref, reveal_reply(self.services, post, answers, correct))
            except Exception as exc:  # the close is recorded; a failed edit only leaves the old text
                log.warning("could not reveal the answer on post %s: %s", post.id, type(exc).__name__)

    async def run_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.run_due()
            except Exception:
                ERRORS.labels("scheduler").inc()
                log.exception("scheduler pass failed; trying again next minute")
            try:
                await asyncio.wait_for(stop.wait(), TICK_SECONDS)
            except TimeoutError:
                pass


@asynccontextmanager
async def scheduler_running(services: Services, platform: str) -> AsyncIterator[QuizScheduler]:
    """Run the scheduler beside a long-running adapter; stop it cleanly when the adapter stops."""
    scheduler = QuizScheduler(services, platform)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler.run_forever(stop))
    try:
        yield scheduler
    finally:
        stop.set()
        await task
