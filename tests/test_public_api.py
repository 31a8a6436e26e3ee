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
