"""The salary and career dataset (data/salary/) as validated pydantic models, loaded once."""

from __future__ import annotations

import csv
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.salary.money import Money, MoneyRange

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Frozen):
    id: str
    short: str
    title: str
    publisher: str
    period: str
    file: str
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.short}: {self.title}"


class Table(_Frozen):
    """A table from a source: its heading, written column names and the source id."""

    source: str
    heading: str
    columns: tuple[str, ...] = ()
    note: str = ""

    def written_rows(self) -> list[tuple[str, ...]]:
        """Each row's cells in column order, as written in the source."""
        rows = getattr(self, "rows", [])
        return [tuple(str(v) for v in row.cells()) for row in rows]


class _Row(_Frozen):
    def cells(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in type(self).model_fields if name != "key")

    @property
    def ref_name(self) -> str:
        """The name a roadmap pay reference uses for this row."""
        return str(self.cells()[0])

    @property
    def shown_name(self) -> str:
        return self.ref_name

    @property
    def pay(self) -> MoneyRange | None:
        return next((c for c in self.cells() if isinstance(c, MoneyRange)), None)


class OverviewRow(_Row):
    metric: str
    amount: Money


class CertificationRow(_Row):
    key: str
    status: str
    average_salary: Money
    job_access: str

    @property
    def ref_name(self) -> str:
        return self.key

    @property
    def shown_name(self) -> str:
        return self.status


class TopStateRow(_Row):
    rank: int
    state: str
    mean_annual_salary: Money
    notes: str


class LowStateRow(_Row):
    rank: int
    state: str
    mean_annual_salary: Money


class SpecialtyRow(_Row):
    specialty: str
    salary_range: Money
    certification: str
    demand_level: str


class RemoteRow(_Row):
    work_model: str
    share_of_jobs: str
    salary_impact: str


class CareerRow(_Row):
    level: int
    title: str
    salary_range: Money
    experience: str
    key_skills: str

    @property
    def ref_name(self) -> str:
        return self.title


class AlternativeCareerRow(_Row):
    career: str
    how_to_get_there: str
    salary: Money


class OutlookRow(_Row):
    metric: str
    data: str


class OverviewTable(Table):
    rows: tuple[OverviewRow, ...]

    def amount(self, metric_prefix: str) -> OverviewRow:
        return next(r for r in self.rows if r.metric.startswith(metric_prefix))


class CertificationTable(Table):
    rows: tuple[CertificationRow, ...]


class TopStatesTable(Table):
    rows: tuple[TopStateRow, ...]


class LowStatesTable(Table):
    rows: tuple[LowStateRow, ...]


class SpecialtyTable(Table):
    rows: tuple[SpecialtyRow, ...]


class RemoteTable(Table):
    rows: tuple[RemoteRow, ...]
    advantages: tuple[str, ...]


class CareerTable(Table):
    rows: tuple[CareerRow, ...]


class AlternativeCareerTable(Table):
    rows: tuple[AlternativeCareerRow, ...]


class OutlookTable(Table):
    rows: tuple[OutlookRow, ...]


class FactList(Table):
    intro: str = ""
    facts: tuple[str, ...]


class RoadmapStage(_Frozen):
    title: str
    steps: tuple[str, ...]
    pay: tuple[str, ...] = Field(description="references 'table:row name' to sourced pay figures")


class Roadmap(Table):
    stages: tuple[RoadmapStage, ...]


class OtherFigure(_Frozen):
    topic: Literal["certification", "outlook"]
    metric: str
    value: str
    source: str
    note: str = ""


class Area(_Frozen):
    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    aliases: tuple[str, ...] = ()
    tile: tuple[int, int] | None = None
    territory: bool = False


class StateWage(_Frozen):
    """One row of the BLS OEWS state extract (data/sources/oews_29-2072_state_M2023_means.csv)."""

    area_title: str
    prim_state: str
    occ_code: Literal["29-2072"]
    occ_title: str
    h_mean: float = Field(gt=0)
    a_mean: float = Field(gt=0)
    period: Literal["May 2023"]
    source: str


class CareerDataset(_Frozen):
    sources: tuple[Source, ...]
    national_overview: OverviewTable
    certification_status: CertificationTable
    certification_premium: FactList
    top_states: TopStatesTable
    lowest_states: LowStatesTable
    specialties: SpecialtyTable
    risk_adjustment_niche: FactList
    remote_work: RemoteTable
    career_path: CareerTable
    alternative_careers: AlternativeCareerTable
    job_outlook: OutlookTable
    ai_outlook: FactList
    roadmap: Roadmap
    other_figures: tuple[OtherFigure, ...]

    @model_validator(mode="after")
    def _sources_exist(self) -> CareerDataset:
        ids = {s.id for s in self.sources}
        used = {t.source for t in self.tables().values()} | {f.source for f in self.other_figures}
        unknown = used - ids
        if unknown:
            raise ValueError(f"tables cite unknown sources: {sorted(unknown)}")
        for stage in self.roadmap.stages:
            for ref in stage.pay:
                self.resolve_pay(ref)
        return self

    def tables(self) -> dict[str, Table]:
        return {name: value for name, value in self if isinstance(value, Table)}

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    def resolve_pay(self, ref: str) -> tuple[str, MoneyRange, str]:
        """'table:row name' → (row name as shown, pay figure, table heading); ValueError if absent."""
        table_name, _, row_name = ref.partition(":")
        table = self.tables().get(table_name)
        for row in getattr(table, "rows", ()):
            if row.ref_name == row_name and row.pay is not None:
                return row.shown_name, row.pay, table.heading  # type: ignore[union-attr]
        raise ValueError(f"roadmap pay reference {ref!r} names no row with a pay figure")


class SalaryData:
    """Everything the salary commands read: the article dataset, BLS state wages and the areas."""

    def __init__(self, dataset: CareerDataset, areas: list[Area], bls: list[StateWage]):
        self.dataset = dataset
        self.areas = areas
        self.bls_by_code = {row.prim_state: row for row in bls}
        self.area_by_code = {a.code: a for a in areas}
        missing = [a.code for a in areas if a.code not in self.bls_by_code]
        if missing:
            raise ValueError(f"BLS extract lacks areas: {missing}")
        by_name = {a.name: a for a in areas}
        for alias_area in areas:
            for alias in alias_area.aliases:
                by_name[alias] = alias_area
        self.article_state_figures: dict[str, tuple[int, Money]] = {}
        for row in (*dataset.top_states.rows, *dataset.lowest_states.rows):
            area = by_name.get(row.state)
            if area is None:
                raise ValueError(f"article state {row.state!r} is not a known area")
            self.article_state_figures[area.code] = (row.rank, row.mean_annual_salary)

    @cached_property
    def states(self) -> list[Area]:
        """The 50 states and DC (no territories)."""
        return [a for a in self.areas if not a.territory]


class DatasetError(ValueError):
    """A data file failed validation; the message names the file."""


def load_salary_data(data_dir: Path = DATA_DIR) -> SalaryData:
    dataset_path = data_dir / "salary" / "career_dataset.yaml"
    areas_path = data_dir / "salary" / "us_states.yaml"
    bls_path = data_dir / "sources" / "oews_29-2072_state_M2023_means.csv"
    try:
        dataset = CareerDataset.model_validate(_load_yaml(dataset_path.read_text("utf-8")))
    except ValidationError as exc:
        raise DatasetError(f"{dataset_path.name}: {exc}") from exc
    try:
        areas = [Area.model_validate(a) for a in _load_yaml(areas_path.read_text("utf-8"))["areas"]]
    except ValidationError as exc:
        raise DatasetError(f"{areas_path.name}: {exc}") from exc
    with bls_path.open(newline="", encoding="utf-8") as fh:
        try:
            bls = [StateWage.model_validate(row) for row in csv.DictReader(fh)]
        except ValidationError as exc:
            raise DatasetError(f"{bls_path.name}: {exc}") from exc
    try:
        return SalaryData(dataset, areas, bls)
    except ValueError as exc:
        raise DatasetError(str(exc)) from exc


def _load_yaml(text: str) -> object:
    """YAML via libyaml's C loader when present (several times faster), else the pure-Python one."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
