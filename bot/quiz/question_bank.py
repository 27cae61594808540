"""The CPC question bank: pydantic models for data/questions/*.yaml and a loader.

A question file is ``data/questions/<topic>.yaml`` holding ``topic`` and a list of ``questions``.
A load failure raises :class:`QuestionBankError` naming the file, the question id and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Letter = Literal["A", "B", "C", "D"]
LETTERS: tuple[Letter, ...] = ("A", "B", "C", "D")
Difficulty = Literal["easy", "medium", "hard"]
AnswerType = Literal["concept", "icd10cm_code", "cpt_code", "hcpcs_code", "modifier"]

#: ICD-10-CM code shapes as written in question text (upper-case letter, digit, digit-or-letter,
#: optional dot and up to four characters). Write "hemoglobin A1c", "vitamin B-12" so that
#: prose never looks like a code.
ICD10CM_CODE_PATTERN = re.compile(
    r"(?<![A-Za-z0-9.\-])[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?![A-Za-z0-9\-])"
)

QUESTIONS_DIR = Path(__file__).resolve().parents[2] / "data" / "questions"


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    aliases: tuple[str, ...] = ()


class TopicList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    minimum: int = Field(ge=1)
    topics: list[Topic]


class Explanation(BaseModel):
    """Why the answer is right, and why each other option is wrong."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    correct: str = Field(min_length=20)
    A: str | None = None
    B: str | None = None
    C: str | None = None
    D: str | None = None

    def for_letter(self, letter: Letter) -> str | None:
        return getattr(self, letter)


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*-[0-9]{3}$")
    topic: str
    difficulty: Difficulty
    stem: str = Field(min_length=20, max_length=1200)
    options: dict[Letter, str]
    answer: Letter
    answer_type: AnswerType = "concept"
    explanation: Explanation
    reference: str = Field(min_length=8)

    @field_validator("options")
    @classmethod
    def _four_distinct_options(cls, options: dict[str, str]) -> dict[str, str]:
        if set(options) != set(LETTERS):
            raise ValueError("must have exactly the four options A, B, C and D")
        texts = [" ".join(t.split()).lower() for t in options.values()]
        if any(not t for t in texts):
            raise ValueError("an option is empty")
        if len(set(texts)) != 4:
            raise ValueError("two options have the same text")
        if any(len(t) > 300 for t in texts):
            raise ValueError("an option is longer than 300 characters")
        return {k: options[k] for k in LETTERS}

    @model_validator(mode="after")
    def _every_wrong_option_explained(self) -> Question:
        missing = [
            letter
            for letter in LETTERS
            if letter != self.answer and not (self.explanation.for_letter(letter) or "").strip()
        ]
        if missing:
            raise ValueError(
                f"explanation must say why each wrong option is wrong; missing {', '.join(missing)}"
            )
        return self

    @property
    def correct_text(self) -> str:
        return self.options[self.answer]

    def all_text(self) -> str:
        parts = [self.stem, *self.options.values(), self.explanation.correct]
        parts += [self.explanation.for_letter(letter) or "" for letter in LETTERS]
        return "\n".join(parts)

    def icd10cm_codes(self) -> set[str]:
        """Every ICD-10-CM-shaped code in the stem, options and explanation."""
        return set(ICD10CM_CODE_PATTERN.findall(self.all_text()))


class QuestionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str
    questions: list[Question]


class QuestionBankError(ValueError):
    """A question file failed to load; the message names the file, question id and field."""


class QuestionBank:
    """Every question, by id and by topic, in file order."""

    def __init__(self, topics: list[Topic], minimum: int, questions: Iterable[Question]):
        self.topics = topics
        self.minimum = minimum
        self.questions: list[Question] = list(questions)
        self.by_id: dict[str, Question] = {q.id: q for q in self.questions}
        self.by_topic: dict[str, list[Question]] = {t.key: [] for t in topics}
        for q in self.questions:
            self.by_topic[q.topic].append(q)
        self._topic_lookup: dict[str, Topic] = {}
        for t in topics:
            for name in (t.key, t.title, *t.aliases):
                self._topic_lookup[_norm(name)] = t

    def find_topic(self, text: str) -> Topic | None:
        return self._topic_lookup.get(_norm(text))

    def __len__(self) -> int:
        return len(self.questions)


def _norm(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


def _describe(error: ValidationError, path: Path, raw: object) -> str:
    first = error.errors()[0]
    loc = list(first["loc"])
    qid = "(file)"
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        try:
            qid = str(raw["questions"][loc[1]].get("id", f"#{loc[1] + 1}"))  # type: ignore[index]
        except (KeyError, IndexError, TypeError, AttributeError):
            qid = f"#{loc[1] + 1}"
        loc = loc[2:]
    field = ".".join(str(p) for p in loc) or "(question)"
    return f"{path.name}: question {qid}: field {field}: {first['msg']}"


def load_question_bank(directory: Path = QUESTIONS_DIR, only: Iterable[str] | None = None) -> QuestionBank:
    """Load and validate every topic file (or only the named topics); raise QuestionBankError
    on the first problem."""
    topics_path = directory / "topics.yaml"
    try:
        topic_list = TopicList.model_validate(_load_yaml(topics_path.read_text("utf-8")))
    except ValidationError as exc:
        raise QuestionBankError(_describe(exc, topics_path, None)) from exc
    keys = {t.key for t in topic_list.topics}
    questions: list[Question] = []
    seen_ids: dict[str, str] = {}
    seen_stems: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == "topics.yaml" or (only is not None and path.stem not in set(only)):
            continue
        if path.stem not in keys:
            raise QuestionBankError(f"{path.name}: file name is not a topic in topics.yaml")
        try:
            raw = _load_yaml(path.read_text("utf-8"))
        except yaml.YAMLError as exc:
            raise QuestionBankError(f"{path.name}: not valid YAML: {exc}") from exc
        try:
            qfile = QuestionFile.model_validate(raw)
        except ValidationError as exc:
            raise QuestionBankError(_describe(exc, path, raw)) from exc
        if qfile.topic != path.stem:
            raise QuestionBankError(f"{path.name}: field topic: is {qfile.topic!r}, must be {path.stem!r}")
        for q in qfile.questions:
            if q.topic != path.stem:
                raise QuestionBankError(
                    f"{path.name}: question {q.id}: field topic: is {q.topic!r}, must be {path.stem!r}"
                )
            if q.id in seen_ids:
                raise QuestionBankError(
                    f"{path.name}: question {q.id}: field id: duplicate of one in {seen_ids[q.id]}"
                )
            stem_key = _norm(q.stem)
            if stem_key in seen_stems:
                raise QuestionBankError(
                    f"{path.name}: question {q.id}: field stem: same stem as {seen_stems[stem_key]}"
                )
            seen_ids[q.id] = path.name
            seen_stems[stem_key] = q.id
            questions.append(q)
    return QuestionBank(topic_list.topics, topic_list.minimum, questions)


def _load_yaml(text: str) -> object:
    """YAML via libyaml's C loader when present (several times faster), else the pure-Python one."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
