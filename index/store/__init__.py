"""Where a corpus is kept: the SQLite article database (texts, passage offsets and roles,
the FTS5 lexical index, metadata edits; ``article_db``), Chroma (``chroma``), the two as
analysis reads them, with id resolution (``corpus``: ``CorpusStore``), the embedding
model and its chunked wrapper (``embedder``) and cache (``embedding_cache``), bounded batches
(``batching``), the corpus write lock (``locking``) and ``check``'s repair (``repair``).
Knows nothing of claims, comparisons or stories.

May import: ``index.text`` and the base modules."""
