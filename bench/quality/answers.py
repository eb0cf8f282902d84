"""The product's verdicts read from its answers as the command-line contract gives them
(``sources --json``, the same document as ``SourcesResult.to_json``), so one scoring serves
this checkout, a release run from git history (``bench/history.cli_at``) and the product
after issue 21's fields land. Each evaluation reads only these fields:

- a hit's ``match``: ``verbatim`` / ``close`` state the claim, ``contradicts`` says the
  opposite, anything else does not state it;
- a hit's ``voice`` (``own`` / ``quoted`` / ``credited`` / ``disputed``) when the checkout
  gives one: a stating hit in voice ``disputed`` reports the claim to deny it, so it counts
  as contradicting, not stating; its ``reported`` (true / false) for the baseline voice;
- a hit's ``article``: ``article_id``, ``published``;
- the answer's ``found`` and ``first`` (``{"article_id", ...}``, an article id, or null).
  Without a ``first`` field it is derived as the verdict line before issue 21 did
  ("first dated: ..."): the earliest dated article among the stating hits, never an
  undated one. The evaluations print which of the two they read.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

STATING = ("verbatim", "close")
VOICES = ("own", "quoted", "credited", "disputed")
FIRST_DERIVED = ("no `first` field in this checkout's answers: derived as the verdict line before issue 21 did "
                 "(earliest dated stating hit; an undated article is never first)")
FIRST_READ = "`first` read from the answers' `first` field"

Answer = Mapping[str, Any]
Hit = Mapping[str, Any]


def answers_json(engine, queries: list[str], limit: int, outlet: str | None = None) -> list[dict[str, Any]]:
    """``sources --queries FILE --json``'s ``answers``, through the engine in this process."""
    return [a.to_json() for a in engine.sources_many(queries, limit=limit, outlet=outlet)]


def states(hit: Hit) -> bool:
    return hit.get("match") in STATING and hit.get("voice") != "disputed"


def contradicts(hit: Hit) -> bool:
    return hit.get("match") == "contradicts" or (hit.get("match") in STATING and hit.get("voice") == "disputed")


def found(answer: Answer) -> bool:
    return bool(answer["found"]) if "found" in answer else any(states(h) for h in answer["results"])


def article_verdicts(answer: Answer, names: Mapping[str, str]) -> dict[str, str]:
    """Article name -> ``states`` (a hit of it states the claim), ``contradicts`` (none
    states, one contradicts) or ``neither``, for the articles of ``names`` (id -> name)."""
    out = {name: "neither" for name in names.values()}
    for hit in answer["results"]:
        name = names.get(hit["article"]["article_id"])
        if name is None:
            continue
        if states(hit):
            out[name] = "states"
        elif contradicts(hit) and out[name] != "states":
            out[name] = "contradicts"
    return out


def has_first(answer: Answer) -> bool:
    return "first" in answer


def first_article(answer: Answer) -> str | None:
    """The id of the article the answer names first (see the module's note on the fallback)."""
    if has_first(answer):
        first = answer["first"]
        if isinstance(first, Mapping):
            return first.get("article_id") or (first.get("article") or {}).get("article_id")
        return first or None
    dated = [h["article"] for h in answer["results"] if h.get("match") in STATING and h["article"].get("published")]
    return min(dated, key=lambda a: a["published"])["article_id"] if dated else None


def voice(hit: Hit) -> str | None:
    """The product's voice of a hit, None when this checkout gives none."""
    return hit.get("voice")


def reported_voice(hit: Hit) -> str:
    """The baseline voice from the ``reported`` flag alone: reported -> quoted, else own."""
    return "quoted" if hit.get("reported") else "own"
