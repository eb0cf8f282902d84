"""Make the window vectors of a home made before issue 21 (``Engine.check`` with repair)."""
import sys
import time

from index import Engine, Settings

home, corpus = sys.argv[1], sys.argv[2]
t = time.time()
report = Engine(Settings.from_env(home), corpus, check_on_open=False).check(repair=True, full=True)
print(report.summary(), f"({time.time() - t:.0f}s)")
