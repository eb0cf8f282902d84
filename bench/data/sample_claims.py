"""The sample corpus as issue 21 ingests it, and claims labelled against it
(``sample_claims.jsonl``; the labelling rules are in bench/data/README.md).

Ingest: 000 with ``--outlet "The Mail on Sunday" --published 2026-01-12`` (what its text
says of itself); 001 and 003 as the files give them (001 dated 2026-02-09 by its first
line, 003 undated). Articles are named by their file's prefix: ``000``, ``001``, ``003``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from index import Engine, Metadata, Settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "sample_corpus"
CLAIMS = Path(__file__).resolve().parent / "sample_claims.jsonl"
CORPUS = "sample"
# what issue 21 gives at ingest, by file prefix (the CLI options of the same names)
INGEST_OPTIONS = {"000": {"outlet": "The Mail on Sunday", "published": "2026-01-12"}}
LABELS = ("states", "contradicts", "neither")


@dataclass(frozen=True)
class LabelledClaim:
    claim: str
    labels: dict[str, str]  # article prefix -> states | contradicts | neither
    kind: str = ""


def sample_files() -> dict[str, Path]:
    """Article prefix -> file of the sample corpus."""
    return {p.name.split("_", 1)[0]: p for p in sorted(SAMPLE_DIR.glob("*.txt"))}


def ingest_commands() -> list[list[str]]:
    """The ``sourcedesk ingest`` arguments that build the corpus, one command per option set."""
    files = sample_files()
    commands = []
    for prefix, options in INGEST_OPTIONS.items():
        flags = [x for name, value in options.items() for x in (f"--{name}", value)]
        commands.append(["ingest", str(files[prefix]), *flags])
    commands.append(["ingest", *(str(f) for p, f in files.items() if p not in INGEST_OPTIONS)])
    return commands


def sample_engine(home: Path) -> tuple[Engine, dict[str, str]]:
    """The engine over the sample corpus in ``home`` (ingested when absent; the same texts
    again are duplicates, so re-running is cheap) and prefix -> article id."""
    engine = Engine(Settings.from_env(home), CORPUS)
    ids = {}
    for prefix, path in sample_files().items():
        result = engine.ingest([path], Metadata(**INGEST_OPTIONS.get(prefix, {})))[0]
        ids[prefix] = result.article_id or result.duplicate_of
        if ids[prefix] is None:
            raise SystemExit(f"{path.name}: {result.status} {result.error}")
    return engine, ids


def load_claims(path: Path = CLAIMS) -> list[LabelledClaim]:
    """One JSON object a line: ``claim``, ``labels`` ({prefix: states|contradicts|neither}
    for every article of the sample corpus), optional ``kind``. A bad line stops the run
    with its number, before anything is scored."""
    prefixes = set(sample_files())
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            claim, labels = str(row["claim"]).strip(), dict(row["labels"])
        except (ValueError, KeyError, TypeError) as exc:
            raise SystemExit(f"{path}:{n}: not a labelled claim ({exc})") from exc
        if not claim or set(labels) != prefixes or not set(labels.values()) <= set(LABELS):
            raise SystemExit(f"{path}:{n}: needs a claim and one of {LABELS} for each of {sorted(prefixes)}")
        out.append(LabelledClaim(claim, labels, str(row.get("kind", ""))))
    return out
