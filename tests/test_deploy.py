"""The deployment files under deploy/ (systemd service and timer, GitHub Actions workflow) are checked by the
tools made for them: `systemd-analyze verify` where this machine has it, SchemaStore's GitHub workflow
schema (check-jsonschema, vendored, offline); the workflow's shell steps by `bash -n`; and every jianbao
command they run exists."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from jianbao.cli import app

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
UNITS = ["jianbao.service", "jianbao.timer", "jianbao-scheduler.service"]
WORKFLOW = DEPLOY / "github-actions" / "daily.yml"


def test_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here (Debian package systemd)")
    jianbao = Path(sys.executable).with_name("jianbao")
    for name in UNITS:  # the units name the install path of docs/deploy.md; point them at this venv's jianbao
        text = (DEPLOY / "systemd" / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("/opt/jianbao/.venv/bin/jianbao", str(jianbao)), encoding="utf-8")
    for name in UNITS:
        result = subprocess.run([analyze, "verify", str(tmp_path / name)], capture_output=True, text=True, timeout=60)
        complaints = [line for line in (result.stdout + result.stderr).splitlines() if "jianbao" in line]
        assert result.returncode == 0 and not complaints, result.stdout + result.stderr


def test_units_run_commands_that_exist() -> None:
    runner = CliRunner()
    for name in (n for n in UNITS if n.endswith(".service")):
        text = (DEPLOY / "systemd" / name).read_text(encoding="utf-8")
        [exec_line] = [line for line in text.splitlines() if line.startswith("ExecStart=")]
        args = exec_line.split()[1:]
        assert runner.invoke(app, [*args, "--help"]).exit_code == 0, exec_line
    service = (DEPLOY / "systemd" / "jianbao.service").read_text(encoding="utf-8")
    assert "SuccessExitStatus=3" in service  # a run with some sources failing is not a failed unit


def test_workflow_is_a_valid_github_actions_workflow() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    assert triggers["schedule"][0]["cron"] == "30 22 * * *" and "workflow_dispatch" in triggers
    steps = workflow["jobs"]["run"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert any("jianbao run --once" in script for script in runs)
    for script in runs:
        checked = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
    secrets = {v for v in workflow["jobs"]["run"]["env"].values() if "secrets." in str(v)}
    assert secrets, "channel secrets come from the repository's secrets"


def test_workflow_passes_the_github_workflow_schema(tmp_path: Path) -> None:
    """SchemaStore's GitHub workflow schema, vendored in check-jsonschema (no network): the real workflow
    passes, and the same workflow with a misspelt key and no runner fails (the check can fail)."""
    checker = Path(sys.executable).with_name("check-jsonschema")

    def check(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(checker), "--builtin-schema", "vendor.github-workflows", str(path)],
            capture_output=True, text=True, timeout=120,
        )

    result = check(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "run-on:", 1)
    assert broken != WORKFLOW.read_text(encoding="utf-8")
    (tmp_path / "broken.yml").write_text(broken, encoding="utf-8")
    assert check(tmp_path / "broken.yml").returncode == 1
