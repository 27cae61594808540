"""The "topics" choice provider: the bank's exam topics, by key, title or alias."""

from __future__ import annotations

from bot.core.choices import Choice, ChoiceProvider
from bot.quiz.question_bank import QuestionBank


def topic_provider(bank: QuestionBank) -> ChoiceProvider:
    return ChoiceProvider(
        options=lambda: [Choice(t.title, t.key) for t in bank.topics],
        accepts=lambda text: bank.find_topic(text) is not None,
    )
