"""Streaks, saves and accuracy, derived from the stored posts and answers (never kept as counters,
so they are exact however answers arrive).

The rule: a streak counts the community's consecutive scheduled questions a member answered
correctly, from their first answer on. A wrong answer resets it. A missed question resets it unless
a save is held: one save is earned for every 7 correct in a row (at most 2 held) and is spent
automatically on a missed question, never on a wrong one. A paused schedule posts nothing, so it
cannot break a streak; the question still open today is not a miss yet.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

SAVE_EVERY = 7
MAX_SAVES = 2
RULE = (
    "Your streak counts this community's daily questions answered correctly in a row. A wrong answer "
    f"resets it. A missed question resets it unless you hold a save: you earn one for every {SAVE_EVERY} "
    f"correct in a row (at most {MAX_SAVES} held), and it is spent automatically on a missed question, "
    "never on a wrong answer. Paused schedules and days off never break a streak."
)


class PostRow(NamedTuple):
    id: str
    quiz_date: date
    state: str
    question_id: str
    topic: str


class AnswerRow(NamedTuple):
    post_id: str
    user_id: str
    user_name: str
    correct: bool


@dataclass
class Standing:
    user_id: str
    user_name: str = ""
    current: int = 0
    best: int = 0
    saves: int = 0
    answered: int = 0
    correct: int = 0
    by_topic: Counter[str] = field(default_factory=Counter)
    right_by_topic: Counter[str] = field(default_factory=Counter)

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


def standing(user_id: str, posts: list[PostRow], answers: dict[str, AnswerRow]) -> Standing:
    """One member's standing; ``answers`` maps post id → this member's answer."""
    mine = [(i, answer) for i, post in enumerate(posts) if (answer := answers.get(post.id)) is not None]
    return _walk(user_id, posts, _closed_before(posts), mine)


def all_standings(
    posts: list[PostRow], answers: Iterable[AnswerRow | Sequence[Any]], topics: bool = True
) -> list[Standing]:
    """Every member's standing in time linear in the answers (plus the posts once): a member's walk
    visits only the posts they answered and counts the missed ones in between from a prefix sum.
    ``answers`` may be plain rows in AnswerRow's order (post_id, user_id, user_name, correct);
    ``topics=False`` leaves the per-topic counts out (the leaderboard does not show them)."""
    index = {post.id: i for i, post in enumerate(posts)}
    by_member: dict[str, list[tuple[int, Sequence[Any]]]] = defaultdict(list)
    for answer in answers:
        i = index.get(answer[0])
        if i is not None:
            by_member[answer[1]].append((i, answer))
    closed = _closed_before(posts)
    return [_walk(user, posts, closed, sorted(mine, key=_first), topics) for user, mine in by_member.items()]


def _first(item: tuple[int, Sequence[Any]]) -> int:
    return item[0]


def _closed_before(posts: list[PostRow]) -> list[int]:
    """``out[i]`` = how many of ``posts[:i]`` are closed (a closed post left unanswered is a miss; the
    open one is not yet)."""
    out = [0]
    for post in posts:
        out.append(out[-1] + (post.state != "posted"))
    return out


def _walk(
    user_id: str,
    posts: list[PostRow],
    closed_before: list[int],
    mine: Sequence[tuple[int, Sequence[Any]]],
    topics: bool = True,
) -> Standing:
    """Apply the rule to the member's answers in post order (``mine``: (post index, answer)), with
    the misses between two answers, and after the last, taken together: k misses spend k saves if
    that many are held, else they reset the streak and leave no save."""
    result = Standing(user_id)
    run = 0
    previous: int | None = None

    def miss(count: int) -> None:
        nonlocal run
        if count <= result.saves:
            result.saves -= count
        else:
            result.saves = result.current = run = 0

    for i, answer in mine:
        if previous is not None:
            miss(closed_before[i] - closed_before[previous + 1])
        previous = i
        result.user_name = answer[2]
        result.answered += 1
        if topics:
            result.by_topic[posts[i].topic] += 1
        if answer[3]:
            result.correct += 1
            if topics:
                result.right_by_topic[posts[i].topic] += 1
            result.current += 1
            run += 1
            if run % SAVE_EVERY == 0 and result.saves < MAX_SAVES:
                result.saves += 1
            result.best = max(result.best, result.current)
        else:
            result.current = 0
            run = 0
    if previous is not None:
        miss(closed_before[len(posts)] - closed_before[previous + 1])
    return result
