"""Lead vs TextRank on real Chinese articles: ROUGE-1/2/L F1 on characters against publishers' own summaries.

Run: ``python bench/eval_summaries.py [--shared ../shared] [--form plain|markdown] [--verbose]``.

References are what the publishers wrote to summarise their own articles, found by the cleaning rules
(``jianbao.summarize.clean``) and removed from the input before any system reads it:

* **standfirst** – 【…导读】, 编者按, 导读：, 引言：, 摘要：, AI Summary, a dek above the byline;
* **key points** – the 划重点 box (①…④) and an AI summary's bullet points;
* **headline** – the article's title (weak: TextRank is steered by the title, so this favours it).

Systems, all at the weekly's budget (300 reader characters) on the same cleaned text:

* ``lead`` – ``jianbao.summarize.lead.lead`` (2–4 opening paragraphs, cut at sentence ends);
* ``lead-1`` – the first story paragraph alone, cut the same way;
* ``textrank`` – ``jianbao.summarize.extractive.summarize`` on the cleaned text, with the title;
* ``textrank-raw`` – the same on the raw text (what builds do today), reference lines taken out;
* ``middle`` – paragraphs from the middle of the article (a floor: position matters).

ROUGE here is computed on tokens that are single CJK characters or runs of Latin letters/digits
(lower-cased), punctuation dropped, as usual for Chinese; ROUGE-L is the LCS F1. The editor's own 2021
summaries (``archive/2021``) would be the best reference, but their articles' texts are not available
offline: the script counts how many of their links have a text in the corpus and prints it.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import os
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import itertools

import markdown_it

from jianbao.ingestion.sources._text import html_to_text
from jianbao.summarize.clean import CleanArticle, clean
from jianbao.summarize.extractive import summarize as textrank
from jianbao.summarize.lead import lead, sentences

BUDGET = 300
_TOKEN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z]+|\d+(?:\.\d+)?")
_WECHAT_RE = re.compile(r"mp\.weixin\.qq\.com/s/([A-Za-z0-9_-]{10,})")


# --- ROUGE on characters ------------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN_RE.findall(text.replace("**", ""))]


def _f1(overlap: int, candidate: int, reference: int) -> float:
    if not overlap or not candidate or not reference:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge_n(candidate: Sequence[str], reference: Sequence[str], n: int) -> float:
    grams = lambda seq: Counter(tuple(seq[i : i + n]) for i in range(len(seq) - n + 1))  # noqa: E731
    c, r = grams(candidate), grams(reference)
    return _f1(sum((c & r).values()), sum(c.values()), sum(r.values()))


def rouge_l(candidate: Sequence[str], reference: Sequence[str]) -> float:
    if not candidate or not reference:
        return 0.0
    previous = [0] * (len(reference) + 1)
    for token in candidate:
        current = [0]
        for j, ref in enumerate(reference):
            current.append(previous[j] + 1 if token == ref else max(previous[j + 1], current[j]))
        previous = current
    return _f1(previous[-1], len(candidate), len(reference))


def scores(candidate: str, reference: str) -> tuple[float, float, float]:
    c, r = tokens(candidate), tokens(reference)
    return rouge_n(c, r, 1), rouge_n(c, r, 2), rouge_l(c, r)


# --- the corpus and its references ----------------------------------------------------------------------


@dataclasses.dataclass
class Case:
    name: str
    title: str
    raw: str  # the text as stored, reference lines taken out
    article: CleanArticle  # cleaned, reference paragraphs taken out
    references: dict[str, str]


def load(shared: Path, form: str) -> tuple[list[Case], set[str]]:
    root = shared / "corpus" / "articles-2022-2024"
    md = markdown_it.MarkdownIt()
    cases: list[Case] = []
    ids: set[str] = set()
    with (root / "MANIFEST.tsv").open(encoding="utf-8") as manifest:
        rows = list(csv.DictReader(manifest, delimiter="\t"))
    for row in rows:
        raw = (root / row["file"]).read_text(encoding="utf-8")
        head = raw.split("\n", 3)
        ids.update(_WECHAT_RE.findall(head[3][:300] if len(head) > 3 else ""))
        body = (head[3] if len(head) > 3 else "").partition("\n")[2]
        text = body if form == "markdown" else html_to_text(md.render(body))
        cleaned = clean(text, source=row["publisher"])
        standfirst = cleaned.standfirst
        points = "\n".join(
            re.sub(r"^[\s•·*\-]*[①-⑳]?\s*", "", r.text)
            for r in cleaned.removed
            if r.category == "keypoints" and len(r.text) > 12
        )
        references = {"standfirst": standfirst, "key points": points, "headline": head[0].strip()}
        story = tuple(p for p in cleaned.paragraphs if p.kind != "standfirst")
        stripped = dataclasses.replace(cleaned, paragraphs=story)
        # The raw text loses every line that shares a 12-character stretch with a reference.
        snippets = {
            ref[i : i + 12] for ref in (standfirst, points) if ref for i in range(0, max(1, len(ref) - 11), 6)
        }
        raw_lines = [line for line in text.split("\n") if not any(s in line for s in snippets)]
        cases.append(Case(row["file"], head[0].strip(), "\n".join(raw_lines), stripped, references))
    return cases, ids


def archive_overlap(shared: Path, corpus_ids: set[str]) -> tuple[int, int]:
    """(archive 2021 WeChat links, of them with an article text in the corpus)."""
    links: set[str] = set()
    for path in (shared / "archive" / "2021").glob("*.md"):
        links.update(_WECHAT_RE.findall(path.read_text(encoding="utf-8")))
    return len(links), len(links & corpus_ids)


# --- systems ----------------------------------------------------------------------------------------------


def _middle(article: CleanArticle) -> str:
    body = [p.text for p in article.paragraphs if p.kind == "text" and len(p.text) > 40]
    if not body:
        return ""
    chosen: list[str] = []
    for text in body[len(body) // 2 :]:
        if sum(map(len, chosen)) + len(text) > BUDGET:
            break
        chosen.append(text)
    if chosen:
        return "\n\n".join(chosen)
    first = sentences(body[len(body) // 2])
    return "".join(first[:1])


SYSTEMS: dict[str, Callable[[Case], str]] = {
    "lead": lambda c: lead(c.article, standfirst=False).text,
    "lead-1": lambda c: lead(c.article, standfirst=False, max_paragraphs=1).text,
    "textrank": lambda c: textrank(
        c.article.body(kinds=("text", "quote")), title=c.title, min_chars=100, max_chars=BUDGET
    ),
    "textrank-raw": lambda c: textrank(c.raw, title=c.title, min_chars=100, max_chars=BUDGET),
    "middle": lambda c: _middle(c.article),
}


def outputs(cases: list[Case]) -> dict[str, list[str]]:
    """Every system's summary of every case, computed once."""
    return {name: [system(c) for c in cases] for name, system in SYSTEMS.items()}


def evaluate(
    cases: list[Case], summaries: dict[str, list[str]], reference: str, *, limit: int | None = None
) -> tuple[dict[str, tuple[float, float, float]], int, int]:
    """Mean ROUGE-1/2/L F1 (×100) of every system against one kind of reference.

    With ``limit``, every summary is first cut to its first ``limit`` tokens, so systems are compared at
    equal length (ROUGE F1 favours whichever output is nearer the reference's length). Also returns the
    article count and on how many of them ``lead`` beats ``textrank`` on ROUGE-1.
    """
    usable = [k for k, c in enumerate(cases) if len(tokens(c.references[reference])) >= 8]
    table: dict[str, tuple[float, float, float]] = {}
    firsts: dict[str, list[float]] = {}
    for name, texts in summaries.items():
        rows = []
        for k in usable:
            candidate, ref = tokens(texts[k]), tokens(cases[k].references[reference])
            candidate = candidate[:limit] if limit else candidate
            rows.append((rouge_n(candidate, ref, 1), rouge_n(candidate, ref, 2), rouge_l(candidate, ref)))
        firsts[name] = [r[0] for r in rows]
        if rows:
            r1, r2, rl = (100 * statistics.fmean(r[i] for r in rows) for i in range(3))
            table[name] = (r1, r2, rl)
    wins = sum(a > b for a, b in zip(firsts.get("lead", []), firsts.get("textrank", []), strict=True))
    return table, len(usable), wins


_CONNECTIVE_RE = re.compile(
    r"^(?:\*\*)?(?:但|但是|而|而且|此外|另外|因此|所以|同时|不过|其中|这|该|此|他|她|它|他们|这些|那么|对此|于是)"
)


def coherence(cases: list[Case], summaries: dict[str, list[str]]) -> dict[str, tuple[float, float]]:
    """Per system: % of summaries stitched from non-adjacent paragraphs, % opening on a connective or pronoun.

    A summary sentence is placed in the first cleaned paragraph that contains it (bold ignored); a summary
    is stitched when two consecutive sentences come from paragraphs that are not next to each other.
    """
    out: dict[str, tuple[float, float]] = {}
    for name, texts in summaries.items():
        stitched = opens = total = 0
        for case, text in zip(cases, texts, strict=True):
            if not text:
                continue
            total += 1
            paragraphs = [p.text.replace("**", "") for p in case.article.paragraphs]
            places = []
            for sentence in (s for part in text.replace("**", "").split("\n\n") for s in sentences(part)):
                probe = sentence.strip()[:12]
                start = places[-1] if places else 0  # the nearest match at or after the previous sentence
                order = [*range(start, len(paragraphs)), *range(start)]
                place = next((i for i in order if probe and probe in paragraphs[i]), None)
                if place is not None:
                    places.append(place)
            stitched += any(b - a > 1 or b < a for a, b in itertools.pairwise(places))
            opens += bool(_CONNECTIVE_RE.match(text.strip()))
        out[name] = (100 * stitched / max(1, total), 100 * opens / max(1, total))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--shared", type=Path, default=default)
    parser.add_argument("--form", choices=("plain", "markdown"), default="plain")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus" / "articles-2022-2024").is_dir():
        sys.exit(f"corpus not found under {args.shared} (set JIANBAO_SHARED or --shared)")
    cases, ids = load(args.shared, args.form)
    total, found = archive_overlap(args.shared, ids)
    print(
        f"{len(cases)} real articles ({args.form} form); archive 2021: {total} WeChat links, "
        f"{found} with their article text in the corpus"
    )
    summaries = outputs(cases)
    for limit in (None, 100):
        for reference in ("standfirst", "key points", "headline"):
            table, count, wins = evaluate(cases, summaries, reference, limit=limit)
            length = f"first {limit} tokens of each summary" if limit else f"summaries as built (≤ {BUDGET})"
            print(
                f"\nreference: {reference} ({count} articles); {length}; lead > textrank on R-1 in {wins}\n"
            )
            print("| system | ROUGE-1 | ROUGE-2 | ROUGE-L |")
            print("| --- | ---: | ---: | ---: |")
            for name, (r1, r2, rl) in table.items():
                print(f"| {name} | {r1:.1f} | {r2:.1f} | {rl:.1f} |")
    print("\ncoherence (all articles)\n")
    print("| system | stitched from non-adjacent paragraphs | opens on a connective or pronoun |")
    print("| --- | ---: | ---: |")
    for name, (stitched, opens) in coherence(cases, summaries).items():
        print(f"| {name} | {stitched:.0f}% | {opens:.0f}% |")
    if args.verbose:
        for k, case in enumerate(cases[:5]):
            print(
                f"\n{case.name}\n  lead: {summaries['lead'][k][:80]!r}\n  textrank: {summaries['textrank'][k][:80]!r}"
            )


if __name__ == "__main__":
    main()
