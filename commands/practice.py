"""/practice and /topics: private practice questions from the bank, answered with buttons.
Practice never touches the daily streak or storage."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from bot.core.commands import ButtonSpec, CommandSpec, Context
from bot.core.errors import UserError
from bot.core.replies import Button, Reply, TableData
from bot.quiz.question_bank import LETTERS, Question

ACTION = "practice"


class PracticeOptions(BaseModel):
    topic: str | None = Field(
        default=None,
        description="Exam topic, e.g. icd10, modifiers, radiology",
        max_length=60,
        json_schema_extra={"autocomplete": "topics"},
    )
    difficulty: Literal["easy", "medium", "hard"] | None = Field(
        default=None, description="Question difficulty"
    )


def question_text(question: Question) -> str:
    options = "\n".join(f"**{letter}.** {question.options[letter]}" for letter in LETTERS)
    return f"{' '.join(question.stem.split())}\n\n{options}"


async def practice(ctx: Context, opts: PracticeOptions) -> Reply:
    bank = ctx.services.questions
    pool = bank.questions
    title = "All topics"
    if opts.topic:
        topic = bank.find_topic(opts.topic)
        if topic is None:
            keys = ", ".join(t.key for t in bank.topics)
            raise UserError(
                f"I don't know the topic {opts.topic!r}. Topics: {keys}. /topics lists them with counts."
            )
        pool = bank.by_topic[topic.key]
        title = topic.title
    if opts.difficulty:
        pool = [q for q in pool if q.difficulty == opts.difficulty]
    if not pool:
        raise UserError(f"There are no {opts.difficulty} questions in {title} yet. Try another difficulty.")
    question = ctx.services.rng.choice(pool)
    topic_title = bank.find_topic(question.topic).title  # type: ignore[union-attr]
    return Reply(
        title=f"Practice: {topic_title} ({question.difficulty})",
        text=question_text(question),
        buttons=[
            Button(label=letter, action=f"{ACTION}:{question.id}:{letter}", style="primary")
            for letter in LETTERS
        ],
        footer=f"Only you see this; practice does not change your daily streak. Question {question.id}.",
        ephemeral=True,
    )


async def answer_practice(ctx: Context, args: list[str]) -> Reply:
    if len(args) != 2 or args[1] not in LETTERS:
        raise UserError("That answer button is not valid. Run /practice for a new question.")
    question = ctx.services.questions.by_id.get(args[0])
    if question is None:
        raise UserError("That practice question is no longer in the bank. Run /practice for a new one.")
    chosen = args[1]
    right = chosen == question.answer
    parts = [question_text(question), ""]
    if right:
        parts.append(f"✅ **{chosen} is correct.** {question.explanation.correct}")
    else:
        parts.append(
            f"❌ **You chose {chosen}; the answer is {question.answer}.** {question.explanation.correct}"
        )
        parts.append(f"Why {chosen} is wrong: {question.explanation.for_letter(chosen)}")  # type: ignore[arg-type]
    return Reply(
        title="Correct!" if right else f"Not quite: the answer is {question.answer}",
        text="\n".join(parts),
        footer=f"Reference: {question.reference} · Question {question.id}",
        ephemeral=True,
        update_message=True,
    )


async def topics(ctx: Context, _opts: BaseModel) -> Reply:
    bank = ctx.services.questions
    rows = [[t.title, t.key, str(len(bank.by_topic[t.key]))] for t in bank.topics]
    return Reply(
        title="Question bank topics",
        text=f"{len(bank)} original questions across the CPC exam's content areas. /practice topic:<key> to try one.",
        table=TableData(columns=["Topic", "Key", "Questions"], rows=rows, align="llr"),
    )


COMMANDS = [
    CommandSpec(
        "practice",
        "A private practice question with A–D buttons",
        practice,
        PracticeOptions,
        example="/practice topic:icd10 difficulty:medium",
    ),
    CommandSpec("topics", "The question bank's topics with question counts", topics, example="/topics"),
]
BUTTONS = [ButtonSpec(ACTION, answer_practice)]
