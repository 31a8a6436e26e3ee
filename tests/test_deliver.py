"""Delivery to real receivers on loopback: a JSON webhook through Apprise, an SMTP server, the WeChat draft API
fake; budgets kept, items never cut, one failing channel never stopping the others, secrets never printed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _receivers import PNG, smtp_server, webhook, wechat_fake
from jianbao.cli import app
from jianbao.config import Config
from jianbao.deliver import Channel, deliver_issue
from jianbao.deliver.budget import measure, split_units
from jianbao.deliver.wechat_mp import WechatDraftKind
from jianbao.demo import sample_sources
from jianbao.ingestion.runner import ingest
from jianbao.issue.build import build
from jianbao.records import Issue
from jianbao.store import Store, open_store

DAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store file holding the samples and the weekly and daily of the snapshot date, built once."""
    url = f"sqlite:///{tmp_path_factory.mktemp('deliver') / 'jianbao.db'}"
    config = Config()
    with open_store(url) as store:
        _day, sources = sample_sources()
        store.sync_sources(sources)
        ingest(store, sources, config=config)
        for edition in ("weekly", "daily"):
            build(store, config, DAY, edition)
    yield url


def _issue(store: Store, fmt: str) -> tuple[Issue, str]:
    got = store.get_issue(f"{fmt}:{DAY.isoformat()}")
    assert got is not None
    markdown = store.get_markdown(got[0].id)
    assert markdown is not None
    return got[0], markdown


def test_webhook_gets_the_issue_split_at_items_within_budget(built: str) -> None:
    with webhook() as hook, open_store(built) as store:
        issue, markdown = _issue(store, "daily")
        channel = Channel(name="team", url=hook.url(), budget=1500, form="text")
        [report] = deliver_issue(issue, [channel], config=Config(), markdown=markdown)
    assert report.ok, report.error
    assert report.sent == len(hook.posts) > 1  # the daily is longer than 1,500 characters: several messages
    units = [u for u in split_units(markdown) if not u.is_head]
    for post, message in zip(hook.posts, report.messages, strict=True):
        assert post["title"] == message.title and post["message"] == message.body
        assert measure(post["title"] + "\n" + post["message"], "chars") <= 1500
    received = "\n".join(p["message"] for p in hook.posts)
    for unit in units:  # every item arrives whole, in one message
        assert unit.title and unit.title in received
    assert hook.posts[0]["title"].endswith(f"(1/{len(hook.posts)})")


def test_an_item_over_budget_sends_the_digest_with_a_link(built: str) -> None:
    config = Config.model_validate({"output": {"site_url": "https://news.example.org/ai/"}})
    with webhook() as hook, open_store(built) as store:
        issue, markdown = _issue(store, "weekly")
        channel = Channel(name="narrow", url=hook.url(), budget=900, form="markdown")
        published = dataclasses.replace(issue, state="published")
        [report] = deliver_issue(published, [channel], config=config, markdown=markdown)
    assert report.ok and report.note == "digest of titles with a link"
    [post] = hook.posts
    assert "1. " in post["message"]
    assert "https://news.example.org/ai/issues/2026-11-20-weekly.html" in post["message"]
    assert measure(post["title"] + "\n" + post["message"], "chars") <= 900


@pytest.mark.parametrize("state, site_url", [("draft", "https://news.example.org/ai/"), ("published", None)])
def test_a_digest_links_only_to_a_page_that_exists(built: str, state: str, site_url: str | None) -> None:
    """A draft is not on the site, and the placeholder site_url is nobody's site: no link rather than a 404."""
    config = Config.model_validate({"output": {"site_url": site_url}} if site_url else {})
    with webhook() as hook, open_store(built) as store:
        issue, markdown = _issue(store, "weekly")
        channel = Channel(name="narrow", url=hook.url(), budget=900, form="markdown")
        [report] = deliver_issue(dataclasses.replace(issue, state=state), [channel], config=config, markdown=markdown)
    assert report.ok and report.note == "digest of titles (no link: not on the site yet)"
    [post] = hook.posts
    assert "1. " in post["message"] and "issues/" not in post["message"] and "http" not in post["message"]


def test_a_failing_channel_is_reported_by_name_and_the_others_still_deliver(built: str) -> None:
    with webhook() as hook, open_store(built) as store:
        hook.fail_paths.add("/broken")
        issue, markdown = _issue(store, "daily")
        channels = [
            Channel(name="broken", url=hook.url("/broken")),
            Channel(name="unknown-kind", url="nosuchscheme://x"),
            Channel(name="good", url=hook.url("/good")),
        ]
        reports = deliver_issue(issue, channels, config=Config(), markdown=markdown, store=store)
        states = store.delivery_states(issue.id, "good")
    by_name = {r.channel: r for r in reports}
    assert by_name["broken"].error and by_name["unknown-kind"].error
    assert by_name["good"].ok and by_name["good"].sent >= 1
    assert "/good" in hook.paths
    assert set(states.values()) == {"sent"}


def test_secrets_come_from_the_environment_and_are_never_printed(built: str, tmp_path: Path) -> None:
    secret = "hunter2-very-secret"
    with webhook() as hook:
        hook.fail_paths.add("/hook")
        config_file = tmp_path / "jianbao.toml"
        config_file.write_text(
            f'[store]\nurl = "{built}"\n\n[[channels]]\nname = "team"\n'
            f'url = "json://bot:${{HOOK_TOKEN}}@127.0.0.1:{hook.port}/hook"\n', encoding="utf-8"
        )
        runner = CliRunner()
        missing = runner.invoke(app, ["deliver", "2026-11-20", "--config", str(config_file)])
        assert missing.exit_code == 1 and "HOOK_TOKEN is not set" in missing.output
        result = runner.invoke(app, ["deliver", "2026-11-20", "--config", str(config_file)],
                               env={"HOOK_TOKEN": secret, "COLUMNS": "200"})
    assert result.exit_code == 1  # the one channel failed
    assert "failed: channel team" in result.output
    assert secret not in result.output
    assert len(hook.posts) == 1


def test_deliver_to_a_url_posts_to_the_receiver_and_dry_run_shows_sizes(built: str) -> None:
    runner = CliRunner()
    with webhook() as hook:
        dry = runner.invoke(app, ["deliver", "2026-11-20", "--format", "weekly", "--to", hook.url(), "--dry-run",
                                  "--store", built], env={"COLUMNS": "250"})  # fmt: skip
        assert dry.exit_code == 0, dry.output
        assert "would send" in dry.output and "30,000 chars" in dry.output
        assert hook.posts == []
        sent = runner.invoke(app, ["deliver", "2026-11-20", "--format", "weekly", "--to", hook.url(),
                                   "--store", built], env={"COLUMNS": "250"})  # fmt: skip
    assert sent.exit_code == 0, sent.output
    assert len(hook.posts) == 1 and "AI 前沿" in hook.posts[0]["message"]


def test_email_newsletter_is_html_with_a_plain_text_part(built: str) -> None:
    with smtp_server() as box, open_store(built) as store:
        issue, markdown = _issue(store, "daily")
        channel = Channel(name="newsletter", url=box.url(to="a@example.com,b@example.com"),
                          options={"unsubscribe": "mailto:unsubscribe@example.com"})  # fmt: skip
        [report] = deliver_issue(issue, [channel], config=Config(), markdown=markdown)
    assert report.ok, report.error
    [mail] = box.messages
    assert box.envelopes == [("editor@example.com", ["a@example.com", "b@example.com"])]
    assert mail.get_content_type() == "multipart/alternative"
    plain = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert plain is not None and html is not None
    text, markup = plain.get_content(), html.get_content()
    assert "GPT-5.7" in text and "<" not in text.split("\n", 1)[0]
    assert "style=" in markup and "<style" not in markup and 'href="https://openai.com/' in markup
    assert mail["List-Unsubscribe"] == "<mailto:unsubscribe@example.com>"


def test_wechat_draft_uploads_images_and_the_cover_then_adds_the_draft(built: str, tmp_path: Path) -> None:
    fetched: list[str] = []

    def load(url: str) -> tuple[bytes, str] | None:  # the images of the issue, served as PNGs
        fetched.append(url)
        return (PNG, "image/png") if "gif" not in url else (b"GIF89a", "image/gif")

    kind = WechatDraftKind(load_image=load)
    with wechat_fake() as fake, open_store(built) as store:
        issue, markdown = _issue(store, "weekly")
        channel = Channel(name="mp", url=fake.url(), options={"author": "AI 简报编辑部"})
        prepared = kind.prepare(issue, channel, config=Config(), markdown=markdown)
        fake.expire_next_call = True  # the first authed call finds the token expired: refreshed once
        detail = kind.send(prepared, prepared.messages, url=fake.url().replace("${WECHAT_APPSECRET}", fake.secret),
                           config=Config(), issue=issue)  # fmt: skip
    [draft] = fake.drafts
    articles = draft["articles"]
    assert len(articles) == len(prepared.messages) >= 2  # the weekly's WeChat HTML is over 20,000 characters
    assert fake.tokens_issued == 2 and fake.calls[0] == "/cgi-bin/stable_token"
    assert fake.uploads and all(u == PNG for u in fake.uploads)
    for article in articles:
        assert len(article["content"]) < 20000 and len(article["title"]) <= 32
        assert article["thumb_media_id"] in fake.materials and article["author"] == "AI 简报编辑部"
        assert "mmbiz.qpic.cn/mmbiz_png/fake" in article["content"] or "<img" not in article["content"]
        assert "mmbiz.qpic.cn/mmbiz_gif" not in article["content"]  # a GIF cannot be an article image
    assert "标题" not in json.dumps(articles)  # sanity: real titles, not placeholders
    assert "AI 简报".encode() in fake.raw_drafts[0] and b"\\u" not in fake.raw_drafts[0]  # UTF-8, no escapes
    assert detail.startswith("draft DRAFT-1")


def test_wechat_draft_through_deliver_with_the_secret_from_the_environment(built: str, tmp_path: Path) -> None:
    from jianbao import deliver as deliver_module

    cover = tmp_path / "cover.png"
    cover.write_bytes(PNG)
    env = {"WECHAT_APPSECRET": "s3cr3t-app-secret"}
    with wechat_fake() as fake, open_store(built) as store:
        issue, markdown = _issue(store, "daily")  # the daily has no pictures: the cover comes from the option
        deliver_module.register_channel_kind(WechatDraftKind(load_image=lambda _url: None))
        try:
            [bare] = deliver_issue(issue, [Channel(name="mp", url=fake.url())], config=Config(), markdown=markdown,
                                   env=env)  # fmt: skip
            channel = Channel(name="mp", url=fake.url(), options={"cover": str(cover)})
            [report] = deliver_issue(issue, [channel], config=Config(), markdown=markdown, env=env)
        finally:
            deliver_module.register_channel_kind(WechatDraftKind())
    assert bare.error == "no cover image: the issue has none"
    assert report.ok, report.error
    assert report.kind == "wxmp" and report.sent == len(report.messages) == 1
    assert len(fake.drafts) == 1 and list(fake.materials.values()) == [PNG]
    assert fake.secret not in report.detail
