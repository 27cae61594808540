"""Streaks, saves and accuracy, derived from the stored posts and answers (never kept as counters,
so they are exact however answers arrive).

The rule: a streak counts the community's consecutive scheduled questions a member answered
correctly, from their first answer on. A wrong answer resets it. A missed question resets it unless
a save is held: one save is earned for every 7 correct in a row (at most 2 held) and is spent
automatically on a missed question, never on a wrong one. A paused schedule posts nothing, so it
cannot break a streak; the question still open today is not a miss yet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

SAVE_EVERY = 7
MAX_SAVES = 2
RULE = (
    "Your streak counts this community's daily questions answered correctly in a row. A wrong answer "
    f"resets it. A missed question resets it unless you hold a save: you earn one for every {SAVE_EVERY} "
    f"correct in a row (at most {MAX_SAVES} held), and it is spent automatically on a missed question, "
    "never on a wrong answer. Paused schedules and days off never break a streak."
)


@dataclass(frozen=True)
class PostRow:
    id: str
    quiz_date: date
    state: str
    question_id: str
    topic: str


@dataclass(frozen=True)
class AnswerRow:
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
    """Walk the community's posts in order; ``answers`` maps post id → this member's answer."""
    result = Standing(user_id)
    started = False
    run = 0
    for post in posts:
        answer = answers.get(post.id)
        if answer is None:
            if not started or post.state == "posted":
                continue  # before their first answer, or still open: not a miss
            if result.saves:
                result.saves -= 1
            else:
                result.current = 0
                run = 0
            continue
        started = True
        result.user_name = answer.user_name
        result.answered += 1
        result.by_topic[post.topic] += 1
        if answer.correct:
            result.correct += 1
            result.right_by_topic[post.topic] += 1
            result.current += 1
            run += 1
            if run % SAVE_EVERY == 0 and result.saves < MAX_SAVES:
                result.saves += 1
            result.best = max(result.best, result.current)
        else:
            result.current = 0
            run = 0
    return result


def all_standings(posts: list[PostRow], answers: list[AnswerRow]) -> list[Standing]:
    by_member: dict[str, dict[str, AnswerRow]] = {}
    for answer in answers:
        by_member.setdefault(answer.user_id, {})[answer.post_id] = answer
    return [standing(user, posts, mine) for user, mine in by_member.items()]
