"""Data for the benchmarks: loaders of the real labelled development halves (``real``: ECB+
and Clough & Stevenson; ``claims``: CheckThat! 2022), the hand-labelled version pairs
(``version_pairs`` over ``compare_labels.jsonl``), bench-only synthetic corpora written
straight into the store (``synthetic_vectors``), and hand labels as ``.jsonl``."""
