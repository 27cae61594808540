"""Every figure in data/ is checked against the text it came from, so a typo fails CI."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from bot.salary.dataset import FactList, load_salary_data

# Defined here rather than imported from conftest, which pytest may load under another name.
REPO = Path(__file__).resolve().parents[1]

SEED = (REPO / "data/sources/000_cb32beebd2bb040d.txt").read_text("utf-8")
SEED_LINES = set(SEED.splitlines())
RESEARCH = (REPO / "data/sources/oews_29-2072.md").read_text("utf-8")


def test_every_table_row_is_in_the_seed_exactly_as_written() -> None:
    ds = load_salary_data().dataset
    checked = 0
    for name, table in ds.tables().items():
        if table.source != "article-2026":
            continue
        assert table.heading in SEED_LINES, f"{name}: heading not in seed"
        if table.columns:
            header = "| " + " | ".join(table.columns) + " |"
            assert header in SEED_LINES, f"{name}: header {header!r} not in seed"
        for cells in table.written_rows():
            line = "| " + " | ".join(cells) + " |"
            assert line in SEED_LINES, f"{name}: row {line!r} not in seed"
            checked += 1
        if isinstance(table, FactList):
            for fact in table.facts:
                assert f"- {fact}" in SEED_LINES, f"{name}: fact {fact!r} not in seed"
                checked += 1
        if table.note:
            assert table.note in SEED, f"{name}: note not in seed"
    for stage in ds.roadmap.stages:
        assert stage.title in SEED_LINES
        for step in stage.steps:
            assert f"- {step}" in SEED_LINES
    for advantage in ds.remote_work.advantages:
        assert f"- {advantage}" in SEED_LINES
    assert checked >= 70


def test_every_seed_table_row_is_in_the_dataset() -> None:
    """The reverse direction: no table row of the seed was left out."""
    ds = load_salary_data().dataset
    held = set()
    for table in ds.tables().values():
        if table.columns:
            held.add("| " + " | ".join(table.columns) + " |")
        held.update("| " + " | ".join(cells) + " |" for cells in table.written_rows())
    seed_rows = {line for line in SEED_LINES if line.startswith("| ") and not line.startswith("|---")}
    assert seed_rows - held == set()


def test_bls_rows_match_the_research_table() -> None:
    data = load_salary_data()
    table_rows = re.findall(
        r"^\| ([A-Za-z .]+) \| ([A-Z]{2}) \|  \| \$([0-9.]+) \| \$([0-9,]+) \|", RESEARCH, re.M
    )
    assert len(table_rows) == 54
    for name, code, hourly, annual in table_rows:
        row = data.bls_by_code[code]
        assert row.area_title == name
        assert row.h_mean == float(hourly)
        assert row.a_mean == float(annual.replace(",", ""))


def test_bls_csv_is_the_shared_research_file() -> None:
    with (REPO / "data/sources/oews_29-2072_state_M2023_means.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert {r["period"] for r in rows} == {"May 2023"}
    assert {r["occ_code"] for r in rows} == {"29-2072"}
    assert len(rows) == 54


def test_other_figures_are_in_the_research_notes() -> None:
    ds = load_salary_data().dataset
    for fig in ds.other_figures:
        number = re.search(r"[0-9][0-9,.]*", fig.value).group(0)  # type: ignore[union-attr]
        assert number in RESEARCH, f"{fig.metric}: {fig.value} not in the research notes"


def test_article_states_resolve_and_both_sources_exist_for_california() -> None:
    data = load_salary_data()
    assert len(data.article_state_figures) == 15
    assert data.article_state_figures["CA"][1].low == 62300
    assert data.bls_by_code["CA"].a_mean == 64070
    assert data.article_state_figures["DC"][1].low == 65400
    assert data.article_state_figures["WA"][1].low == 58900
    assert len(data.states) == 51
