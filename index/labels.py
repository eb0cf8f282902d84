"""Human labels of the fixed vocabularies, the one place they live: compare's pair kinds
and change flags (compare/comparison.py, compare/quote_changes.py, compare/meaning.py), the digest's
flags (stories/digest.py), lineage relations and roles, passage roles.

The JSON of the CLI keeps the raw kinds (the contract); people read these labels (the
bot, CLI text, the compare page). A kind missing here is shown with its underscores as
spaces, so a new kind is never shown raw; tests/test_labels.py checks every vocabulary
is covered.
"""
from __future__ import annotations

# Changes compare finds between two articles, and the digest's flags of a story.
FLAG_LABELS = {
    # what changed in a matched quotation
    "quote_altered": "quotation altered",
    "title_changed": "title or name added/removed in quotation",
    "brackets_changed": "editorial brackets added/removed",
    "ellipsis_changed": "ellipsis added/removed",
    "attribution_changed": "attribution changed (speaker or speech verb)",
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
    "derived": "derived",
    "single_source": "single source",
    "undated": "undated",
    "unknown_outlet": "outlet unknown",
}

# compare's pairs; "edited": verbatim but for a few words.
PAIR_LABELS = {"verbatim": "verbatim", "reworded": "reworded", "exact": "exact", "edited": "edited"}

# lineage and digest: an article's relation to its story, a story's single-source basis.
RELATION_LABELS = {
    "origin": "origin",
    "derived": "derived",
    "related": "related",
    "single": "single article",
}
SINGLE_SOURCE_LABELS = {
    "one_article": "one article",
    "one_outlet": "one outlet",
    "all_derived": "all derived from the origin",
}

# where a passage sits in its article (records.PassageRole, text/roles.py)
ROLE_LABELS = {"headline": "headline", "standfirst": "standfirst", "body": "body", "caption": "caption",
               "dateline": "dateline"}

_ALL = {**FLAG_LABELS, **PAIR_LABELS, **RELATION_LABELS, **SINGLE_SOURCE_LABELS, **ROLE_LABELS}


def label(kind: str | None) -> str:
    """The human label of any kind of the fixed vocabularies (never a raw ``snake_case``)."""
    if not kind:
        return ""
    return _ALL.get(kind) or str(kind).replace("_", " ")


def flag_label(kind: str) -> str:
    return FLAG_LABELS.get(kind) or str(kind).replace("_", " ")
