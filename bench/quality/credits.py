"""Precision of issue 24's credit detection and flags, with a naive baseline in the same run.

Labelling rules, written before the first run (bench/data/README.md repeats them):

- a **credit** (``credits``; ``credits_other_outlet`` is a credit of an outlet that is not the
  origin's) is correct when the named span is a news outlet (newspaper, magazine,
  broadcaster, news agency, news website or its programme) AND the passage gives it as the
  source of information the article reports ("X reported", "according to X", "told X",
  "first reported by X", "X has learned"); a non-outlet (a company, a person, a government),
  an outlet only mentioned as a subject, or a name cut so that it no longer names the
  outlet is wrong;
- an **exclusive claim** (``exclusive_on_derived`` when the article derives) is correct when
  the words claim, in the article's own voice, that it has the information first or alone
  ("Exclusive:", "we have learned", "can reveal", "OWN OUTLET has learned"); the word in
  someone's quotation, or another outlet's claim, is wrong;
- ``uncredited_copy`` on the sample is correct when the rewrite's text names no outlet of
  the origin as its source (001 credits the Daily Mail, 003 names The Mail on Sunday only as
  where cables were leaked);
- ``attribution_changed`` on the sample (added with the flag, labelled by reading both
  articles) is correct when the rewrite gives a quotation it took from its parent to another
  speaker or with another speech verb: 001 "One source said" -> "One source stated" and "The
  cable says" -> "The cable outlines"; 003 "A diplomatic source said" -> "according to a
  senior officer" and "One diplomatic cable describes" -> "the cables warn".

Sets: the sample corpus (000 as The Mail on Sunday; flags from ``lineage``), and the ECB+
development articles (/work/shared/data/ecbplus-dev.jsonl; each line of an article a passage,
outlet unknown: every credit is of another outlet). The ECB+ detections are labelled by hand
in bench/data/credits_ecb.jsonl (``file``, ``kind``, ``text``, ``correct``); a detection
without a label is reported, not scored.

The baseline: a credit is any capitalised name after "according to", "reported by", "told",
or before "reported"/"said"; an exclusive is any "exclusive", "revealed" or "has learned".

    python -m bench.quality.credits [--home DIR]
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from bench.data.homes import bench_home
from bench.data.sample_claims import sample_engine
from index.records import Article, Quote
from index.stories.credits import credits_in, exclusive_claim

ECB = Path("/work/shared/data/ecbplus-dev.jsonl")
LABELS = Path(__file__).resolve().parents[1] / "data" / "credits_ecb.jsonl"
SAMPLE_TRUTH = {  # (prefix, flag kind, quote text or None) that the labelling rules call correct
    ("001", "credits_other_outlet", "Daily Mail"), ("001", "uncredited_copy", None),
    ("003", "exclusive_on_derived", "Exclusive"), ("003", "uncredited_copy", None),
    ("001", "attribution_changed", "One source stated"), ("001", "attribution_changed", "The cable outlines"),
    ("003", "attribution_changed", "according to a senior officer"), ("003", "attribution_changed", "the cables warn"),
}
_NAME = r"((?:The\s+)?[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})"
_BASE_CREDIT = re.compile(rf"(?:according\s+to|reported\s+by|told)\s+{_NAME}|{_NAME}\s+(?:reported|said)\b")
_BASE_EXCLUSIVE = re.compile(r"\bexclusive\b|\brevealed\b|\bhas\s+learned\b", re.IGNORECASE)


def ecb_articles(path: Path = ECB) -> list[tuple[str, str, list[Quote]]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text, passages, at = row["text"], [], 0
        for part in text.split("\n"):
            if part.strip():
                passages.append(Quote.of(row["file"], text, at, at + len(part)))
            at += len(part) + 1
        out.append((row["file"], text, passages))
    return out


def detections(articles) -> list[dict]:
    found = []
    for file, text, passages in articles:
        article = Article(file, None, None, [], None, None, len(text), len(passages))
        found += [{"file": file, "kind": "credit", "text": q.text} for q in credits_in(article, text, passages, ())]
        claim = exclusive_claim(article, text, passages, ())
        if claim is not None:
            found.append({"file": file, "kind": "exclusive", "text": claim.text})
    return found


def baseline(articles) -> list[dict]:
    found = []
    for file, _, passages in articles:
        for p in passages:
            found += [{"file": file, "kind": "credit", "text": next(g for g in m.groups() if g)}
                      for m in _BASE_CREDIT.finditer(p.text)]
            found += [{"file": file, "kind": "exclusive", "text": m.group()} for m in _BASE_EXCLUSIVE.finditer(p.text)]
    return found


def score(found: list[dict], labels: dict[tuple[str, str, str], bool]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for d in found:
        row = out.setdefault(d["kind"], {"detected": 0, "correct": 0, "unlabelled": []})
        row["detected"] += 1
        verdict = labels.get((d["file"], d["kind"], d["text"]))
        if verdict is None:
            row["unlabelled"].append(d)
        row["correct"] += bool(verdict)
    for row in out.values():
        labelled = row["detected"] - len(row["unlabelled"])
        row["precision"] = round(row["correct"] / labelled, 3) if labelled else None
    return out


def sample_flags(home: Path) -> dict[str, dict]:
    engine, ids = sample_engine(home)
    prefix = {v: k for k, v in ids.items()}
    result = engine.lineage(ids["000"])
    flags = [(prefix[e.article.article_id], f.kind, f.quote.text if f.quote else None)
             for e in [result, *result.related] for f in e.credit.flags]
    out: dict[str, dict] = {}
    for flag in flags:
        row = out.setdefault(flag[1], {"detected": 0, "correct": 0})
        row["detected"] += 1
        row["correct"] += flag in SAMPLE_TRUTH
    missed = sorted(t for t in SAMPLE_TRUTH if t not in flags)
    return {"flags": out, "missed": [list(m) for m in missed], "shown": [list(f) for f in flags]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=None)
    args = parser.parse_args()
    labels = {}
    if LABELS.exists():
        for line in LABELS.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels[(row["file"], row["kind"], row["text"])] = bool(row["correct"])
    articles = ecb_articles()
    report = {"sample": sample_flags(args.home or bench_home("credits")),
              "ecb_product": score(detections(articles), labels),
              "ecb_baseline": score(baseline(articles), labels)}
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
