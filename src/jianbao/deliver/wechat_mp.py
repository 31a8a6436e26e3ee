"""The 公众号 draft box: an issue pushed as a draft through the Official Account API, so the editor only
reviews and publishes it in WeChat's backend.

The steps follow the official documentation (developers.weixin.qq.com, 公众号 → 草稿箱 / 素材管理):

1. ``POST /cgi-bin/stable_token`` → ``access_token``. The *stable* token is the one to use beside other tools:
   asking for it does not invalidate a token another program holds (``/cgi-bin/token`` does).
2. Every image of the article: fetched, then ``POST /cgi-bin/media/uploadimg`` (multipart ``media``, jpg/png
   under 1 MB) → a mmbiz.qpic.cn URL that replaces the original; WeChat filters out external image URLs.
3. The cover: ``POST /cgi-bin/material/add_material?type=image`` (permanent material) → ``thumb_media_id``;
   the channel's ``cover`` option (a local file) or the issue's first image.
4. ``POST /cgi-bin/draft/add`` with ``articles``: title (≤ 32 characters), author (≤ 16), digest (≤ 128),
   content (< 20,000 characters), content_source_url, thumb_media_id → the draft's ``media_id``.

JSON goes out as UTF-8, never ``\\uXXXX`` escapes (the documentation warns they are stored literally). An issue
whose WeChat HTML is over 20,000 characters becomes several articles of one draft, split at item boundaries.
Channel URL: ``wxmp://APPID:${WECHAT_APPSECRET}@api.weixin.qq.com``; options: ``author``, ``cover``,
``open_comment``, ``source_url`` (default: the issue's page on the site).
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import httpx
import lxml.html

from jianbao.config import Config
from jianbao.deliver.budget import Budget, Message, Unit, measure, split_units
from jianbao.deliver.channels import Channel, Prepared, issue_link, issue_title
from jianbao.errors import ConfigError, DeliveryError, FetchError
from jianbao.records import Issue
from jianbao.render.wechat import markdown_to_wechat

__all__ = ["ImageLoader", "WechatApi", "WechatDraftKind", "fetch_image"]

CONTENT_LIMIT = 20_000  # characters of one article's content (official limit: fewer than 20,000)
TITLE_LIMIT = 32
AUTHOR_LIMIT = 16
DIGEST_LIMIT = 128
INLINE_IMAGE_BYTES = 1_000_000  # uploadimg: jpg/png up to 1 MB
COVER_BYTES = 10_000_000  # add_material image: up to 10 MB
_TOKEN_EXPIRED = {40001, 40014, 42001}  # invalid, malformed, expired access_token: ask for a fresh one once

# url → (bytes, content type), or None when it cannot be had; tests pass one that reads loopback servers.
ImageLoader = Callable[[str], tuple[bytes, str] | None]


def fetch_image(url: str, *, limit: int = COVER_BYTES, timeout: float = 20.0) -> tuple[bytes, str] | None:
    """An image from the web for re-upload; only public addresses (the URL comes from a feed), at most
    ``limit`` bytes, three redirects each checked again."""
    from jianbao.ingestion.fetch import check_public_url  # lazy: the fetch layer loads only when images move

    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for _hop in range(4):
            try:
                check_public_url(url)
                response = client.get(url)
            except (FetchError, httpx.HTTPError):
                return None
            if response.is_redirect and "location" in response.headers:
                url = urljoin(url, response.headers["location"])
                continue
            if response.status_code != 200 or len(response.content) > limit:
                return None
            return response.content, response.headers.get("content-type", "").split(";")[0].strip()
    return None


@dataclass
class WechatApi:
    """The few Official Account endpoints a draft needs, with the token kept and refreshed once on expiry."""

    base: str
    appid: str
    secret: str
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30.0))
    _token: str | None = None

    def token(self, *, refresh: bool = False) -> str:
        if self._token is None or refresh:
            data = self._post_json("/cgi-bin/stable_token", {
                "grant_type": "client_credential", "appid": self.appid, "secret": self.secret,
                "force_refresh": refresh,
            }, authed=False)  # fmt: skip
            self._token = str(data["access_token"])
        return self._token

    def upload_image(self, data: bytes, filename: str, content_type: str) -> str:
        """An article image → its WeChat URL (``media/uploadimg``)."""
        return str(self._call("POST", "/cgi-bin/media/uploadimg", files={"media": (filename, data, content_type)})["url"])

    def add_image_material(self, data: bytes, filename: str, content_type: str) -> str:
        """An image as permanent material → its ``media_id`` (``material/add_material?type=image``)."""
        got = self._call("POST", "/cgi-bin/material/add_material", params={"type": "image"},
                         files={"media": (filename, data, content_type)})  # fmt: skip
        return str(got["media_id"])

    def add_draft(self, articles: Sequence[dict[str, Any]]) -> str:
        """A draft of one or more articles → its ``media_id`` (``draft/add``)."""
        return str(self._post_json("/cgi-bin/draft/add", {"articles": list(articles)})["media_id"])

    def _post_json(self, path: str, payload: dict[str, Any], *, authed: bool = True) -> dict[str, Any]:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")  # never \\u escapes (see module doc)
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if not authed:
            return self._checked(path, self._request("POST", path, content=body, headers=headers))
        return self._call("POST", path, content=body, headers=headers)

    def _call(self, method: str, path: str, *, params: dict[str, str] | None = None, **kw: Any) -> dict[str, Any]:
        for attempt in (0, 1):
            query = {**(params or {}), "access_token": self.token(refresh=attempt == 1)}
            data = self._request(method, path, params=query, **kw)
            if data.get("errcode") in _TOKEN_EXPIRED and attempt == 0:
                continue
            return self._checked(path, data)
        raise AssertionError("unreachable")  # pragma: no cover

    def _request(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        try:
            response = self.client.request(method, self.base + path, **kw)
        except httpx.HTTPError as exc:
            raise DeliveryError("wxmp", f"{path}: {type(exc).__name__}: {exc}") from None
        try:
            data = response.json()
        except ValueError:
            raise DeliveryError("wxmp", f"{path}: HTTP {response.status_code}, not JSON") from None
        if not isinstance(data, dict):
            raise DeliveryError("wxmp", f"{path}: unexpected answer")
        return data

    @staticmethod
    def _checked(path: str, data: dict[str, Any]) -> dict[str, Any]:
        code = data.get("errcode", 0)
        if code:
            raise DeliveryError("wxmp", f"{path}: errcode {code} {data.get('errmsg', '')}".strip())
        return data


def _api_of(url: str, name: str) -> WechatApi:
    parts = urlsplit(url)
    if not parts.hostname or not parts.username or not parts.password:
        raise ConfigError(f"channel {name!r}: use wxmp://APPID:${{WECHAT_APPSECRET}}@api.weixin.qq.com")
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")  # a local fake or proxy speaks plain HTTP
    scheme = "http" if loopback else "https"
    port = f":{parts.port}" if parts.port else ""
    return WechatApi(f"{scheme}://{parts.hostname}{port}", unquote(parts.username), unquote(parts.password))


@dataclass
class WechatDraftKind:
    """The 公众号 draft box as a channel kind: one draft per issue (several articles when it is long)."""

    load_image: ImageLoader = field(default=fetch_image)
    name: str = "wxmp"
    atomic: bool = True  # all articles go in one draft/add call

    def claims(self, channel: Channel) -> bool:
        return channel.scheme == "wxmp"

    def budget(self, channel: Channel) -> Budget:
        return Budget(min(channel.budget or CONTENT_LIMIT, CONTENT_LIMIT) - 1, "chars", "html")

    def prepare(self, issue: Issue, channel: Channel, *, config: Config, markdown: str) -> Prepared:
        budget = self.budget(channel)
        title = issue_title(issue)
        groups = _articles(split_units(markdown, images=True), budget.limit, title)
        messages = []
        for i, (units, html) in enumerate(groups, 1):
            label = title if len(groups) == 1 else f"{title}（{i}/{len(groups)}）"
            body = _content(html)
            digest = next((u.title for u in units if u.title), "")
            messages.append(Message(label[:TITLE_LIMIT], body, measure(body, "chars"), part=i, parts=len(groups),
                                    alternative=digest))  # fmt: skip
        note = "one article" if len(messages) == 1 else f"{len(messages)} articles split at item boundaries"
        return Prepared(channel, self, budget, messages, note=f"draft: {note}")

    def send(
        self, prepared: Prepared, messages: Sequence[Message], *, url: str, config: Config, issue: Issue
    ) -> str:
        """Upload the images and the cover, then add the draft; returns what was done, for the report."""
        channel = prepared.channel
        api = _api_of(url, channel.name)
        try:
            uploaded: dict[str, str] = {}
            dropped: list[str] = []
            contents = [self._with_uploads(api, m.body, uploaded, dropped) for m in messages]
            thumb = self._cover(api, channel, messages)
            source = str(channel.options.get("source_url") or issue_link(issue, config))
            articles = [
                {
                    "title": m.title[:TITLE_LIMIT], "author": str(channel.options.get("author", ""))[:AUTHOR_LIMIT],
                    "digest": m.alternative[:DIGEST_LIMIT], "content": content, "content_source_url": source,
                    "thumb_media_id": thumb, "need_open_comment": int(bool(channel.options.get("open_comment"))),
                    "only_fans_can_comment": 0,
                }
                for m, content in zip(messages, contents, strict=True)
            ]  # fmt: skip
            media_id = api.add_draft(articles)
        except DeliveryError as exc:
            raise DeliveryError(channel.name, exc.reason) from None
        finally:
            api.client.close()
        detail = f"draft {media_id}: {len(articles)} article(s), {len(uploaded)} image(s) uploaded"
        return detail + (f", {len(dropped)} dropped ({', '.join(dropped[:3])})" if dropped else "")

    def _with_uploads(self, api: WechatApi, body: str, uploaded: dict[str, str], dropped: list[str]) -> str:
        """The article's HTML with each image re-hosted on WeChat; an image that cannot be is dropped."""
        root = lxml.html.fragment_fromstring(body, create_parent="section")
        for img in list(root.iter("img")):
            src = img.get("src", "")
            if src not in uploaded:
                got = self.load_image(src) if src else None
                kind = _image_type(got[1], src) if got else ""
                if got is None or kind not in ("image/jpeg", "image/png") or len(got[0]) > INLINE_IMAGE_BYTES:
                    dropped.append(src[:60] or "(empty)")
                    parent = img.getparent()
                    if parent is not None:
                        parent.remove(img)
                    continue
                uploaded[src] = api.upload_image(got[0], _filename(src, kind), kind)
            img.set("src", uploaded[src])
        return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)

    def _cover(self, api: WechatApi, channel: Channel, messages: Sequence[Message]) -> str:
        """The cover as permanent material: the ``cover`` option's file, else the issue's first usable image."""
        cover = channel.options.get("cover")
        if cover:
            path = Path(str(cover)).expanduser()
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise DeliveryError(channel.name, f"cover {path}: {exc.strerror}") from None
            kind = _image_type("", path.name)
            return api.add_image_material(data, path.name, kind)
        for message in messages:
            for src in lxml.html.fragment_fromstring(message.body, create_parent="section").xpath("//img/@src"):
                got = self.load_image(str(src))
                if got and len(got[0]) <= COVER_BYTES:
                    kind = _image_type(got[1], str(src))
                    return api.add_image_material(got[0], _filename(str(src), kind), kind)
        raise DeliveryError(channel.name, "no cover image: the issue has none", hint="set options.cover = \"cover.jpg\"")


def _articles(units: Sequence[Unit], limit: int, title: str) -> list[tuple[list[Unit], str]]:
    """Units packed into articles whose WeChat HTML stays under ``limit`` characters (an item is never cut)."""
    groups: list[tuple[list[Unit], str]] = []
    current: list[Unit] = []
    html = ""
    for unit in units:
        trial = markdown_to_wechat("\n\n".join(u.markdown for u in [*current, unit]), title=title)
        if current and len(_content(trial)) > limit:
            groups.append((current, html))
            current, html = [unit], markdown_to_wechat(unit.markdown, title=title)
        else:
            current, html = [*current, unit], trial
    if current:
        groups.append((current, html))
    return groups


def _content(document: str) -> str:
    """The article body WeChat takes: the inner HTML of the document's section, without html/head/body."""
    root = lxml.html.document_fromstring(document)
    section = root.find(".//body/section")
    if section is None:
        return document
    return str(lxml.html.tostring(section, encoding="unicode"))


def _image_type(content_type: str, name: str) -> str:
    kind = content_type.lower()
    if kind in ("image/jpeg", "image/jpg", "image/png", "image/gif", "image/bmp"):
        return "image/jpeg" if kind == "image/jpg" else kind
    guessed = mimetypes.guess_type(urlsplit(name).path or name)[0] or ""
    return guessed or "image/jpeg"


def _filename(src: str, kind: str) -> str:
    stem = Path(urlsplit(src).path).stem or "image"
    return f"{stem[:40]}{mimetypes.guess_extension(kind) or '.jpg'}"
