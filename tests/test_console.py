"""The console adapter as a member uses it: `cpcbot say` and the interactive prompt."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from console_process import run_cli

from bot.adapters import console
from bot.adapters.console import render_table
from bot.core.dispatch import BotCore
from bot.core.replies import TableData


def test_say_prints_the_reply_and_exits_0(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "say", "/salary state:CA cert:CPC")
    assert done.returncode == 0, done.stderr
    assert "Medical coder pay in California (CA) — CPC" in done.stdout
    assert "$62,300" in done.stdout and "$64,070" in done.stdout


def test_say_writes_the_chart_and_prints_its_path(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "say", "/compare CA TX NY")
    assert done.returncode == 0, done.stderr
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("Chart written to "))
    path = Path(line.removeprefix("Chart written to "))
    assert path.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("/salary state:Narnia", "CA, California"),
        ("/salary state:CA cert:XYZ", "CPC, CPC+specialty, CCS"),
        ("/compare CA", "2 to 5"),
        ("/compare CA,TX,NY,FL,GA,OH", "2 to 5"),
        ("/specialty name:Dermatology", "Cardiology"),
        ("/salary state:CA color:blue", "Its options: state, cert, level"),
    ],
)
def test_user_errors_exit_2_naming_the_choices_and_store_nothing(
    tmp_path: Path, line: str, needle: str
) -> None:
    done = run_cli(tmp_path, "say", line)
    assert done.returncode == 2
    assert needle in done.stdout
    stored = list((tmp_path / "var").rglob("*.sqlite3*")) if (tmp_path / "var").exists() else []
    assert stored == []


async def test_interactive_prompt_runs_commands_until_eof(core: BotCore) -> None:
    out = io.StringIO()
    code = await console.interactive(core, io.StringIO("/specialty name:Auditing\n/nosuch\n/press 1\n"), out)
    text = out.getvalue()
    assert code == 0
    assert "Specialty: Auditing" in text and "$60,000–$80,000" in text
    assert "There is no command /nosuch" in text
    assert "There is no button to press" in text


def test_table_rendering_aligns_columns() -> None:
    text = render_table(
        TableData(columns=["State", "Pay"], rows=[["CA", "$64,070"], ["Texas", "$1"]], align="lr")
    )
    assert text.splitlines() == ["State      Pay", "-----  -------", "CA     $64,070", "Texas       $1"]
