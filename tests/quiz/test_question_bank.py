"""The question bank's content rules, checked against the official ICD-10-CM code set."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import simple_icd_10_cm as icd

from bot.quiz.bank_check import check_bank
from bot.quiz.question_bank import (
    ICD10CM_CODE_PATTERN,
    LETTERS,
    QUESTIONS_DIR,
    QuestionBankError,
    load_question_bank,
)

BANK = load_question_bank()


def test_every_icd10cm_code_in_the_bank_exists_in_the_official_code_set() -> None:
    codes = {code: q.id for q in BANK.questions for code in q.icd10cm_codes()}
    assert len(codes) >= 40, "the ICD-10-CM questions should cite real codes"
    missing = {code: qid for code, qid in codes.items() if not icd.is_valid_item(code)}
    assert missing == {}


def test_codes_to_report_are_billable_leaf_codes() -> None:
    report_questions = [q for q in BANK.questions if q.answer_type == "icd10cm_code"]
    assert len(report_questions) >= 15
    for q in report_questions:
        answer_codes = ICD10CM_CODE_PATTERN.findall(q.correct_text)
        assert answer_codes, q.id
        for code in answer_codes:
            assert icd.is_leaf(code), f"{q.id}: {code} is a header, not a billable code"


def test_check_bank_reports_no_problems() -> None:
    assert check_bank(BANK).problems == []


def test_size_topics_and_minimums() -> None:
    assert len(BANK) >= 365
    counts = Counter(q.topic for q in BANK.questions)
    assert set(counts) == {t.key for t in BANK.topics}
    assert min(counts.values()) >= BANK.minimum >= 12


def test_no_duplicate_ids_or_stems() -> None:
    assert len({q.id for q in BANK.questions}) == len(BANK)
    assert len({" ".join(q.stem.lower().split()) for q in BANK.questions}) == len(BANK)


def test_correct_letters_spread_evenly() -> None:
    letters = Counter(q.answer for q in BANK.questions)
    for letter in LETTERS:
        assert 0.20 <= letters[letter] / len(BANK) <= 0.30, letters


def test_difficulty_mix_and_case_scenarios() -> None:
    difficulty = Counter(q.difficulty for q in BANK.questions)
    assert all(difficulty[d] >= 0.15 * len(BANK) for d in ("easy", "medium", "hard")), difficulty
    scenarios = [
        q
        for q in BANK.questions
        if any(w in q.stem.lower() for w in ("patient", "year-old", "provider", "physician", "surgeon"))
    ]
    assert len(scenarios) >= 0.4 * len(BANK)


def test_every_question_is_complete() -> None:
    for q in BANK.questions:
        assert list(q.options) == list(LETTERS)
        assert q.answer in LETTERS
        assert q.explanation.correct.strip()
        assert all((q.explanation.for_letter(x) or "").strip() for x in LETTERS if x != q.answer), q.id
        assert len(q.reference) >= 8


def _bank_dir(tmp_path: Path, body: str) -> Path:
    (tmp_path / "topics.yaml").write_text((QUESTIONS_DIR / "topics.yaml").read_text())
    (tmp_path / "anatomy.yaml").write_text(body)
    return tmp_path


GOOD = """topic: anatomy
questions:
  - id: anatomy-001
    topic: anatomy
    difficulty: easy
    stem: Which chamber of the heart pumps blood into the aorta?
    options: {A: Right atrium, B: Left ventricle, C: Right ventricle, D: Left atrium}
    answer: B
    explanation:
      correct: The left ventricle ejects oxygenated blood into the aorta.
      A: The right atrium receives venous blood.
      C: The right ventricle pumps to the pulmonary trunk.
      D: The left atrium receives blood from the pulmonary veins.
    reference: Anatomy, heart chambers
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("answer: B", "answer: E"), "anatomy.yaml: question anatomy-001: field answer"),
        (
            ("D: Left atrium}", "}"),
            "anatomy.yaml: question anatomy-001: field options: Value error, must have exactly the four",
        ),
        (("      D: The left atrium receives blood from the pulmonary veins.\n", ""), "field (question)"),
        (
            ("    reference: Anatomy, heart chambers\n", ""),
            "question anatomy-001: field reference: Field required",
        ),
        (("difficulty: easy", "difficulty: trivial"), "question anatomy-001: field difficulty"),
    ],
)
def test_load_failure_names_file_question_and_field(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    directory = _bank_dir(tmp_path, GOOD.replace(*change))
    with pytest.raises(QuestionBankError) as err:
        load_question_bank(directory)
    assert message in str(err.value)


def test_a_good_file_loads(tmp_path: Path) -> None:
    bank = load_question_bank(_bank_dir(tmp_path, GOOD))
    assert [q.id for q in bank.questions] == ["anatomy-001"]


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    doubled = GOOD + GOOD.split("questions:\n", 1)[1].replace("Which chamber", "Which one chamber")
    with pytest.raises(QuestionBankError, match="question anatomy-001: field id: duplicate"):
        load_question_bank(_bank_dir(tmp_path, doubled))
