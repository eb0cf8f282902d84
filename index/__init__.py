"""sourcedesk's engine: everything about articles, nothing about Discord.

This module is the public API. The bot (``bot/``) imports from here and from nowhere
else in ``index``; the CLI (``index/cli/``) and the tests call the same objects. What
the names below stand for lives in the subpackages, one job each, layered from the
bottom up (``.importlinter`` checks that no import points up a layer):

- the base modules beside this file: ``records`` (Article, Quote, Metadata, Span),
  ``errors``, ``config`` (Settings), ``clock``, ``logs``, ``validation``, ``labels``
  (human words of every fixed vocabulary) and ``naming`` (what to call an article);
- ``text/``: words with offsets, the word diff, names and titles, quotations, datelines
  and passage roles; pure functions over strings;
- ``store/``: SQLite (articles, passages, FTS5), Chroma, the embedding model and its
  cache, batching, locking, repair, export/import;
- ``ingest/``, ``search/``, ``compare/``: reading files into stored articles; answering
  a claim (searchers, verdicts, statement groups); aligning two articles (pairs, reuse,
  quotation changes). None of the three imports another;
- ``stories/``: lineage, same-event clusters and the digest, built on compare's reuse;
- ``follow/``: feeds followed and claims watched (``Engine.feeds()``, ``Engine.watches()``),
  over ingest's links (``ingest/fetch.py``, the one guarded HTTP client) and search's verdicts;
- ``pictures/``: PNG pictures and the compare page, drawn from the results above;
- ``engine``: ``Engine``, the façade that opens one corpus's parts and hands each job
  only the parts it needs; ``cli/``: the ``sourcedesk`` command over it.
"""
from index.clock import utc
from index.compare.quote_changes import ATTRIBUTION_KINDS, change_kinds
from index.compare.results import AlignedPair, ArticleCredit, CompareResult, QuoteChange, Reuse
from index.config import Limits, Settings, too_large
from index.engine import Engine
from index.errors import ServiceError, UserError
from index.follow.results import Alert, Feed, FeedPoll, PollResult, Watch
from index.ingest.corrections import MAX_CHARS, EditResult, edit_options, fillable
from index.ingest.metadata import split_authors
from index.ingest.rejections import repost_notes
from index.ingest.results import IngestResult
from index.labels import count, flag_label, label, severity
from index.logs import setup_logging
from index.naming import display_name, is_titled
from index.pictures.claim_timeline import timeline_png
from index.pictures.compare_page import compare_page
from index.pictures.story_picture import draw_story, from_digest_story, lineage_png
from index.records import Article, Metadata, Quote, Snapshot, Span
from index.search.outlets import outlet_choices
from index.search.results import OPPOSITE_WORDS, STATING, VOICE_NOTE, SourceHit, SourcesResult, who_states
from index.store.embedder import ChunkedEmbedder, shared_embedder
from index.stories.analysis import pair_origin
from index.stories.outlet_names import OutletEntry
from index.stories.sourcing import SourcingProfile
from index.stories.results import (
    DerivedFlag,
    DigestFlag,
    DigestResult,
    DigestStory,
    EditedFlag,
    LineageResult,
    QuoteChangeFlag,
    SingleSourceFlag,
)
from index.validation import check_query

__all__ = [
    "ATTRIBUTION_KINDS",
    "Alert", "EditedFlag", "Feed", "FeedPoll", "PollResult", "Snapshot", "Watch",
    "AlignedPair", "Article", "ArticleCredit", "ChunkedEmbedder", "CompareResult", "DerivedFlag", "DigestFlag", "DigestResult",
    "DigestStory", "EditResult", "Engine", "IngestResult", "LineageResult", "Limits", "MAX_CHARS", "Metadata",
    "OPPOSITE_WORDS", "OutletEntry", "Quote", "QuoteChange", "QuoteChangeFlag", "Reuse", "STATING", "ServiceError", "Settings",
    "SingleSourceFlag", "SourceHit", "SourcingProfile", "SourcesResult", "Span", "UserError", "VOICE_NOTE", "change_kinds", "check_query",
    "compare_page", "count",
    "display_name", "draw_story", "edit_options", "fillable", "flag_label", "from_digest_story", "is_titled",
    "label", "lineage_png", "outlet_choices", "pair_origin", "repost_notes", "setup_logging", "shared_embedder",
    "severity", "split_authors", "timeline_png", "too_large", "utc", "who_states",
]
