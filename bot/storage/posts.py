"""Daily-question posts and their answers.

Exactly once per (community, channel, quiz date) comes from the UNIQUE constraint: a process claims
the row first (state 'claimed'), sends, then records the message id (state 'posted'). A claim whose
sender died before recording is taken over only after ``STALE_CLAIM`` has passed, by a conditional
UPDATE that one process at most can win; the taker keeps the claim's id and question and looks for
its message before sending (the dead sender may have posted it). One answer per member comes from the
(post, user) primary key: the insert either commits or conflicts, so a second click can never count
twice.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from bot.storage.answer_batches import AnswerBatcher, AnswerIn, AnswerResult

if TYPE_CHECKING:
    from bot.storage.store import Store

STALE_CLAIM = timedelta(minutes=10)
_POST_COLUMNS = (
    "id, community_id, channel_id, platform, quiz_date, question_id, state, message_id, claimed_at, posted_at"
)


class Post(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    community_id: str
    channel_id: str
    platform: str
    quiz_date: date
    question_id: str
    state: Literal["claimed", "posted", "closed"]
    message_id: str | None
    claimed_at: datetime
    posted_at: datetime | None

    @classmethod
    def from_row(cls, row: tuple) -> Post:  # type: ignore[type-arg]
        return cls(
            id=row[0],
            community_id=row[1],
            channel_id=row[2],
            platform=row[3],
            quiz_date=date.fromisoformat(row[4]),
            question_id=row[5],
            state=row[6],
            message_id=row[7],
            claimed_at=datetime.fromisoformat(row[8]),
            posted_at=datetime.fromisoformat(row[9]) if row[9] else None,
        )


class PostRepository:
    def __init__(self, store: Store):
        self.store = store
        self._answers = AnswerBatcher(store)

    async def claim(
        self,
        community_id: str,
        channel_id: str,
        platform: str,
        quiz_date: date,
        question_id: str,
        now: datetime,
        post_id: str | None = None,
    ) -> Post | None:
        """Claim the day's post for this channel; None when another claim or post already holds it.
        A stale claim taken over keeps its id and question (its message may exist: a send that timed
        out), so the returned id differs from ``post_id`` exactly when an earlier claim is taken over."""
        post_id = post_id or uuid.uuid4().hex
        stamp = now.astimezone(UTC).isoformat()
        async with self.store.transaction() as tx:
            claimed = await tx.execute(
                f"INSERT INTO posts ({_POST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 'claimed', NULL, ?, NULL) "
                "ON CONFLICT (community_id, channel_id, quiz_date) DO NOTHING",
                (post_id, community_id, channel_id, platform, quiz_date.isoformat(), question_id, stamp),
            )
            if claimed != 1:
                cutoff = (now - STALE_CLAIM).astimezone(UTC).isoformat()
                claimed = await tx.execute(
                    "UPDATE posts SET claimed_at = ? WHERE community_id = ? AND channel_id = ? "
                    "AND quiz_date = ? AND state = 'claimed' AND claimed_at < ?",
                    (stamp, community_id, channel_id, quiz_date.isoformat(), cutoff),
                )
                if claimed != 1:
                    return None
            row = await tx.fetch_one(
                f"SELECT {_POST_COLUMNS} FROM posts WHERE community_id = ? AND channel_id = ? AND quiz_date = ?",
                (community_id, channel_id, quiz_date.isoformat()),
            )
            return Post.from_row(row)  # type: ignore[arg-type]

    async def mark_posted(self, post_id: str, message_id: str, now: datetime) -> None:
        async with self.store.transaction() as tx:
            await tx.execute(
                "UPDATE posts SET state = 'posted', message_id = ?, posted_at = ? WHERE id = ? AND state = 'claimed'",
                (message_id, now.astimezone(UTC).isoformat(), post_id),
            )

    async def release(self, post_id: str) -> None:
        """Give a claim back after a failed send, so the next attempt can post."""
        async with self.store.transaction() as tx:
            await tx.execute("DELETE FROM posts WHERE id = ? AND state = 'claimed'", (post_id,))

    async def get(self, post_id: str) -> Post | None:
        row = await self.store.fetch_one(f"SELECT {_POST_COLUMNS} FROM posts WHERE id = ?", (post_id,))
        return Post.from_row(row) if row else None

    async def latest_open(self, community_id: str, channel_id: str) -> Post | None:
        row = await self.store.fetch_one(
            f"SELECT {_POST_COLUMNS} FROM posts WHERE community_id = ? AND channel_id = ? AND state = 'posted' "
            "ORDER BY quiz_date DESC LIMIT 1",
            (community_id, channel_id),
        )
        return Post.from_row(row) if row else None

    async def used_questions(self, community_id: str) -> set[str]:
        rows = await self.store.fetch_all(
            "SELECT question_id FROM posts WHERE community_id = ?", (community_id,)
        )
        return {row[0] for row in rows}

    async def record_answer(
        self, post: Post, user_id: str, user_name: str, letter: str, correct: bool, now: datetime
    ) -> AnswerResult:
        """Insert the member's first answer; a repeat changes nothing and returns the first one.
        Returns after the answer's transaction has committed (answers arriving together share one)."""
        return await self._answers.record(
            AnswerIn(
                post_id=post.id,
                community_id=post.community_id,
                user_id=user_id,
                user_name=user_name,
                letter=letter,
                correct=correct,
                answered_at=now.astimezone(UTC).isoformat(),
            )
        )

    async def close_before(
        self, community_id: str, channel_id: str, quiz_date: date
    ) -> list[tuple[Post, int, int]]:
        """Close this channel's open posts from before ``quiz_date``; each with (answers, correct)."""
        closed: list[tuple[Post, int, int]] = []  # counts come from the post row, kept with each answer
        if not await self.store.fetch_one(  # nothing open (a channel's first post): no write transaction
            "SELECT 1 FROM posts WHERE community_id = ? AND channel_id = ? AND state = 'posted' AND quiz_date < ?",
            (community_id, channel_id, quiz_date.isoformat()),
        ):
            return closed
        async with self.store.transaction() as tx:
            rows = await tx.fetch_all(
                f"SELECT {_POST_COLUMNS} FROM posts WHERE community_id = ? AND channel_id = ? AND state = 'posted' "
                "AND quiz_date < ?",
                (community_id, channel_id, quiz_date.isoformat()),
            )
            for post in map(Post.from_row, rows):
                counted = await tx.fetch_one(
                    "UPDATE posts SET state = 'closed' WHERE id = ? AND state = 'posted' RETURNING answers, correct_answers",
                    (post.id,),
                )
                if counted is not None:  # another process may have closed it first
                    closed.append((post, int(counted[0]), int(counted[1])))
        return closed

    async def community_history(
        self, community_id: str, since: date | None = None, user_id: str | None = None
    ) -> tuple[list[tuple], list[tuple]]:  # type: ignore[type-arg]
        """Posts (id, quiz_date, state, question_id) in order, and answers (post_id, user_id,
        user_name, correct), for one community, optionally from ``since`` on and only one member's
        answers (read through the (community, user) index, so /streak costs that member's rows)."""
        start = (since or date.min).isoformat()
        posts = await self.store.fetch_all(
            "SELECT id, quiz_date, state, question_id FROM posts WHERE community_id = ? AND state != 'claimed' "
            "AND quiz_date >= ? ORDER BY quiz_date, posted_at, id",
            (community_id, start),
        )
        member, params = (
            ("AND a.user_id = ? ", (community_id, user_id, start)) if user_id else ("", (community_id, start))
        )
        answers = await self.store.fetch_all(
            "SELECT a.post_id, a.user_id, a.user_name, a.correct FROM answers a JOIN posts p ON p.id = a.post_id "
            f"WHERE a.community_id = ? {member}AND p.quiz_date >= ?",
            params,
        )
        return posts, answers

    async def wrong_answers(self, community_id: str, user_id: str, before: datetime) -> list[tuple[str, str]]:
        """(question_id, answered_at) of this member's wrong answers older than ``before``, oldest first."""
        rows = await self.store.fetch_all(
            "SELECT p.question_id, a.answered_at FROM answers a JOIN posts p ON p.id = a.post_id "
            "WHERE a.community_id = ? AND a.user_id = ? AND a.correct = 0 AND a.answered_at < ? ORDER BY a.answered_at",
            (community_id, user_id, before.astimezone(UTC).isoformat()),
        )
        return [(r[0], r[1]) for r in rows]

    async def forget_member(self, community_id: str, user_id: str) -> int:
        """Delete every answer this member gave in this community, and take them off the posts'
        counts in the same transaction; returns how many."""
        mine = "a.community_id = ? AND a.user_id = ?"
        async with self.store.transaction() as tx:
            await tx.execute(
                f"UPDATE posts SET answers = answers - (SELECT COUNT(*) FROM answers a WHERE a.post_id = posts.id AND {mine}), "
                f"correct_answers = correct_answers - (SELECT COALESCE(SUM(a.correct), 0) FROM answers a "
                f"WHERE a.post_id = posts.id AND {mine}) WHERE id IN (SELECT a.post_id FROM answers a WHERE {mine})",
                (community_id, user_id) * 3,
            )
            removed = await tx.execute(
                "DELETE FROM answers WHERE community_id = ? AND user_id = ?", (community_id, user_id)
            )
        return removed
