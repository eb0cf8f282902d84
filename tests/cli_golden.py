"""Every CLI command's JSON on the sample corpus, as one document: the proof that a change
meant to move code (not behaviour) left the contract's output alone.

``python tests/cli_golden.py --write`` records it in tests/data/cli_golden.json after a change
that is meant to alter answers (say so in the commit); ``tests/test_cli_golden.py`` compares.
Volatile values (times, temporary paths, durations) are dropped; ``same`` compares floats
within 1e-3, since CPU kernels may differ in the last bits of an embedding.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "cli_golden.json"
VOLATILE = {"added_at", "since", "until", "seconds", "path"}
CLAIMS = (
    "the joint chiefs of staff oppose the plan",
    "Trump ordered special forces to plan an invasion of Greenland",
    "Stephen Miller",
    "the lighthouse keeper sold the island to a shipping magnate",
)


def _clean(value):
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def same(actual, expected, where: str = "") -> list[str]:
    """Where the two documents differ (floats within 1e-3)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        if sorted(actual) != sorted(expected):
            return [f"{where}: keys {sorted(actual)} != {sorted(expected)}"]
        return [d for k in expected for d in same(actual[k], expected[k], f"{where}.{k}")]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(actual) != len(expected):
            return [f"{where}: {len(actual)} items != {len(expected)}"]
        return [d for i, (a, e) in enumerate(zip(actual, expected)) for d in same(a, e, f"{where}[{i}]")]
    if isinstance(expected, float) or isinstance(actual, float):
        ok = isinstance(actual, (int, float)) and isinstance(expected, (int, float)) and abs(actual - expected) <= 1e-3
        return [] if ok else [f"{where}: {actual!r} != {expected!r}"]
    return [] if actual == expected else [f"{where}: {actual!r} != {expected!r}"]


def _run(home: Path, *argv: str) -> object:
    from index.cli.commands import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--home", str(home), *argv, "--json"])
    return {"exit": code, "json": _clean(json.loads(out.getvalue()))}


def cli_documents() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        docs: dict[str, object] = {"ingest": _run(home, "ingest", str(ROOT / "sample_corpus"))}
        ids = sorted(a["article_id"] for a in _run(home, "articles")["json"]["articles"])
        docs["articles"] = _run(home, "articles")
        for i in ids:
            docs[f"show {i}"] = _run(home, "show", i)
            docs[f"lineage {i}"] = _run(home, "lineage", i)
        for a in ids:
            for b in ids:
                if a < b:
                    docs[f"compare {a} {b}"] = _run(home, "compare", a, b)
        for claim in CLAIMS:
            docs[f"sources {claim}"] = _run(home, "sources", claim, "--limit", "10")
        docs["search Joint Chiefs"] = _run(home, "search", "Joint Chiefs")
        docs["digest"] = _run(home, "digest", "--since", "7d")
        docs["stats"] = _run(home, "stats")
        docs["check"] = _run(home, "check")
        docs["show unknown"] = _run(home, "show", "deadbeefcafe")
        # Following the news (no feed: nothing here may reach a network).
        docs["watch add"] = _run(home, "watch", "add", CLAIMS[1])
        docs["watch list"] = _run(home, "watch", "list")
        docs["feeds list"] = _run(home, "feeds", "list")
        docs["outlets list"] = _run(home, "outlets", "list")
        docs["outlets group"] = _run(home, "outlets", "group", "The Mail on Sunday", "Daily Mail")
        return docs


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/cli_golden.py --write")
    sys.path.insert(0, str(ROOT))
    GOLDEN.write_text(json.dumps(cli_documents(), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
