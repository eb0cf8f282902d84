"""Who states a claim, who says the opposite, who was first: the sample corpus (000 ingested as
The Mail on Sunday, 2026-01-12) against claims labelled per article (default
bench/data/sample_claims.jsonl, rules in bench/data/README.md; ``--data`` scores any file
of the same format, such as a held-out one).

For each claim, `sources` (limit 10) answers; an article states the claim when one of its
hits in the answer states it, and contradicts it when none states it and one contradicts it
(bench/quality/answers.py: fields read, and how `first` is derived when the answer has no
`first` field). Reported, in one run, for:
1. the product: this checkout's `sources`;
2. before issue 21: `sources` of the release at ``BEFORE_ISSUE_21`` (its own command line,
   from git history, in its own home), on the same claims;
3. cosine >= 0.70 (the `close` rule before the fitted judge) between the claim and any
   passage of the article, all passages scored; contradicts = negation on one side only
   between the claim and the article's most similar passage.
Measures: (claim, article) precision and recall of "states" and of "contradicts"; per
claim, `found` right (some article states it) and `first` right (the earliest dated article
that states it; undated ones only when no dated one does).

    python -m bench.quality.sample_claims [--data FILE] [--limit 10] [--no-before] [--show]
"""
from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.data.homes import HOMES, bench_home
from bench.data.sample_claims import CLAIMS, CORPUS, LabelledClaim, ingest_commands, load_claims, sample_engine
from bench.history import BEFORE_ISSUE_21, cli_at
from bench.quality import answers as read
from bench.quality.baselines import negation_mismatch
from bench.quality.claims import OLD_CLOSE
from bench.quality.measures import precision_recall

LIMIT = 10


def gold_first(labels: dict[str, str], dates: dict[str, str | None]) -> set[str]:
    """The articles that may be named first: the earliest dated stating ones, or every
    undated stating one when none is dated; empty when none states the claim."""
    stating = [a for a, label in labels.items() if label == "states"]
    dated = [a for a in stating if dates[a]]
    if dated:
        earliest = min(dates[a] for a in dated)
        return {a for a in dated if dates[a] == earliest}
    return set(stating)


def first_right(labels: dict[str, str], first: str | None, dates: dict[str, str | None]) -> bool:
    allowed = gold_first(labels, dates)
    return first in allowed if first else not allowed


def score(claims: list[LabelledClaim], predicted: list[dict[str, str]], firsts: list[str | None],
          dates: dict[str, str | None]) -> dict[str, str]:
    gold_pairs = [(c.labels[a], p[a]) for c, p in zip(claims, predicted) for a in c.labels]
    sp, sr, s_calls, s_pos = precision_recall((p == "states" for _, p in gold_pairs), (g == "states" for g, _ in gold_pairs))
    cp, cr, c_calls, c_pos = precision_recall((p == "contradicts" for _, p in gold_pairs),
                                              (g == "contradicts" for g, _ in gold_pairs))
    found_right = sum(("states" in c.labels.values()) == ("states" in p.values()) for c, p in zip(claims, predicted))
    firsts_right = sum(first_right(c.labels, f, dates) for c, f in zip(claims, firsts))
    n = len(claims)
    return {"states P": f"{sp:.3f} ({s_calls})", "states R": f"{sr:.3f} (of {s_pos})",
            "contradicts P": f"{cp:.3f} ({c_calls})" if c_calls else "– (0)", "contradicts R": f"{cr:.3f} (of {c_pos})",
            "found right": f"{found_right}/{n}", "first right": f"{firsts_right}/{n}"}


def product_rows(answers: list[dict], names: dict[str, str]) -> tuple[list[dict[str, str]], list[str | None]]:
    """Article verdicts and the first article's name, per answer."""
    firsts = [read.first_article(a) for a in answers]
    return [read.article_verdicts(a, names) for a in answers], [names.get(f, f) if f else None for f in firsts]


def before_issue_21(claims: list[str], limit: int) -> tuple[list[dict], dict[str, str]]:
    """`sources` of the release before issue 21, through its own command line, in its own home."""
    home = HOMES / f"{CORPUS}-at-{BEFORE_ISSUE_21}"
    names = {}
    for command in ingest_commands():
        for result in cli_at(BEFORE_ISSUE_21, home, CORPUS, *command)["results"]:
            names[result["article_id"] or result["duplicate_of"]] = Path(result["path"]).name.split("_", 1)[0]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as fh:
        fh.write("\n".join(claims) + "\n")
        fh.flush()
        answers = cli_at(BEFORE_ISSUE_21, home, CORPUS, "sources", "--queries", fh.name, "--limit", str(limit))["answers"]
    return answers, names


def cosine_rows(engine, ids: dict[str, str], claims: list[str],
                dates: dict[str, str | None]) -> tuple[list[dict[str, str]], list[str | None]]:
    """The plain baseline over every passage of every article (see the module's note)."""
    claim_vecs = engine.embedder.encode(claims)
    passages = {name: engine.passages(aid) for name, aid in ids.items()}
    sims = {name: claim_vecs @ engine.passage_vectors(aid).T for name, aid in ids.items()}
    predicted, firsts = [], []
    for k, claim in enumerate(claims):
        verdicts = {}
        for name in ids:
            best = int(np.argmax(sims[name][k]))
            if sims[name][k][best] >= OLD_CLOSE:
                verdicts[name] = "states"
            elif negation_mismatch(claim, passages[name][best].text):
                verdicts[name] = "contradicts"
            else:
                verdicts[name] = "neither"
        predicted.append(verdicts)
        dated = [n for n, v in verdicts.items() if v == "states" and dates[n]]
        firsts.append(min(dated, key=lambda n: dates[n]) if dated else None)
    return predicted, firsts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", "--claims", dest="claims", type=Path, default=CLAIMS,
                        help="labelled claims, JSON lines (see bench/data/README.md)")
    parser.add_argument("--limit", type=int, default=LIMIT)
    parser.add_argument("--home", type=Path, help="engine home (default: a kept one under /tmp/sourcedesk-bench)")
    parser.add_argument("--no-before", action="store_true", help=f"skip the release at {BEFORE_ISSUE_21}")
    parser.add_argument("--show", action="store_true", help="print each claim the product gets wrong")
    args = parser.parse_args()
    claims = load_claims(args.claims)
    texts = [c.claim for c in claims]
    engine, ids = sample_engine(args.home or bench_home(CORPUS))
    names = {aid: name for name, aid in ids.items()}
    dates = {name: engine.article(aid).published for name, aid in ids.items()}
    answers = read.answers_json(engine, texts, args.limit)
    rows = {f"**product**: `sources` of this checkout (limit {args.limit})": product_rows(answers, names)}
    if not args.no_before:
        before, before_names = before_issue_21(texts, args.limit)
        rows[f"before issue 21: `sources` at {BEFORE_ISSUE_21} (same claims, same run)"] = product_rows(before, before_names)
    rows[f"cosine >= {OLD_CLOSE:.2f} on any passage; contradicts = negation on one side only (most similar passage)"] = \
        cosine_rows(engine, ids, texts, dates)
    described = ", ".join(f"{n} ({dates[n] or 'undated'})" for n in ids)
    print(f"{len(claims)} claims from {args.claims}, {len(claims) * len(ids)} (claim, article) pairs; articles {described}")
    print(f"product: {read.FIRST_READ if all(read.has_first(a) for a in answers) else read.FIRST_DERIVED}\n")
    columns = ("states P", "states R", "contradicts P", "contradicts R", "found right", "first right")
    print("| labels | " + " | ".join(columns) + " |\n|" + " --- |" * (len(columns) + 1))
    for name, (predicted, firsts) in rows.items():
        s = score(claims, predicted, firsts, dates)
        print(f"| {name} | " + " | ".join(s[c] for c in columns) + " |")
    predicted, firsts = next(iter(rows.values()))
    by_kind = defaultdict(list)
    for k, c in enumerate(claims):
        by_kind[c.kind or "(none)"].append(k)
    print("\nproduct by kind of claim:\n\n| kind | claims | " + " | ".join(columns) + " |\n|" + " --- |" * (len(columns) + 2))
    for kind, ks in by_kind.items():
        s = score([claims[k] for k in ks], [predicted[k] for k in ks], [firsts[k] for k in ks], dates)
        print(f"| {kind} | {len(ks)} | " + " | ".join(s[c] for c in columns) + " |")
    if args.show:
        print()
        for c, p, f in zip(claims, predicted, firsts):
            if p != c.labels or not first_right(c.labels, f, dates):
                print(f"- {c.claim!r}: gold {c.labels} first {sorted(gold_first(c.labels, dates)) or None}; "
                      f"product {p} first {f}")


if __name__ == "__main__":
    main()
