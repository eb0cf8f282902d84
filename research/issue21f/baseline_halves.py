"""FNC-1 dev baselines (bench.quality.fnc1's) on the two headline halves of article_rules.py."""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.data import fnc1 as fnc_data  # noqa: E402
from bench.quality.fnc1 import baseline_rankings  # noqa: E402
from bench.quality.measures import average_precision_at  # noqa: E402

fs = fnc_data.load(fnc_data.DATA, Path(sys.argv[1]))
headlines = [h for h in fs.headlines if fs.labelled(h, "agree")]
half = np.empty(len(headlines), int)
for pos, i in enumerate(sorted(range(len(headlines)), key=lambda i: headlines[i])):
    half[i] = pos % 2
for name, ranked in baseline_rankings(fs, headlines).items():
    ap = np.array([average_precision_at(fs.ranked(h, ranked[h]), fs.labelled(h, "agree")) for h in headlines])
    print(f"| {name} | {ap.mean():.4f} | {ap[half == 0].mean():.4f} | {ap[half == 1].mean():.4f} |")
