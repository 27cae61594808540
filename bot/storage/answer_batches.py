"""Group commit for answers: members pressing at once share one transaction.

Each caller waits for the transaction holding its answer to commit, so an answer is still acknowledged
only after it is durable, but a burst of presses costs one commit per batch instead of one per press.
There is no added delay: the first press writes at once, and presses that arrive while it is being
written form the next batch. The (post, user) primary key with ``ON CONFLICT DO NOTHING … RETURNING``
decides which answers are first, across batches and across processes.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from bot.storage.store import Store, Transaction

MAX_BATCH = 256  # 7 parameters each: well inside SQLite's and PostgreSQL's limits


class AnswerIn(BaseModel):
    model_config = ConfigDict(frozen=True)

    post_id: str
    community_id: str
    user_id: str
    user_name: str
    letter: str
    correct: bool
    answered_at: str


class AnswerResult(BaseModel):
    """The member's first answer (this one if ``recorded``) and the post's counts after it."""

    model_config = ConfigDict(frozen=True)

    recorded: bool
    letter: str
    correct: bool
    answers: int
    correct_answers: int


class AnswerBatcher:
    def __init__(self, store: Store):
        self.store = store
        self._pending: list[tuple[AnswerIn, asyncio.Future[AnswerResult]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, answer: AnswerIn) -> AnswerResult:
        future: asyncio.Future[AnswerResult] = asyncio.get_running_loop().create_future()
        self._pending.append((answer, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        return await asyncio.shield(future)  # a caller giving up must not cancel the others' commit

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            try:
                await self._commit(batch)
            except Exception:
                if len(batch) == 1:
                    continue  # its caller already has the exception
                # Nothing committed. Write each answer alone, so one bad answer fails only its caller.
                for one in batch:
                    try:
                        await self._commit([one])
                    except Exception:
                        continue
            except BaseException:  # cancelled (shutdown): nobody is left waiting forever
                for _, future in batch + self._pending:
                    future.cancel()
                self._pending = []
                raise

    async def _commit(self, batch: list[tuple[AnswerIn, asyncio.Future[AnswerResult]]]) -> None:
        try:
            async with self.store.transaction() as tx:
                results = await write_batch(tx, [answer for answer, _ in batch])
        except Exception as exc:
            if len(batch) == 1 and not batch[0][1].done():
                batch[0][1].set_exception(exc)
            raise
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)


async def write_batch(tx: Transaction, batch: list[AnswerIn]) -> list[AnswerResult]:
    """Insert every first answer in one statement, bump each post's counts once, and read back the
    earlier answer for every repeat. Returns one result per input, in order."""
    firsts: dict[tuple[str, str], AnswerIn] = {}
    for answer in batch:
        firsts.setdefault((answer.post_id, answer.user_id), answer)
    values = ", ".join("(?, ?, ?, ?, ?, ?, ?)" for _ in firsts)
    params: list[object] = []
    for a in firsts.values():
        params += [
            a.post_id,
            a.community_id,
            a.user_id,
            a.user_name[:80],
            a.letter,
            int(a.correct),
            a.answered_at,
        ]
    inserted = {
        (row[0], row[1])
        for row in await tx.fetch_all(
            "INSERT INTO answers (post_id, community_id, user_id, user_name, letter, correct, answered_at) "
            f"VALUES {values} ON CONFLICT (post_id, user_id) DO NOTHING RETURNING post_id, user_id",
            params,
        )
    }
    added: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key in inserted:
        added[key[0]][0] += 1
        added[key[0]][1] += int(firsts[key].correct)
    counts: dict[str, tuple[int, int]] = {}
    for post_id in sorted({a.post_id for a in batch}):  # sorted: processes lock posts in one order
        n, right = added.get(post_id, (0, 0))
        if n:
            row = await tx.fetch_one(
                "UPDATE posts SET answers = answers + ?, correct_answers = correct_answers + ? WHERE id = ? "
                "RETURNING answers, correct_answers",
                (n, right, post_id),
            )
        else:
            row = await tx.fetch_one("SELECT answers, correct_answers FROM posts WHERE id = ?", (post_id,))
        counts[post_id] = (int(row[0]), int(row[1])) if row else (0, 0)
    earlier: dict[tuple[str, str], tuple[str, bool]] = {}
    repeats = [key for key in firsts if key not in inserted]
    for post_id in sorted({key[0] for key in repeats}):
        users = [key[1] for key in repeats if key[0] == post_id]
        rows = await tx.fetch_all(
            f"SELECT user_id, letter, correct FROM answers WHERE post_id = ? AND user_id IN ({', '.join('?' * len(users))})",
            [post_id, *users],
        )
        earlier.update({(post_id, r[0]): (r[1], bool(r[2])) for r in rows})
    results = []
    for answer in batch:
        key = (answer.post_id, answer.user_id)
        total, right = counts[answer.post_id]
        if key in inserted and firsts[key] is answer:
            results.append(
                AnswerResult(
                    recorded=True,
                    letter=answer.letter,
                    correct=answer.correct,
                    answers=total,
                    correct_answers=right,
                )
            )
        else:
            letter, correct = earlier.get(key) or (firsts[key].letter, firsts[key].correct)
            results.append(
                AnswerResult(
                    recorded=False, letter=letter, correct=correct, answers=total, correct_answers=right
                )
            )
    return results
