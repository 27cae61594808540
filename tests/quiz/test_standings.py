"""Streak rules, saves, leaderboards, review and forget-me."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from bot.config import Settings
from bot.core.invocation import Invocation
from bot.quiz.scheduler import QuizScheduler
from bot.quiz.standings import MAX_SAVES, SAVE_EVERY, AnswerRow, PostRow, Standing, all_standings, standing

from .test_daily_post import FakeDelivery
from .test_scheduler import FRI_0900, MOD, new_core, scheduled

START = date(2026, 1, 1)


def history(marks: str) -> tuple[list[PostRow], dict[str, AnswerRow]]:
    """One post per character: C correct, W wrong, M missed (closed, unanswered), O open unanswered."""
    posts, answers = [], {}
    for i, mark in enumerate(marks):
        post = PostRow(
            f"p{i}", START + timedelta(days=i), "posted" if mark == "O" else "closed", "q", "icd10cm"
        )
        posts.append(post)
        if mark in "CW":
            answers[post.id] = AnswerRow(post.id, "u", "U", mark == "C")
    return posts, answers


def run(marks: str) -> tuple[int, int, int]:
    s = standing("u", *history(marks))
    return s.current, s.best, s.saves


def test_correct_answers_build_the_streak_and_a_wrong_one_resets_it() -> None:
    assert run("CCC") == (3, 3, 0)
    assert run("CCW") == (0, 2, 0)
    assert run("CCWC") == (1, 2, 0)


def test_a_save_every_seven_spent_on_a_miss_not_on_a_wrong_answer() -> None:
    assert run("C" * 7) == (7, 7, 1)
    assert run("C" * 7 + "M") == (7, 7, 0)  # the save covers the miss
    assert run("C" * 7 + "MC") == (8, 8, 0)
    assert run("C" * 7 + "W") == (0, 7, 1)  # never spent on a wrong answer
    assert run("C" * 7 + "MM") == (0, 7, 0)  # one save, two misses


def test_at_most_two_saves_are_held() -> None:
    assert run("C" * 14) == (14, 14, 2)
    assert run("C" * 21) == (21, 21, 2)
    assert run("C" * 21 + "MM") == (21, 21, 0)


def test_misses_before_joining_and_the_open_question_do_not_count() -> None:
    assert run("MMMC") == (1, 1, 0)
    assert run("CCO") == (2, 2, 0)
    assert run("CCM") == (0, 2, 0)


def test_accuracy_by_topic() -> None:
    posts, answers = history("CWC")
    s = standing("u", posts, answers)
    assert (s.answered, s.correct, round(s.accuracy, 3)) == (3, 2, 0.667)
    assert s.by_topic["icd10cm"] == 3 and s.right_by_topic["icd10cm"] == 2


def walk_every_post(user_id: str, posts: list[PostRow], answers: dict[str, AnswerRow]) -> Standing:
    """The rule as written, one post at a time: the oracle for the linear-time standings."""
    result = Standing(user_id)
    started, run = False, 0
    for post in posts:
        answer = answers.get(post.id)
        if answer is None:
            if not started or post.state == "posted":
                continue
            if result.saves:
                result.saves -= 1
            else:
                result.current = run = 0
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
            result.current = run = 0
    return result


def test_linear_standings_agree_with_the_post_by_post_walk() -> None:
    rng = random.Random(11)
    for _ in range(200):
        days = rng.randrange(1, 60)
        posts = [
            PostRow(
                f"p{i}",
                START + timedelta(days=i),
                rng.choice(["closed", "closed", "posted"]),
                "q",
                rng.choice("ab"),
            )
            for i in range(days)
        ]
        answers = [
            AnswerRow(post.id, f"u{m}", f"U{m}", rng.random() < 0.8)
            for m in range(rng.randrange(1, 8))
            for post in posts
            if rng.random() < rng.choice([0.3, 0.9, 1.0])
        ]
        rng.shuffle(answers)  # the database returns answers in no particular order
        fast = {s.user_id: s for s in all_standings(posts, answers)}
        for user in {a.user_id for a in answers}:
            mine = {a.post_id: a for a in answers if a.user_id == user}
            expected = walk_every_post(user, posts, mine)
            assert fast[user] == expected == standing(user, posts, mine)
        assert set(fast) == {a.user_id for a in answers}


def member(n: int) -> Invocation:
    return MOD.model_copy(update={"user_id": f"u{n}", "user_name": f"Member {n}", "is_moderator": False})


async def test_streaks_leaderboard_review_and_forget_me_through_the_core(settings: Settings) -> None:
    core = new_core(settings)
    core.services.rng = random.Random(11)
    core.services.deliveries["discord"] = FakeDelivery()
    await scheduled(core, "daily")
    scheduler = QuizScheduler(core.services, "discord")
    wrong_question = None
    for day in range(3):
        (post,) = await scheduler.run_due(FRI_0900 + timedelta(days=day))
        core.services.clock = lambda day=day: FRI_0900 + timedelta(days=day, minutes=5)
        answer = core.services.questions.by_id[post.question_id].answer
        wrong = next(x for x in "ABCD" if x != answer)
        await core.press(f"daily:{post.id}:{answer}", member(1))  # member 1: three right
        if day == 1:
            wrong_question = post.question_id
            await core.press(f"daily:{post.id}:{wrong}", member(2))  # member 2: right, wrong, right
        else:
            await core.press(f"daily:{post.id}:{answer}", member(2))
    core.services.clock = lambda: FRI_0900 + timedelta(days=2, hours=1)
    one = {f.name: f.value for f in (await core.run_line("/streak", member(1))).fields}
    two = {f.name: f.value for f in (await core.run_line("/streak", member(2))).fields}
    assert (one["Current streak"], one["Best streak"], one["Accuracy"]) == ("3", "3", "100%")
    assert (two["Current streak"], two["Best streak"], two["Accuracy"]) == ("1", "1", "67%")
    board = {f.name: f.value for f in (await core.run_line("/leaderboard period:all", member(2))).fields}
    assert board["Current streak"].splitlines() == ["1. Member 1 — 3", "2. Member 2 — 1"]
    assert board["Accuracy"].splitlines()[0] == "1. Member 1 — 100% of 3"
    month = await core.run_line("/leaderboard", member(2))
    assert month.title == "Leaderboard — March 2026"

    review = await core.run_line("/review", member(2))
    assert (
        review.title == "Review (1 to revisit)" and review.buttons[0].action == f"practice:{wrong_question}:A"
    )
    assert (await core.run_line("/review", member(1))).title == "Nothing to review yet"

    gone = await core.run_line("/quiz forget-me", member(2))
    assert gone.text.startswith("Removed 3 answers")
    assert {f.name: f.value for f in (await core.run_line("/streak", member(2))).fields}["Answered"] == "0"
    assert {f.name: f.value for f in (await core.run_line("/streak", member(1))).fields}["Answered"] == "3"
    await core.aclose()


async def test_review_waits_a_day_after_a_wrong_answer(settings: Settings) -> None:
    core = new_core(settings)
    await scheduled(core, "daily")
    (post,) = await QuizScheduler(core.services, "discord").run_due(FRI_0900)
    answer = core.services.questions.by_id[post.question_id].answer
    core.services.clock = lambda: FRI_0900 + timedelta(minutes=5)
    await core.press(f"daily:{post.id}:{next(x for x in 'ABCD' if x != answer)}", member(3))
    assert (await core.run_line("/review", member(3))).title == "Nothing to review yet"
    core.services.clock = lambda: datetime(2026, 3, 7, 15, tzinfo=UTC)
    assert (await core.run_line("/review", member(3))).title == "Review (1 to revisit)"
    await core.aclose()
