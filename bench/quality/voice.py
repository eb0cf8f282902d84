"""Whose voice a claim is in: the product's `voice` of a hit on the hand-labelled sets
(bench/data/voice_dev.jsonl, voice_fresh.jsonl, voice_blind.jsonl; ``--data`` scores any
files of the same format, such as held-out ones; rules in bench/data/README.md), beside the
boolean `reported` of the release before issue 21 read as two voices (reported -> quoted,
else own), in one run.

The product answers through `sources`, as a reporter would ask: a passage labelled on its
own (``source`` ``ecb``, ``fnc``) is an article of its own in a corpus of all of them (no
outlet, no date), a ``sample-NNN`` passage is read in its sample article (the sample
corpus as bench/data/sample_claims.py ingests it: 000 as The Mail on Sunday). The claim
is asked with limit 10; the product's voice is that of the hit of the passage's article
overlapping the passage (for a passage on its own: its article's hit most similar to the
claim). A passage without such a hit counts as wrong ("not found" below). When the
checkout's answers carry no ``voice``, the product row reads its ``reported`` flag the same
way as the baseline.

The baseline is ``is_reported(claim, passage)`` of index/search/reported.py at
``BEFORE_ISSUE_21``, run as that release (bench/history.call_at), on the labelled passage.

    python -m bench.quality.voice [--data FILE ...] [--home DIR]
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from bench.data.homes import bench_home, data_digest
from bench.data.sample_claims import CORPUS as SAMPLE, sample_engine
from bench.history import BEFORE_ISSUE_21, call_at
from bench.quality import answers as read
from index import Engine, Settings

DATA = Path(__file__).resolve().parents[1] / "data"
SETS = tuple(DATA / f"voice_{name}.jsonl" for name in ("dev", "fresh", "blind"))
LIMIT = 10  # what a reporter sees by default; the claim is written from the passage
NOT_FOUND = "not found"


def load_rows(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("voice") not in read.VOICES or not row.get("passage") or not row.get("claim"):
            raise SystemExit(f"{path}:{n}: needs `passage`, `claim` and a `voice` of {read.VOICES}")
        rows.append(row)
    return rows


def passage_engine(passages: list[str], home: Path) -> tuple[Engine, dict[str, str]]:
    """The corpus of passages labelled on their own (one article each), and passage -> article id."""
    engine = Engine(Settings.from_env(home), "voice")
    path = home / "voice-passages.jsonl"
    path.write_text("".join(json.dumps({"text": p}) + "\n" for p in passages), encoding="utf-8")
    results = engine.ingest([path])  # stored texts come back as duplicates: a re-run stores nothing
    return engine, {p: r.article_id or r.duplicate_of for p, r in zip(passages, results)}


def product_voice(answer: dict, article_id: str | None, span: tuple[int, int] | None) -> str:
    hits = [h for h in answer["results"] if h["article"]["article_id"] == article_id]
    if span is not None:
        hits = [h for h in hits if h["quote"]["start"] < span[1] and span[0] < h["quote"]["end"]]
    if not hits:
        return NOT_FOUND
    hit = max(hits, key=lambda h: h["similarity"])
    return read.voice(hit) or read.reported_voice(hit)


def scores(rows: list[dict], predicted: list[str]) -> str:
    n = len(rows)
    cells = [f"{sum(r['voice'] == p for r, p in zip(rows, predicted)) / n:.3f}"]
    for kind in read.VOICES:
        right = sum(r["voice"] == kind == p for r, p in zip(rows, predicted))
        said, gold = sum(p == kind for p in predicted), sum(r["voice"] == kind for r in rows)
        cells.append(f"{right / said:.3f}" if said else "–")
        cells.append(f"{right / gold:.3f} ({gold})" if gold else "– (0)")
    cells.append(f"{sum((r['voice'] == 'own') == (p == 'own') for r, p in zip(rows, predicted)) / n:.3f}")
    cells.append(str(sum(p == NOT_FOUND for p in predicted)))
    return " | ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, nargs="+", default=list(SETS), help="labelled JSON-lines files")
    parser.add_argument("--home", type=Path, help="home of the passages' corpus (default: a kept one)")
    parser.add_argument("--show", action="store_true", help="print each pair the product gets wrong")
    args = parser.parse_args()
    sets = {path: load_rows(path) for path in args.data}
    rows = [r for rs in sets.values() for r in rs]
    alone = list(dict.fromkeys(r["passage"] for r in rows if not r["source"].startswith("sample-")))
    engine, article_of = passage_engine(alone, args.home or bench_home(f"voice-{data_digest(*args.data)}"))
    sample, ids = sample_engine(bench_home(SAMPLE)) if len(alone) < len(rows) else (None, {})
    sample_texts = {name: sample.show(aid)[1] for name, aid in ids.items()}
    reported = iter(call_at(BEFORE_ISSUE_21, "index.search.reported", "is_reported",
                            [[r["claim"], r["passage"]] for r in rows]))
    baseline = ["quoted" if next(reported) else "own" for _ in rows]
    predicted: dict[int, str] = {}
    for k, r in enumerate(rows):
        if r["source"].startswith("sample-"):
            name = r["source"].removeprefix("sample-")
            start = sample_texts[name].find(r["passage"])
            answer = read.answers_json(sample, [r["claim"]], LIMIT)[0]
            predicted[k] = product_voice(answer, ids[name], (start, start + len(r["passage"])) if start >= 0 else None)
        else:
            answer = read.answers_json(engine, [r["claim"]], LIMIT)[0]
            predicted[k] = product_voice(answer, article_of[r["passage"]], None)
    gave_voice = any(p in ("credited", "disputed") for p in predicted.values())
    print(f"product: {'`voice` of the hit' if gave_voice else 'no `voice` given: its `reported` read as quoted'}; "
          f"baseline: is_reported at {BEFORE_ISSUE_21} (reported -> quoted, else own)\n")
    columns = ["accuracy"] + [f"{v} {m}" for v in read.VOICES for m in ("P", "R")] + ["own vs not-own", NOT_FOUND]
    print("| set | n | rule | " + " | ".join(columns) + " |\n|" + " --- |" * (len(columns) + 3))
    k = 0
    for path, rs in sets.items():
        mine = [predicted[k + i] for i in range(len(rs))]
        base = baseline[k:k + len(rs)]
        print(f"| {path.name} | {len(rs)} | **product** | {scores(rs, mine)} |")
        print(f"| | | baseline: `reported` at {BEFORE_ISSUE_21} | {scores(rs, base)} |")
        if args.show:
            for r, p in zip(rs, mine):
                if r["voice"] != p:
                    print(f"<!-- gold {r['voice']} got {p}: {r['claim']!r} in {r['passage'][:120]!r} -->")
        k += len(rs)
    print("\nconfusion of the product (gold, predicted): "
          + str(dict(Counter((r["voice"], predicted[i]) for i, r in enumerate(rows) if r["voice"] != predicted[i]))))


if __name__ == "__main__":
    main()
