"""Compare's flags and alignments against hand labels of real article-version pairs
(bench/data/compare_labels.jsonl: the sample corpus and ECB+ wire-story copies), for the
current compare and, in the same run, the compare before issue 12 (loaded from git history:
bench/history.py).

Flags: a predicted flag matches a labelled change when the kinds are equal and its words
overlap the labelled words on side A or on side B. Precision: predicted flags matching a
label / predicted flags (flags matching only "optional" labels are left out); recall:
labelled changes matched / labelled changes (optional ones left out).
Alignment: a predicted pair matches a labelled one when both passages overlap the
labelled snippets; "maybe" alignments count neither way.
Splits: "tune" pairs chose rules and thresholds; "eval" pairs were only evaluated.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.quality.compare [--verbose]
"""
from __future__ import annotations

import sys
from collections import Counter

from bench.data.version_pairs import CachedEncoder, load_labels, make_doc, overlaps, span_of, text_of
from bench.history import compare_before_issue_12
from index.compare import comparison as current
from index.text.words import normalized

Region = tuple[int, int]


def _regions(quotes) -> list[Region]:
    return [(q.start, q.end) for q in quotes if q is not None]


def flags_of(result, new: bool) -> list[tuple[str, list[Region], list[Region]]]:
    out = []
    if new:
        for p in result.pairs:
            out += [(f.kind, _regions(f.detail_a), _regions(f.detail_b)) for f in p.flags]
        for c in result.quote_changes:
            out += [(f.kind, _regions(f.detail_a), _regions(f.detail_b)) for f in c.flags]
        for u in result.unmatched_quotes:
            a, b = ([u.quote], []) if u.kind == "quote_removed" else ([], [u.quote])
            out.append((u.kind, _regions(a), _regions(b)))
    else:
        for c in result.quote_changes:
            out.append((c.kind, _regions(c.detail_a or [c.a]), _regions(c.detail_b or [c.b])))
    return out


def _hit(label, located, flag, any_kind: bool = False) -> bool:
    kind, ra, rb = flag
    la, lb = located
    if kind != label["kind"] and not any_kind:
        return False
    return any(overlaps(la, s, e) for s, e in ra) or any(overlaps(lb, s, e) for s, e in rb)


def score_flags(label: dict, result, new: bool, ta: str, tb: str, verbose: bool, tag: str) -> Counter:
    counts: Counter = Counter()
    flags = flags_of(result, new)
    changes = [(c, span_of(c, ta, tb)) for c in label["changes"]]
    for flag in flags:
        hits = [c for c, loc in changes if _hit(c, loc, flag)]
        if hits and all(c.get("optional") for c in hits):
            continue
        counts["predicted"] += 1
        counts["tp"] += bool(hits)
        counts[f"pred:{flag[0]}"] += 1
        counts[f"tp:{flag[0]}"] += bool(hits)
        if not hits and verbose:
            print(f"  [{tag}] FP {flag[0]}: a={[ta[s:e][:40] for s, e in flag[1]]} b={[tb[s:e][:40] for s, e in flag[2]]}")
    for c, loc in changes:
        if c.get("optional"):
            continue
        found = any(_hit(c, loc, f) for f in flags)
        counts["labels"] += 1
        counts["found"] += found
        counts["found_any_kind"] += any(_hit(c, loc, f, any_kind=True) for f in flags)
        counts[f"label:{c['kind']}"] += 1
        counts[f"found:{c['kind']}"] += found
        if not found and verbose:
            print(f"  [{tag}] FN {c['kind']}: a={c.get('a')!r} b={c.get('b')!r}")
    return counts


def score_alignment(label: dict, result, ta: str, tb: str, verbose: bool, tag: str) -> Counter:
    counts: Counter = Counter()
    if not label["aligned"]:
        return counts
    located = [(span_of(item, ta, tb), item.get("maybe", False)) for item in label["aligned"]]
    matched = set()
    for p in result.pairs:
        hits = [n for n, ((la, lb), _) in enumerate(located)
                if overlaps(la, p.a.start, p.a.end) and overlaps(lb, p.b.start, p.b.end)]
        if hits and all(located[n][1] for n in hits):
            continue
        counts["predicted"] += 1
        counts["tp"] += bool(hits)
        matched.update(hits)
        if not hits and verbose:
            print(f"  [{tag}] pair FP ({p.kind}, {p.similarity:.2f}): {p.a.text[:45]!r} / {p.b.text[:45]!r}")
    for n, (_, maybe) in enumerate(located):
        if not maybe:
            counts["labels"] += 1
            counts["found"] += n in matched
            if n not in matched and verbose:
                print(f"  [{tag}] pair FN: {label['aligned'][n]['a']!r} / {label['aligned'][n]['b']!r}")
    return counts


def verbatim_not_identical(result, new: bool) -> int:
    """Pairs shown as word for word (verbatim, and exact for the new compare) whose words differ."""
    return sum(1 for p in result.pairs if p.kind == "verbatim" and (p.exact if new else True)
               and normalized(p.a.text).replace(" ", "") != normalized(p.b.text).replace(" ", ""))


def ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "n/a"


def main() -> None:
    verbose = "--verbose" in sys.argv
    encoder = CachedEncoder()
    previous = compare_before_issue_12()
    totals: dict[tuple[str, str], Counter] = {}
    for label in load_labels():
        ta, tb = text_of(label["a"]), text_of(label["b"])
        if verbose:
            print(f"{label['id']} ({label['split']})")
        for name, module, new in (("before", previous, False), ("now", current, True)):
            da = make_doc(module.Doc, ta, "a-" + label["id"], encoder)
            db = make_doc(module.Doc, tb, "b-" + label["id"], encoder)
            result = module.compare_docs(da, db)
            flags = score_flags(label, result, new, ta, tb, verbose, name)
            align = score_alignment(label, result, ta, tb, verbose and new, name)
            for split in (label["split"], "all"):
                t = totals.setdefault((name, split), Counter())
                t.update(flags)
                t.update({f"align_{k}": v for k, v in align.items()})
                t["verbatim_not_identical"] += verbatim_not_identical(result, new)
                t["pairs"] += 1
    print("| compare | split | article pairs | flag precision | flag recall | recall, any kind | alignment precision | alignment recall | word-for-word pairs whose words differ |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for split in ("tune", "eval", "all"):
        for name in ("before", "now"):
            t = totals[(name, split)]
            print(f"| {name} | {split} | {t['pairs']} | {ratio(t['tp'], t['predicted'])} ({t['tp']}/{t['predicted']}) "
                  f"| {ratio(t['found'], t['labels'])} ({t['found']}/{t['labels']}) "
                  f"| {ratio(t['found_any_kind'], t['labels'])} "
                  f"| {ratio(t['align_tp'], t['align_predicted'])} ({t['align_tp']}/{t['align_predicted']}) "
                  f"| {ratio(t['align_found'], t['align_labels'])} ({t['align_found']}/{t['align_labels']}) "
                  f"| {t['verbatim_not_identical']} |")
    print("\nBy kind (all pairs, now): labelled found / labelled; predicted correct / predicted\n")
    print("| kind | recall | precision |")
    print("| --- | --- | --- |")
    t = totals[("now", "all")]
    kinds = sorted({k.split(":", 1)[1] for k in t if ":" in k})
    for kind in kinds:
        print(f"| {kind} | {t[f'found:{kind}']}/{t[f'label:{kind}']} | {t[f'tp:{kind}']}/{t[f'pred:{kind}']} |")


if __name__ == "__main__":
    main()
