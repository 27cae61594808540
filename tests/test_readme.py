"""README keeps exactly two set-up commands, and CI runs README's test command verbatim."""

from __future__ import annotations

import re
from pathlib import Path

# Defined here rather than imported from conftest, which pytest may load under another name.
REPO = Path(__file__).resolve().parents[1]


def setup_commands() -> list[str]:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section, re.S)


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    run, test = commands
    assert run.endswith(".venv/bin/cpcbot") and "python3.11 -m venv .venv" in run
    assert "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text("utf-8").splitlines()
    assert setup_commands()[1] in ci
