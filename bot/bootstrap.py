"""Builds the core once at start-up: settings → data → services → commands."""

from __future__ import annotations

from bot.config import Settings
from bot.core.choices import ChoiceProvider
from bot.core.dispatch import BotCore
from bot.core.services import Services
from bot.quiz.question_bank import load_question_bank
from bot.quiz.topic_choices import topic_provider
from bot.salary.dataset import load_salary_data
from bot.salary.estimates import Estimator
from bot.salary.lookups import Lookups
from bot.storage.store import open_store
from commands import all_buttons, all_commands


def build_core(settings: Settings | None = None) -> BotCore:
    settings = settings or Settings()
    salary = load_salary_data()
    lookups = Lookups(salary)
    services = Services(
        settings=settings,
        salary=salary,
        lookups=lookups,
        estimator=Estimator(salary),
        questions=load_question_bank(),
        storage=open_store(settings),
    )
    return BotCore(services, all_commands(), all_buttons(), choice_providers(services))


def choice_providers(services: Services) -> dict[str, ChoiceProvider]:
    """Every autocomplete provider the commands name, in one place."""
    return {**services.lookups.providers(), "topics": topic_provider(services.questions)}
