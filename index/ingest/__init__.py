"""From bytes to stored articles: reading paths and uploads within limits (``reading``),
decoding (``decode``), one parser per file type (``parsers``), metadata from the source and
its precedence (``metadata``), passages with offsets and roles (``passages``), the pipeline
that stores them (``pipeline``), what a ``.jsonl`` rejected (``rejections``), metadata
corrections after ingest (``corrections``), the per-file results (``results``) and a
corpus's export to JSONL and import from it (``transfer``).

May import: ``index.store``, ``index.text`` and the base modules; not search, compare or stories."""
