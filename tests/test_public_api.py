"""The public API is exactly ``jianbao.__all__``: every name resolves and is documented."""

from __future__ import annotations

import jianbao


def test_all_names_resolve_and_have_docstrings() -> None:
    assert len(set(jianbao.__all__)) == len(jianbao.__all__)
    for name in jianbao.__all__:
        value = getattr(jianbao, name)
        if name != "__version__":
            assert value.__doc__, f"jianbao.{name} has no docstring"


def test_no_public_name_is_missing_from_all() -> None:
    public = {n for n in vars(jianbao) if not n.startswith("_")}
    # modules imported as a side effect of loading submodules are not API
    public -= {"annotations", "TYPE_CHECKING", "Any", "errors", "records"}
    import types

    public = {n for n in public if not isinstance(getattr(jianbao, n), types.ModuleType)}
    assert public <= set(jianbao.__all__), public - set(jianbao.__all__)


def test_lazy_names_never_shadow_subpackages() -> None:
    import pkgutil

    submodules = {m.name for m in pkgutil.iter_modules(jianbao.__path__)}
    assert not submodules & set(jianbao._LAZY), submodules & set(jianbao._LAZY)


def test_cli_runs_in_a_fresh_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # In-process tests import everything first; a new interpreter meets the lazy names cold.
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "from jianbao.cli import main; main()", "demo", "--out", str(tmp_path / "out"),
         "--format", "weekly"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert (tmp_path / "out" / "AI简报20261120.md").exists()
