"""Editions: the weekly AI 简报 and the daily AI 早报, each defined once."""
