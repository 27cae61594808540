"""What command handlers may use: settings, the loaded data, storage and a clock. Built once."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.config import Settings
from bot.core.coalesced_edits import CoalescedEdits
from bot.core.delivery import Delivery
from bot.core.pacing import Pacer
from bot.icd10.code_lookup import Icd10Lookup
from bot.quiz.question_bank import QuestionBank
from bot.salary.dataset import SalaryData
from bot.salary.estimates import Estimator
from bot.salary.lookups import Lookups
from bot.storage.store import Store


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    salary: SalaryData
    lookups: Lookups
    estimator: Estimator
    questions: QuestionBank
    storage: Store
    clock: Callable[[], datetime] = field(default=_utcnow)
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    edits: CoalescedEdits = field(default_factory=CoalescedEdits)
    pacers: dict[str, Pacer] = field(default_factory=dict)  # one per platform, shared by all senders
    icd10: Icd10Lookup = field(default_factory=Icd10Lookup)
    rng: random.Random = field(default_factory=random.Random)


def sources_footer(salary: SalaryData, source_ids: list[str]) -> str:
    """'Sources: Article (2026) — title; BLS OEWS May 2023 — title.' in the order given, no repeats."""
    seen: list[str] = []
    for source_id in source_ids:
        if source_id not in seen:
            seen.append(source_id)
    parts = [f"{s.short} — {s.title} ({s.publisher})" for s in map(salary.dataset.source, seen)]
    return "Sources: " + "; ".join(parts) + "."
