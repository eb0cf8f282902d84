"""Answering a claim or a phrase: the query as pasted made fit for retrieval (``query_text``);
searchers that compose, dense, lexical and their fusion (``searchers``); retrieval over the
corpus parts (``retrieval``); the answer's ranking (``ranking``: verdicts first, the judge's
re-ordering, the per-article cap); each hit's verdict (``verdicts``) from the fitted model
(``judge`` with ``judge_model.json``); statement groups (``statement_groups``); reported
speech (``reported``); which stored outlet a filter names (``outlets``) and the answer's
types with their fixed verdict words (``results``).

May import: ``index.store``, ``index.text`` and the base modules; not ingest, compare or stories."""
