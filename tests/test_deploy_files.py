"""deploy/ recipes parse, and every one runs the real entry point with a real subcommand."""

from __future__ import annotations

import configparser
import shlex
import tomllib
from pathlib import Path

import dockerfile
import yaml

from bot.cli import _parser

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"


def cli_modes() -> set[str]:
    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "mode")
    return set(sub.choices)  # type: ignore[arg-type]


def test_entry_point_is_the_one_deploy_files_run() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"cpcbot": "bot.cli:main"}


def test_dockerfile_is_small_non_root_with_a_health_check() -> None:
    commands = dockerfile.parse_file(str(DEPLOY / "Dockerfile"))
    by = {}
    for c in commands:
        by.setdefault(c.cmd, []).append(c)
    assert [c.value[0] for c in by["FROM"]] == ["python:3.11-slim", "python:3.11-slim"]  # wheels built apart
    assert by["USER"][-1].value == ("cpcbot",)
    assert by["ENTRYPOINT"][-1].value == ("cpcbot",)
    health = by["HEALTHCHECK"][-1]
    assert health.value[0] == "CMD" and "/healthz" in " ".join(health.value)
    env = " ".join(" ".join(c.value) for c in by["ENV"])
    assert "CPCBOT_HEALTH_PORT 8080" in env or "CPCBOT_HEALTH_PORT=8080" in env
    copied = {c.value[0] for c in by["COPY"] if not c.flags}
    assert {"bot", "commands", "data"} <= copied


def test_compose_runs_the_bot_on_postgres_after_it_is_healthy() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    bot, postgres = compose["services"]["bot"], compose["services"]["postgres"]
    assert bot["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert bot["command"][0] in cli_modes()
    assert bot["environment"]["CPCBOT_DATABASE_URL"].startswith("postgresql://")
    assert bot["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    migrate = compose["services"]["migrate"]
    assert migrate["command"] == ["migrate"] and "migrate" in cli_modes()
    assert migrate["environment"]["CPCBOT_DATABASE_URL"] == bot["environment"]["CPCBOT_DATABASE_URL"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert "pgdata" in compose["volumes"]


def test_systemd_unit_runs_the_entry_point_as_a_service_user() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "systemd" / "cpcbot.service")
    service = unit["Service"]
    argv = shlex.split(service["ExecStart"])
    assert argv[0].endswith("/bin/cpcbot") and argv[1] in cli_modes()
    assert service["User"] == "cpcbot" and service["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_kubernetes_runs_several_slack_http_replicas_probed_on_healthz() -> None:
    docs = list(yaml.safe_load_all((DEPLOY / "kubernetes" / "slack-http.yaml").read_text()))
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    service = next(d for d in docs if d["kind"] == "Service")
    spec = deployment["spec"]
    assert spec["replicas"] >= 2
    pod = spec["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    container = pod["containers"][0]
    assert container["args"] == ["slack"] and "slack" in cli_modes()
    assert pod["initContainers"][0]["args"] == ["migrate"] and "migrate" in cli_modes()
    env = {e["name"]: e["value"] for e in container["env"]}
    port = int(env["CPCBOT_SLACK_PORT"])
    assert container["ports"][0]["containerPort"] == port
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert service["spec"]["selector"] == spec["selector"]["matchLabels"]
