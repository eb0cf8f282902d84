"""Diagnostics of the FNC-1 limit-10 answers (records of article_rules.py): usage: python research/issue21f/THIS.py HOME"""
import pickle, sys, copy, numpy as np
sys.path.insert(0, '.'); sys.path.insert(0, 'research/issue21f')
from pathlib import Path
import article_rules as ar
from bench.data import fnc1 as fd, claims as cd
from index.search import ranking
from index.search.judge import fitted_model
fs = fd.load(fd.DATA, Path(sys.argv[1]))
heads = [h for h in fs.headlines if fs.labelled(h, "agree")]
recs = pickle.load(open('/tmp/r21f/records/fnc-10.pkl','rb'))
print('bodies left after dropping unpaired (limit 10 as answered): median', np.median([len(fs.ranked(h, r[3])) for h, r in zip(heads, recs)]),
      'share with <5:', np.mean([len(fs.ranked(h, r[3])) < 5 for h, r in zip(heads, recs)]))
print('articles in answer: median', np.median([len(r[3]) for r in recs]))
