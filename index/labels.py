"""Human labels of the fixed vocabularies, the one place they live: compare's pair kinds
and change flags (compare/comparison.py, compare/quote_changes.py, compare/meaning.py), the digest's
flags (stories/digest.py), lineage relations and roles, passage roles; how serious each
change or flag is (``severity``); and counted nouns (``count``: "1 outlet", "2 stories").

The JSON of the CLI keeps the raw kinds (the contract); people read these labels (the
bot, CLI text, the compare page). A kind missing here is shown with its underscores as
spaces, so a new kind is never shown raw; tests/test_labels.py checks every vocabulary
is covered.
"""
from __future__ import annotations

import inflect

# Changes compare finds between two articles, and the digest's flags of a story.
FLAG_LABELS = {
    # what changed in a matched quotation
    "quote_altered": "quotation altered",
    "title_changed": "title or name added/removed in quotation",
    "brackets_changed": "editorial brackets added/removed",
    "ellipsis_changed": "ellipsis added/removed",
    "attribution_changed": "attribution changed (speaker or speech verb)",
    # an attribution_changed split by what differs (compare/quote_changes.py ``change_kinds``)
    "speaker_changed": "speaker changed",
    "speech_verb_changed": "speech verb changed",
    "quote_removed": "quotation dropped in B",
    "quote_added": "quotation new in B",
    "wording_changed": "quoted words replaced in paraphrase",
    # meaning changes of an aligned passage
    "negation_changed": "negation added/removed",
    "hedging_changed": "certainty/hedging changed",
    "question_changed": "statement vs question",
    "number_changed": "number changed",
    "date_changed": "date changed",
    "name_changed": "name changed",
    # the digest's story flags
    "edited_after_publication": "edited after publication",
    "derived": "rewrite",
    "single_source": "single source",
    "undated": "undated",
    "unknown_outlet": "outlet unknown",
    # an article's credit of its source (stories/credits.py)
    "exclusive_on_derived": "claims an exclusive on a rewrite",
    "uncredited_copy": "rewrite without credit to its origin",
    "credits_other_outlet": "credits another outlet than its origin",
}

# compare's pairs; "edited": verbatim but for a few words.
PAIR_LABELS = {"verbatim": "verbatim", "reworded": "reworded", "exact": "exact", "edited": "edited"}

# lineage and digest: an article's relation to its story, a story's single-source basis.
RELATION_LABELS = {
    "origin": "origin",
    "derived": "rewrite",
    "related": "related",
    "single": "single article",
}
SINGLE_SOURCE_LABELS = {
    "one_article": "one article",
    "one_outlet": "one outlet",
    "all_derived": "every other article rewrites the origin",
}

# how a credited outlet names a story's origin (stories/outlet_names.py)
NAME_MATCH_LABELS = {"same": "the origin's outlet", "alias": "an alias of the origin",
                     "sister_title": "a sister title"}

# what an article's statements rest on (stories/sourcing.py)
SOURCING_LABELS = {"named": "named speakers", "unnamed": "unnamed sources", "document": "documents",
                   "outlet": "another outlet"}

# whether the side of a compared pair that rewrites the other credits it (compare's finding)
CREDIT_FINDING_LABELS = {"credits_origin": "credits its origin", "credits_other_outlet": "credits another outlet",
                         "no_credit": "credits no outlet"}

# where a passage sits in its article (records.PassageRole, text/roles.py)
ROLE_LABELS = {"headline": "headline", "standfirst": "standfirst", "body": "body", "caption": "caption",
               "dateline": "dateline"}

# How serious a change or a flag is, most serious first: one tier per tuple. Every list of
# changes or flags a reporter reads (compare, the digest, the compare page) is ordered by it,
# and a list cut short never hides a more serious item than one it shows. An
# ``attribution_changed`` not split into speaker / speech verb counts as a speaker change:
# never ranked below what it might be.
SEVERITY = (
    # A published story silently edited by its own outlet ranks first: readers of the first
    # version are never told, and the flag carries the edit's changed quotations, which may
    # hold any kind below (a changed speaker included), so it must never rank under one.
    ("edited_after_publication",),
    ("speaker_changed", "attribution_changed", "negation_changed"),  # who said it; the meaning reversed
    ("quote_altered", "number_changed", "date_changed", "name_changed", "question_changed",
     "wording_changed", "quote_removed", "quote_added"),  # the quoted words or the facts differ
    ("hedging_changed",),
    ("brackets_changed", "ellipsis_changed"),
    ("speech_verb_changed",),
    ("title_changed",),
    # whether a rewrite credits what it copied, after every changed quotation
    ("exclusive_on_derived",), ("uncredited_copy",), ("credits_other_outlet",),
    # the digest's story flags
    ("single_source",), ("derived",), ("undated", "unknown_outlet"),
)
_TIER = {kind: n for n, tier in enumerate(SEVERITY) for kind in tier}


def severity(kind: str) -> int:
    """The tier of ``kind`` in ``SEVERITY`` (0 = most serious); a kind not listed comes last."""
    return _TIER.get(kind, len(SEVERITY))


# How /sources' match labels read (JSON keeps ``contradicts``).
MATCH_LABELS = {"verbatim": "verbatim", "close": "close", "contradicts": "says the opposite", "related": "related"}

_ALL = {**MATCH_LABELS, **FLAG_LABELS, **PAIR_LABELS, **RELATION_LABELS, **SINGLE_SOURCE_LABELS, **ROLE_LABELS, **NAME_MATCH_LABELS,
        **SOURCING_LABELS, **CREDIT_FINDING_LABELS}


def label(kind: str | None) -> str:
    """The human label of any kind of the fixed vocabularies (never a raw ``snake_case``)."""
    if not kind:
        return ""
    return _ALL.get(kind) or str(kind).replace("_", " ")


def flag_label(kind: str) -> str:
    return FLAG_LABELS.get(kind) or str(kind).replace("_", " ")


_INFLECT = inflect.engine()


def count(n: int, noun: str) -> str:
    """"1 outlet", "2 outlets", "3 stories": a number and its noun in the right number (the
    one place plurals are made; ``noun`` is singular, and a phrase is inflected at its head:
    "article of unknown outlet" -> "articles of unknown outlet")."""
    head, sep, rest = noun.partition(" of ")
    word = head if n == 1 else _INFLECT.plural_noun(head)
    return f"{n} {word}{sep}{rest}"
