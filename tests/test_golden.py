"""Golden outputs: the demo's six files, and every archive issue imported then re-rendered, are held byte for byte.

A deliberate change of output updates them with ``pytest tests/test_golden.py --update-golden`` and the diff is
reviewed in the commit. The demo's files are our own writing (built from the bundled samples) and are kept
whole under ``tests/golden/demo/``; the archive is not ours to copy, so only the SHA-256 of each re-rendered
file is kept, in ``tests/golden/archive.sha256``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.store import open_store

GOLDEN = Path(__file__).parent / "golden"
ARCHIVE_FORMATS = ("markdown", "wechat", "moments")


def _run(*args: str, ok: tuple[int, ...] = (0,)) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code in ok, result.output
    return result.output


def _compare(found: dict[str, bytes], golden_dir: Path, update: bool) -> None:
    if update:
        golden_dir.mkdir(parents=True, exist_ok=True)
        for old in golden_dir.iterdir():
            old.unlink()
        for name, data in found.items():
            (golden_dir / name).write_bytes(data)
        return
    expected = {p.name: p.read_bytes() for p in golden_dir.iterdir()}
    assert sorted(found) == sorted(expected)
    for name, data in found.items():
        assert data.decode() == expected[name].decode(), name


def test_demo_outputs_are_unchanged(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    out = tmp_path / "out"
    _run("demo", "--out", str(out), "--store", f"sqlite:///{tmp_path / 'demo.db'}")
    found = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert len(found) == 6
    _compare(found, GOLDEN / "demo", request.config.getoption("--update-golden"))


def test_archive_import_and_render_are_unchanged(
    shared_dir: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store = f"sqlite:///{tmp_path / 'archive.db'}"
    # The archive's README files are skipped with a note, so import exits 1 by design.
    imported = _run("import", str(shared_dir / "archive"), "--store", store, ok=(0, 1))
    assert "imported 96 issues" in imported
    with open_store(store) as st:
        listed = [{"date": str(row["date"]), "format": row["format"]} for row in st.list_issues()]
    assert listed
    digests: dict[str, str] = {}
    for issue in listed:
        out = tmp_path / "render" / issue["format"]
        args = ["render", issue["date"], "--format", issue["format"], "--out", str(out), "--store", store]
        for fmt in ARCHIVE_FORMATS:
            args += ["--as", fmt]
        for line in _run(*args).split():
            path = Path(line)
            digests[f"{issue['format']}/{path.name}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = "".join(f"{digest}  {name}\n" for name, digest in sorted(digests.items()))
    golden = GOLDEN / "archive.sha256"
    if request.config.getoption("--update-golden"):
        golden.write_text(manifest, encoding="utf-8")
        return
    expected = golden.read_text(encoding="utf-8").splitlines()
    changed = sorted(set(manifest.splitlines()) ^ set(expected))
    assert not changed, f"{len(changed)} lines differ, first: {changed[:4]}"
