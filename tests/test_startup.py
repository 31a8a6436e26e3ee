"""The CLI starts without the heavy libraries only some commands need (jianbao --help takes no store)."""

from __future__ import annotations

import subprocess
import sys


def test_the_cli_imports_no_store_parser_or_cluster_library_at_start_up() -> None:
    code = (
        "import sys, jianbao.cli; "
        "print(sorted(m for m in ('sqlalchemy', 'feedparser', 'lxml', 'trafilatura', 'jieba', 'distributed') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
