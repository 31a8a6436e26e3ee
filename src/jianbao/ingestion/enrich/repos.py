"""GitHub and Gitee repository answers: metadata, stars gained since the last look, and rate-limit stops."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["RateStop", "api_url", "parse_repo", "rate_stop", "request_headers"]


@dataclass(slots=True, frozen=True)
class RateStop:
    """Why a kind stopped for this run, and when the API says it may be asked again."""

    kind: str
    resets_at: dt.datetime | None

    def line(self, now: dt.datetime) -> str:
        if self.resets_at is None:
            return f"{self.kind}: rate limit reached; try again later"
        minutes = max(0, round((self.resets_at - now).total_seconds() / 60))
        return f"{self.kind}: rate limit reached; resets at {self.resets_at:%Y-%m-%d %H:%M} UTC (in {minutes} min)"


def api_url(kind: str, key: str, *, github_api: str, gitee_api: str) -> str:
    repo = key.partition(":")[2]
    if kind == "gitee":
        return f"{gitee_api.rstrip('/')}/api/v5/repos/{repo}"
    return f"{github_api.rstrip('/')}/repos/{repo}"


def request_headers(kind: str, token: str | None) -> dict[str, str]:
    if kind != "github":
        return {"Accept": "application/json"}
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _reset_time(headers: Mapping[str, str], now: dt.datetime) -> dt.datetime | None:
    reset = headers.get("x-ratelimit-reset", "").strip()
    if reset.isdigit():
        return dt.datetime.fromtimestamp(int(reset), dt.UTC)
    retry = headers.get("retry-after", "").strip()
    if retry.isdigit():
        return now + dt.timedelta(seconds=int(retry))
    return None


def rate_stop(
    kind: str, status: int | None, headers: Mapping[str, str], body: bytes, *, now: dt.datetime
) -> tuple[RateStop | None, bool]:
    """``(stop, refused)``: whether to stop the kind, and whether this very answer was a refusal.

    A 429, or a 403 with no quota left / a Retry-After / "rate limit" in the body (GitHub's primary
    and secondary limits), is a refusal. A successful answer that used the last request also stops
    the kind, but its data is good.
    """
    remaining = headers.get("x-ratelimit-remaining", "").strip()
    limited = status == 429 or (
        status == 403
        and (remaining == "0" or "retry-after" in headers or b"rate limit" in body[:2000].lower())
    )
    if limited:
        return RateStop(kind, _reset_time(headers, now)), True
    if remaining == "0":
        return RateStop(kind, _reset_time(headers, now)), False
    return None, False


def _license(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("spdx_id") or value.get("key") or value.get("name")
    return value if isinstance(value, str) and value else None


def parse_repo(
    kind: str, content: bytes, previous: Mapping[str, Any] | None, *, previous_at: str | None
) -> dict[str, Any]:
    """The stored metadata of one repository; ``stars_gained`` is the change since ``previous``.

    Raises ``ValueError`` on a body that is not a repository object.
    """
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"malformed JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("stargazers_count"), int):
        raise ValueError("not a repository object (no integer stargazers_count)")
    stars = data["stargazers_count"]
    prev_stars = previous.get("stars") if previous else None
    has_prev = isinstance(prev_stars, int)
    topics = data.get("topics")
    return {
        "name": data.get("full_name") or data.get("human_name"),
        "description": data.get("description") or None,
        "stars": stars,
        "forks": data.get("forks_count") if isinstance(data.get("forks_count"), int) else None,
        "language": data.get("language") or None,
        "license": _license(data.get("license")),
        "topics": [str(t) for t in topics] if isinstance(topics, list) else [],
        "pushed_at": data.get("pushed_at"),
        "archived": bool(data.get("archived", False)),
        "html_url": data.get("html_url"),
        "stars_gained": stars - prev_stars if has_prev else None,
        "stars_prev": prev_stars if has_prev else None,
        "stars_prev_at": previous_at if has_prev else None,
    }
