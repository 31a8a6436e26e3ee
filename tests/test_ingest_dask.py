"""On a Dask cluster, ingest stores exactly what it stores on one machine, and builds from either store match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.demo import sample_sources
from jianbao.records import to_dict
from jianbao.store import Store, open_store

pytest.importorskip("distributed")


def _config(tmp_path: Path) -> Path:
    _day, sources = sample_sources()
    lines = []
    for s in sources:
        lines += [
            "[[sources]]",
            f"name = {json.dumps(s.name)}",
            f"url = {json.dumps(s.url)}",
            f"kind = {json.dumps(s.kind)}",
            f"title = {json.dumps(s.title, ensure_ascii=False)}",
            f"region = {json.dumps(s.region, ensure_ascii=False)}",
            f"weight = {s.weight}",
            # JSON scalars and lists are TOML too
            "options = { " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in s.options.items()) + " }",
            "",
        ]
    path = tmp_path / "jianbao.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _entries(store: Store) -> list[dict]:
    # Ids and all, but not the fetch time: the two runs happen at different moments.
    rows = [to_dict(e) for e in store.get_entries(list(range(1, store.count_entries() + 1)))]
    return [{k: v for k, v in row.items() if k != "fetched"} for row in rows]


@pytest.mark.slow
def test_fetch_on_a_local_dask_cluster_stores_what_one_machine_stores(tmp_path: Path) -> None:
    day, _sources = sample_sources()
    config = _config(tmp_path)
    runner = CliRunner()
    stores, outputs = [], []
    for name, extra in (("one", []), ("dask", ["--dask", "local"])):
        url = f"sqlite:///{tmp_path / name}.db"
        fetched = runner.invoke(app, ["fetch", "--config", str(config), "--store", url, *extra])
        assert fetched.exit_code == 0, fetched.output
        out = tmp_path / f"out-{name}"
        built = runner.invoke(
            app,
            ["build", "--config", str(config), "--store", url, "--date", day.isoformat(), "--out", str(out)],
        )
        assert built.exit_code == 0, built.output
        with open_store(url) as store:
            stores.append(_entries(store))
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert stores[0] and stores[0] == stores[1]
    assert outputs[0] and outputs[0] == outputs[1]


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path: Path) -> None:
    config = _config(tmp_path)
    result = CliRunner().invoke(
        app,
        [
            "fetch",
            "--config",
            str(config),
            "--store",
            f"sqlite:///{tmp_path}/s.db",
            "--dask",
            "tcp://127.0.0.1:9",
        ],
    )
    assert result.exit_code != 0
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_the_jobs_really_run_on_the_cluster(tmp_path: Path) -> None:
    from jianbao.config import Config
    from jianbao.ingestion.runner import ingest

    _day, sources = sample_sources()
    config = Config.model_validate({"scale": {"dask": "local"}})
    with open_store(f"sqlite:///{tmp_path}/s.db") as store:
        store.sync_sources(sources)
        timings: dict[str, float] = {}
        report = ingest(store, sources, config=config, timings=timings)
        assert not report.failed and report.new > 0
    assert timings["workers_cpu"] > 0  # CPU seconds measured in the Dask workers, not in this process
