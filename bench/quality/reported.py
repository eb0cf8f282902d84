"""Reported speech marking on small hand-labelled samples (bench/data/reported_speech*.jsonl).

`reported_speech.jsonl`: 32 real news sentences from ECB+ (ecbplus-dev.jsonl, drawn with a fixed seed: 22 with a
quote mark or a speech word, 10 without), each paired with a claim written from the
sentence's own clause. Labelled by hand before the rule was run: `reported` is true when
the words stating the claim are inside a quotation or attributed to someone other than
the outlet (a speech verb, "according to", "claims that"), false when the outlet states
them in its own voice. The rule was written while reading this sample, so its figure there
is optimistic; `reported_speech_fresh.jsonl` (20 more sentences, seed 29, 14 with a cue
word and 6 without) was drawn and labelled the same way after the rule was fixed, and
is the fair figure. Prints accuracy, precision and recall of the shipped rule and of
the narrow baseline (quotes, "claims/said that", "it is false that") in the same run.

    python -m bench.quality.reported
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from index.search.reported import is_reported, matched_words, mostly_quoted

DATA = Path(__file__).resolve().parents[1] / "data"

_NARROW_CUE = re.compile(r"\b(?:(?:claim|claims|claimed|said|says|say|allege|alleges|alleged|report|reports|reported|"
                         r"argue|argues|argued|insist|insists|insisted)\s+that|it\s+is\s+(?:false|untrue|not\s+true)\s+that)\b",
                         re.IGNORECASE)


def is_reported_narrow(claim: str, passage: str) -> bool:
    """The baseline rule measured beside ``is_reported``: quotation marks, or only the
    literal "claims that", "said that", "it is false that" cues before the words."""
    matched, cue = matched_words(claim, passage), _NARROW_CUE.search(passage)
    after_cue = 0 if cue is None else sum(1 for m in matched if m.start() > cue.start())
    return bool(matched) and (mostly_quoted(passage, matched) or (cue is not None and after_cue / len(matched) >= 0.5))


def main() -> None:
    for name in ("reported_speech.jsonl", "reported_speech_fresh.jsonl"):
        report(name, [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()
                      if line.strip()])


def report(name: str, items: list[dict]) -> None:
    print(f"\n**{name}**: {len(items)} labelled pairs, {sum(i['reported'] for i in items)} reported\n")
    print("| rule | accuracy | precision | recall |\n| --- | --- | --- | --- |")
    for name, rule in (("baseline: quotes, 'claims/said that', 'it is false that'", is_reported_narrow),
                       ("shipped: quotes and any attribution (speech verbs, 'according to', trailing 'X said')",
                        is_reported)):
        said = [rule(i["claim"], i["passage"]) for i in items]
        gold = [i["reported"] for i in items]
        tp = sum(s and g for s, g in zip(said, gold))
        acc = sum(s == g for s, g in zip(said, gold)) / len(items)
        print(f"| {name} | {acc:.3f} | {tp / max(1, sum(said)):.3f} | {tp / max(1, sum(gold)):.3f} |")


if __name__ == "__main__":
    main()
