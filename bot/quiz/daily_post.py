"""Posting the daily question and taking answers, platform-neutral.

A post is claimed in the database before it is sent (exactly once per channel and day); an answer
is acknowledged only after its row is committed; the post's live count (never the distribution) is
edited after the answer is safe.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from bot.core.delivery import DeliveryError, PostRef
from bot.core.errors import UserError
from bot.core.invocation import Invocation
from bot.core.replies import Button, Reply
from bot.core.sending import sender_for
from bot.core.services import Services
from bot.ops.metrics import ANSWERS_RECORDED, POSTS_SENT
from bot.quiz.question_bank import LETTERS, Question
from bot.storage.posts import Post

ACTION = "daily"


def post_reply(question: Question, post: Post, answers: int) -> Reply:
    options = "\n".join(f"**{letter}.** {question.options[letter]}" for letter in LETTERS)
    counted = "No answers yet" if answers == 0 else f"{answers} answer{'s' if answers != 1 else ''} so far"
    return Reply(
        title=f"Daily CPC question — {post.quiz_date:%a %d %b %Y}",
        text=f"{' '.join(question.stem.split())}\n\n{options}",
        buttons=[Button(label=x, action=f"{ACTION}:{post.id}:{x}", style="primary") for x in LETTERS],
        footer=f"{counted}. Your first answer counts; you'll see the explanation privately.",
    )


def pick_question(services: Services, used: set[str], topics: tuple[str, ...]) -> Question:
    """A question this community has not had yet (within the topic filter); repeats only once the
    filtered bank is exhausted."""
    bank = services.questions
    pool = [q for q in bank.questions if not topics or q.topic in topics]
    fresh = [q for q in pool if q.id not in used]
    return services.rng.choice(fresh or pool)


async def post_daily(
    services: Services,
    community_id: str,
    channel_id: str,
    platform: str,
    quiz_date: date,
    topics: tuple[str, ...],
    now: datetime,
) -> Post | None:
    """Claim, send and record today's post; None when this channel's post for the day already exists.

    A failed send gives the claim back so a later pass posts; a send that may have gone through (an
    uncertain failure the sender could not settle) keeps the claim, so nobody sends again until the
    claim goes stale and its taker looks for the message first."""
    store = services.storage
    sender = sender_for(services, platform)
    if sender is None:
        raise DeliveryError(f"no {platform} delivery is running", retryable=True)
    question = pick_question(services, await store.posts.used_questions(community_id), topics)
    post_id = uuid.uuid4().hex
    post = await store.posts.claim(community_id, channel_id, platform, quiz_date, question.id, now, post_id)
    if post is None:
        return None
    question = services.questions.by_id.get(post.question_id, question)
    try:
        ref = await sender.post(
            channel_id, post_reply(question, post, 0), post.id, look_first=post.id != post_id
        )
    except DeliveryError as exc:
        if not exc.uncertain:
            await store.posts.release(post.id)
        raise
    except Exception:
        await store.posts.release(post.id)
        raise
    await store.posts.mark_posted(post.id, ref.message_id, now)
    POSTS_SENT.labels(platform).inc()
    return await store.posts.get(post.id)


async def answer(services: Services, invocation: Invocation, post_id: str, letter: str) -> Reply:
    if letter not in LETTERS:
        raise UserError("That answer button is not valid. Answer with A, B, C or D.")
    post = await services.storage.posts.get(post_id)
    if post is None or post.community_id != invocation.community_id:
        raise UserError("That daily question no longer exists here.")
    if post.state != "posted":
        raise UserError("That daily question is closed; the next one comes at the scheduled time.")
    question = services.questions.by_id.get(post.question_id)
    if question is None:
        raise UserError("That question has left the bank; it can no longer be answered.")
    result = await services.storage.posts.record_answer(
        post, invocation.user_id, invocation.user_name, letter, letter == question.answer, services.clock()
    )
    if result.recorded:
        ANSWERS_RECORDED.inc()
        _refresh_count(services, post, question, result.answers)
    if not result.recorded:
        title = f"You already answered {result.letter}"
        lead = "Only your first answer counts."
    elif result.correct:
        title, lead = "Correct!", f"✅ **{letter} is correct.**"
    else:
        title, lead = (
            f"Not quite: the answer is {question.answer}",
            f"❌ **You chose {letter}; the answer is {question.answer}.**",
        )
    why_wrong = ""
    if result.recorded and not result.correct:
        why_wrong = f"\nWhy {letter} is wrong: {question.explanation.for_letter(letter)}"  # type: ignore[arg-type]
    return Reply(
        title=title,
        text=f"{lead} {question.explanation.correct}{why_wrong}",
        footer=f"Reference: {question.reference}",
        ephemeral=True,
    )


def _refresh_count(services: Services, post: Post, question: Question, answers: int) -> None:
    """Show the new count on the post. The answer is already committed; the edit is coalesced with
    other answers' (one in flight per post) and a failed edit only delays the count."""
    sender = sender_for(services, post.platform)  # paced and retried like the bot's posts
    if sender is None or post.message_id is None:
        return
    services.edits.submit(
        post.id,
        sender,
        PostRef(platform=post.platform, channel_id=post.channel_id, message_id=post.message_id),
        answers,
        lambda: post_reply(question, post, answers),
    )
