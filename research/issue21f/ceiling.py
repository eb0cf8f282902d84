"""Diagnostics of the FNC-1 limit-10 answers (records of article_rules.py): usage: python research/issue21f/THIS.py HOME"""
import pickle, sys, numpy as np
sys.path.insert(0, '.')
from bench.data import fnc1 as fd
from bench.quality.measures import average_precision_at
fs = fd.load(fd.DATA, __import__('pathlib').Path(sys.argv[1]))
heads = [h for h in fs.headlines if fs.labelled(h, "agree")]
recs = pickle.load(open('/tmp/r21f/records/fnc-10.pkl','rb'))
m = lambda orders: np.mean([average_precision_at(fs.ranked(h,o), fs.labelled(h,'agree')) for h,o in zip(heads, orders)])
ncand = [len({s.hit.article.article_id for s in r[1]}) for r in recs]
print('candidate articles per query: median', np.median(ncand), 'min', min(ncand), 'max', max(ncand))
print('len article_ranking median', np.median([len(r[2]) for r in recs]))
print('FTS BM25 article ranking, unrestricted:', m([r[2] for r in recs]))
print('FTS BM25 restricted to candidate articles:', m([[a for a in r[2] if a in {s.hit.article.article_id for s in r[1]}] for r in recs]))
# recall: agreeing articles among candidates
tot=hit=0
for h,r in zip(heads,recs):
    c={s.hit.article.article_id for s in r[1]}
    for b in fs.labelled(h,'agree'):
        tot+=1; hit+= fs.article_of.get(b) in c
print('agreeing bodies with a candidate passage', hit, 'of', tot)
