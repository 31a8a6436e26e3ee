"""The editor's desk: a local web UI to curate, edit, preview and publish one issue at a time."""

from jianbao.web.app import create_app

__all__ = ["create_app"]
