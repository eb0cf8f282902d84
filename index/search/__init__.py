"""Answering a claim or a phrase: the query as pasted made fit for retrieval (``query_text``),
retrieval over the corpus parts (``retrieval``), the ranking with verdicts, the per-article
cap and statement groups (``ranking``), the fitted verdict model (``judge`` with
``judge_model.json``), reported speech (``reported``), which stored outlet a filter names
(``outlets``) and the answer's types with their fixed verdict words (``results``).

May import: ``index.store``, ``index.text`` and the base modules; not ingest, compare or stories."""
