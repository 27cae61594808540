"""/practice, /topics and /code through the core and the console."""

from __future__ import annotations

import random

import pytest
from console_process import run_cli

from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation


async def test_practice_filters_topic_and_difficulty_and_offers_four_buttons(
    core: BotCore, member: Invocation
) -> None:
    core.services.rng = random.Random(1)
    for _ in range(10):
        reply = await core.run_line("/practice topic:icd10 difficulty:hard", member)
        assert reply.ephemeral and not reply.is_error
        qid = reply.footer.rsplit("Question ", 1)[1].removesuffix(".")
        question = core.services.questions.by_id[qid]
        assert question.topic == "icd10cm" and question.difficulty == "hard"
        assert [b.label for b in reply.buttons] == ["A", "B", "C", "D"]
        assert [b.action for b in reply.buttons] == [f"practice:{qid}:{x}" for x in "ABCD"]


async def test_practice_topic_by_title_or_alias(core: BotCore, member: Invocation) -> None:
    for typed in ("Radiology", "imaging", "surgery-digestive", "E/M"):
        reply = await core.run_line(f'/practice topic:"{typed}"', member)
        assert not reply.is_error, (typed, reply.text)


async def test_pressing_an_answer_explains_it_and_replaces_the_question(
    core: BotCore, member: Invocation
) -> None:
    question = core.services.questions.by_id["icd10cm-001"]
    right = await core.press(f"practice:icd10cm-001:{question.answer}", member)
    assert right.title == "Correct!" and right.update_message and right.ephemeral
    assert question.explanation.correct in right.text and question.reference in right.footer
    wrong_letter = next(x for x in "ABCD" if x != question.answer)
    wrong = await core.press(f"practice:icd10cm-001:{wrong_letter}", member)
    assert wrong.title == f"Not quite: the answer is {question.answer}"
    assert question.explanation.for_letter(wrong_letter) in wrong.text


@pytest.mark.parametrize(
    ("action", "needle"),
    [
        ("practice:nosuch-001:A", "no longer in the bank"),
        ("practice:icd10cm-001:E", "not valid"),
        ("practice:icd10cm-001", "not valid"),
        ("other:x", "no longer works"),
    ],
)
async def test_forged_or_stale_buttons_get_a_clear_error(
    core: BotCore, member: Invocation, action: str, needle: str
) -> None:
    reply = await core.press(action, member)
    assert reply.is_error and reply.ephemeral and needle in reply.text


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("/practice topic:astrology", "I don't know the topic 'astrology'"),
        ("/practice difficulty:extreme", "difficulty must be one of: easy, medium, hard"),
        ("/practice topic:" + "x" * 61, "too long"),
        ("/code E11.99", "Nearest valid codes: E11.9"),
        ("/code Z99.999", "Nearest valid codes: Z99, Z99.0"),
        ("/code zzzxqv", "No ICD-10-CM description contains"),
        ("/code " + "a" * 101, "too long"),
        ("/code", "the query option is required"),
    ],
)
async def test_bad_input_is_a_clear_ephemeral_error(
    core: BotCore, member: Invocation, line: str, needle: str
) -> None:
    reply = await core.run_line(line, member)
    assert reply.is_error and reply.ephemeral
    assert needle in reply.text


async def test_topics_counts_every_question(core: BotCore, member: Invocation) -> None:
    reply = await core.run_line("/topics", member)
    assert sum(int(row[2]) for row in reply.table.rows) == len(core.services.questions)
    assert len(reply.table.rows) == 20


async def test_code_details_for_a_billable_code_and_a_header(core: BotCore, member: Invocation) -> None:
    leaf = await core.run_line("/code e119", member)
    fields = {f.name: f.value for f in leaf.fields}
    assert leaf.title == "E11.9: Type 2 diabetes mellitus without complications"
    assert fields["Status"].startswith("Billable")
    assert fields["Chapter"] == "4: Endocrine, nutritional and metabolic diseases (E00-E89)"
    assert (
        fields["Block"] == "Diabetes mellitus (E08-E13)"
        and fields["Parent"] == "E11 Type 2 diabetes mellitus"
    )
    header = await core.run_line("/code E11", member)
    fields = {f.name: f.value for f in header.fields}
    assert fields["Status"].startswith("Not billable")
    assert "E11.9 Type 2 diabetes mellitus without complications" in fields["Children (10)"]


async def test_code_word_search_is_ranked_and_capped(core: BotCore, member: Invocation) -> None:
    reply = await core.run_line("/code type 2 diabetes", member)
    codes = [row[0] for row in reply.table.rows]
    assert len(codes) == 10 and {"E11.9", "E11.65"} <= set(codes[:3])
    fracture = await core.run_line("/code femur neck fracture", member)
    assert all(row[0].startswith("S72") for row in fracture.table.rows)


def test_console_practice_and_code(tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = run_cli(tmp_path, "say", "/practice topic:icd10")
    assert done.returncode == 0, done.stderr
    assert "Practice: ICD-10-CM" in done.stdout and "[4] D" in done.stdout
    done = run_cli(tmp_path, "say", "/code E11.9")
    assert done.returncode == 0 and "Billable" in done.stdout
    done = run_cli(tmp_path, "say", "/practice topic:astrology")
    assert done.returncode == 2 and "icd10cm" in done.stdout
