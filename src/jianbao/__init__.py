"""jianbao (简报): Chinese AI news briefings — the weekly AI 简报 and the daily AI 早报."""

__version__ = "0.1.0"
