"""The bundled offline snapshot (``jianbao/samples/``) as sources, so the demo runs on a fresh machine."""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path

from jianbao.records import Source


def samples_dir() -> Path:
    return Path(str(resources.files("jianbao") / "samples"))


def sample_sources() -> tuple[dt.date, list[Source]]:
    """The snapshot date and the sample sources, their URLs pointing at the bundled files."""
    folder = samples_dir()
    manifest = tomllib.loads((folder / "sources.toml").read_text(encoding="utf-8"))
    sources = [
        Source(
            name=item["name"], url=str(folder / item["file"]), kind=item.get("kind", "rss"),
            title=item.get("title", ""), region=item.get("region", "国际"), weight=float(item.get("weight", 1.0)),
            options=dict(item.get("options", {})),
        )
        for item in manifest["source"]
    ]
    return dt.date.fromisoformat(manifest["snapshot_date"]), sources
