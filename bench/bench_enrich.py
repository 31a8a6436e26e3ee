"""Benchmark of the enrich stage: 2,000 arXiv ids and 3,000 repositories against a loopback API server.

Run: python bench/bench_enrich.py [--papers 2000] [--repos 3000]
Reports requests made, wall time, and the share served from the store on a second run (target: all of it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jianbao.config import EnrichSettings
from jianbao.ingestion.enrich import enrich
from jianbao.ingestion.fetch import FetchSettings
from jianbao.records import Entry, Link
from jianbao.store import open_store


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body in one segment: no Nagle/delayed-ACK stall on loopback
    hits = 0
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with _Handler.lock:
            _Handler.hits += 1
        parts = urlsplit(self.path)
        if parts.path == "/api/query":
            ids = parse_qs(parts.query)["id_list"][0].split(",")
            entries = "".join(
                f"<entry><id>http://arxiv.org/abs/{i}v1</id><published>2021-06-08T17:47:39Z</published>"
                f"<updated>2021-06-08T17:47:39Z</updated><title>Paper {i}</title><summary>Abstract of {i}</summary>"
                f"<author><name>A. Author</name></author><arxiv:primary_category term='cs.LG'/></entry>"
                for i in ids
            )
            body = (
                "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:arxiv='http://arxiv.org/schemas/atom'>"
                f"{entries}</feed>"
            ).encode()
            ctype, etag = "application/atom+xml", None
        else:
            name = parts.path.removeprefix("/repos/")
            stars = sum(map(ord, name)) * 7
            body = json.dumps(
                {
                    "full_name": name,
                    "stargazers_count": stars,
                    "forks_count": 3,
                    "language": "Python",
                    "license": {"spdx_id": "MIT"},
                    "topics": [],
                    "html_url": f"https://github.com/{name}",
                }
            ).encode()
            ctype, etag = "application/json", f'"{stars}"'
        if etag and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
            self.send_header("X-RateLimit-Remaining", "4999")
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--repos", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=2, help="api_concurrency (default as shipped)")
    args = parser.parse_args()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    settings = EnrichSettings(
        arxiv_base=base,
        github_api=base,
        gitee_api=base,
        arxiv_delay=0.0,
        arxiv_batch=100,
        api_concurrency=args.concurrency,
    )
    fetch = FetchSettings(trust_env=False, retries=0)
    links = [
        Link(url=f"https://arxiv.org/abs/2201.{n:05d}", kind="paper", key=f"arxiv:2201.{n:05d}")
        for n in range(args.papers)
    ]
    links += [
        Link(url=f"https://github.com/o{n}/r{n}", kind="code", key=f"github:o{n}/r{n}")
        for n in range(args.repos)
    ]
    when = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    entries = [
        Entry(
            source="bench",
            url=f"https://example.com/{i}",
            title=f"e{i}",
            published=when,
            links=links[i : i + 50],
        )
        for i in range(0, len(links), 50)
    ]

    with tempfile.TemporaryDirectory() as tmp, open_store(f"sqlite:///{tmp}/bench.db") as store:
        store.upsert_entries(entries)
        print(
            f"{len(links)} links ({args.papers} arXiv ids, {args.repos} repos), api_concurrency={args.concurrency}"
        )
        for label, kwargs in (
            ("first run", {}),
            ("second run", {}),
            ("--stale, repos aged", {"stale_only": True}),
        ):
            if label.startswith("--stale"):
                settings.repo_days = 0  # every repo is now stale: conditional requests, answered 304
            _Handler.hits = 0
            t0 = time.perf_counter()
            report = enrich(store, settings=settings, fetch_settings=fetch, **kwargs)
            elapsed = time.perf_counter() - t0
            served = report.fresh / len(links)
            print(
                f"{label:<22} requests {report.requests:>5} (server saw {_Handler.hits:>5})  "
                f"fetched {report.fetched:>5}  304 {sum(r.not_modified for r in report.kinds.values()):>5}  "
                f"fresh {report.fresh:>5} ({served:.0%} from cache)  failed {report.failed}  {elapsed:6.2f} s"
            )
    httpd.shutdown()
    httpd.server_close()


if __name__ == "__main__":
    main()
