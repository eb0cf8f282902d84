"""Benchmarks and evaluations, by kind (figures in BENCHMARKS.md; `make bench` runs them all
through ``run_all``). Run each as ``python -m bench.<kind>.<name>`` from the repository root.

- ``speed/``: timings, each beside a baseline measured in the same run;
- ``robustness/``: crash, Chroma restart and bot-load runs that fail when something is lost;
- ``quality/``: verdicts on labelled data, each beside a same-run baseline;
- ``fitting/``: the scripts that fitted or chose the product's models and constants;
- ``data/``: loaders of the labelled data, the hand labels (``.jsonl``) and bench-only
  synthetic corpora;
- ``history``: old product code loaded from git history when a baseline is an old release.

Test support (synthetic news, the Chroma server, the hashing embedder, the crash and bot
scenarios) lives in tests/support and is imported from there; tests never import bench.
"""
