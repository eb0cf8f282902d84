"""Issue 24 on a fresh, untuned set: credit recall and the sourcing profile on ECB+ development
articles that the credit rule was not tuned on (labelling rules: BENCHMARKS.md, "A fresh,
untuned labelled set"; labels in bench/data/credits_ecb_fresh.jsonl and
bench/data/sourcing_ecb_fresh.jsonl, made by reading before any run), with the rules' same-run
baseline for the sourcing kinds.

    python -m bench.quality.credits_fresh
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from bench.quality.credits import ECB, LABELS, ecb_articles
from index.records import Article, Quote
from index.stories.credits import credits_in
from index.stories.sourcing import SOURCING_KINDS, sourcing_profile

DATA = Path(__file__).resolve().parents[1] / "data"
CREDITS = DATA / "credits_ecb_fresh.jsonl"
SOURCING = DATA / "sourcing_ecb_fresh.jsonl"
_OUTLET_WORD = re.compile(r"\b(?:Reuters|AP|Associated Press|AFP|CNN|BBC|Times|Post|News|Journal|Herald|Tribune|Daily|"
                          r"newspaper|agency|television|TV|radio|magazine|Press)\b")


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _line(text: str, file: str, n: int) -> Quote:
    start = sum(len(part) + 1 for part in text.split("\n")[:n])
    return Quote.of(file, text, start, start + len(text.split("\n")[n]))


def _article(file: str, text: str) -> Article:
    return Article(file, None, None, [], None, None, len(text), 1)


def fresh_articles() -> dict[str, str]:
    tuned = {row["file"] for row in _rows(LABELS)}
    return {file: text for file, text, _ in ecb_articles(ECB) if file not in tuned}


def credit_scores(texts: dict[str, str]) -> dict:
    rows = _rows(CREDITS)
    found = missed = wrong = 0
    misses = []
    for row in rows:
        text = texts[row["file"]]
        names = [q.text for q in credits_in(_article(row["file"], text), text, [_line(text, row["file"], row["line"])], ())]
        if row["credit"] and row["credit"] in names:
            found += 1
        elif row["credit"]:
            missed += 1
            misses.append(row["credit"])
        wrong += sum(1 for n in names if n != row["credit"])
    everywhere = sum(len(credits_in(_article(f, t), t, [_line(t, f, n) for n, part in enumerate(t.split("\n"))
                                                           if part.strip()], ())) for f, t in texts.items())
    labelled = found + missed
    return {"articles": len(texts), "labelled_credits": labelled, "found": found, "wrong_detections": wrong,
            "recall": round(found / labelled, 3) if labelled else None,
            "detections_in_all_fresh_articles": everywhere, "missed": misses}


def product_kind(file: str, text: str, n: int) -> str:
    passage = _line(text, file, n)
    profile = sourcing_profile(_article(file, text), text, [passage], ["body"], ())
    return profile.kinds[0].kind if profile.kinds else "none"


def baseline_kind(line: str) -> str:
    if re.search(r"\b(?:according\s+to|reported)\b", line, re.I) and _OUTLET_WORD.search(line):
        return "outlet"
    if re.search(r"\b(?:sources?|officials?)\b", line, re.I):
        return "unnamed"
    if re.search(r"\b(?:report|documents?|statement)\b", line, re.I):
        return "document"
    if re.search(r"\b(?:said|says)\b", line) and re.search(r"(?<=\s)[A-Z]", line):
        return "named"
    return "none"


def kind_scores(pairs: list[tuple[str, str]]) -> dict:
    """Per kind, precision and recall of (label, predicted) pairs."""
    out = {}
    for kind in (*SOURCING_KINDS, "none"):
        given = sum(1 for _, p in pairs if p == kind)
        labelled = sum(1 for g, _ in pairs if g == kind)
        right = sum(1 for g, p in pairs if g == p == kind)
        out[kind] = {"labelled": labelled, "given": given, "correct": right,
                     "precision": round(right / given, 3) if given else None,
                     "recall": round(right / labelled, 3) if labelled else None}
    return out


def sourcing_scores(texts: dict[str, str]) -> dict:
    rows = _rows(SOURCING)
    product = [(r["kind"], product_kind(r["file"], texts[r["file"]], r["line"])) for r in rows]
    baseline = [(r["kind"], baseline_kind(r["text"])) for r in rows]
    confusions = Counter(f"{g}->{p}" for g, p in product if g != p)
    return {"statements": len(rows), "product": kind_scores(product), "baseline": kind_scores(baseline),
            "product_accuracy": round(sum(g == p for g, p in product) / len(rows), 3),
            "baseline_accuracy": round(sum(g == p for g, p in baseline) / len(rows), 3),
            "product_confusions": dict(confusions.most_common())}


def main() -> None:
    texts = fresh_articles()
    print(json.dumps({"credits": credit_scores(texts), "sourcing": sourcing_scores(texts)}, indent=2,
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
