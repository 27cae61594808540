"""Content checks on the question bank that need the official ICD-10-CM code set.

Run ``python -m bot.quiz.bank_check`` for a report; the test suite runs the same checks.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import simple_icd_10_cm as icd

from bot.quiz.question_bank import (
    ICD10CM_CODE_PATTERN,
    LETTERS,
    QUESTIONS_DIR,
    QuestionBank,
    load_question_bank,
)


@dataclass
class BankReport:
    problems: list[str] = field(default_factory=list)
    letters: Counter[str] = field(default_factory=Counter)
    difficulties: Counter[str] = field(default_factory=Counter)
    per_topic: Counter[str] = field(default_factory=Counter)


def check_bank(bank: QuestionBank, topics: Iterable[str] | None = None) -> BankReport:
    report = BankReport()
    for q in bank.questions:
        report.letters[q.answer] += 1
        report.difficulties[q.difficulty] += 1
        report.per_topic[q.topic] += 1
        for code in sorted(q.icd10cm_codes()):
            if not icd.is_valid_item(code):
                report.problems.append(f"{q.id}: {code} is not in the ICD-10-CM code set")
        if q.answer_type == "icd10cm_code":
            answer_codes = ICD10CM_CODE_PATTERN.findall(q.correct_text)
            if not answer_codes:
                report.problems.append(f"{q.id}: answer_type icd10cm_code but the answer has no code")
            for code in answer_codes:
                if icd.is_valid_item(code) and not icd.is_leaf(code):
                    report.problems.append(f"{q.id}: answer code {code} is not a billable leaf code")
    wanted = set(topics) if topics is not None else {t.key for t in bank.topics}
    for topic in bank.topics:
        if topic.key in wanted and report.per_topic[topic.key] < bank.minimum:
            report.problems.append(
                f"topic {topic.key}: {report.per_topic[topic.key]} questions, minimum {bank.minimum}"
            )
    return report


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.quiz.bank_check [--dir DIR] [topic ...]``: check the whole bank or the named topics."""
    args = list(argv if argv is not None else sys.argv[1:])
    directory = QUESTIONS_DIR
    if len(args) >= 2 and args[0] == "--dir":
        directory, args = Path(args[1]), args[2:]
    only = args or None
    bank = load_question_bank(directory, only=only)
    report = check_bank(bank, only)
    total = len(bank)
    print(f"{total} questions")
    for topic in bank.topics:
        print(f"  {topic.key:28} {report.per_topic[topic.key]}")
    print("answers:", " ".join(f"{k}={report.letters[k]}" for k in LETTERS))
    print("difficulty:", dict(report.difficulties))
    for p in report.problems:
        print("PROBLEM:", p)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
