"""A jianbao plugin that cannot be imported (as when its own dependency is missing or broken)."""

raise RuntimeError("jianbao_broken cannot start: its settings are missing")
