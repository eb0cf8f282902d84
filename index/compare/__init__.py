"""Two articles side by side: which passages stand for each other (``pairing``, with the
fitted ``alignment_model.json``), the comparison itself (``comparison``: verbatim and reworded
pairs, one-sided passages, quotation changes), what changed inside a matched quotation
(``quote_changes``), meaning-change flags (``meaning``), text reuse shares (``reuse``,
shared with lineage and the digest), whether one text derives from another (``derivation``,
with the fitted ``derivation_model.json``) and the result types (``results``).

May import: ``index.store``, ``index.text`` and the base modules; not ingest, search or stories."""
