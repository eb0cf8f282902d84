"""Names that are the same thing written differently, so that "America" / "the United
States" or "US" / "U.S." are no name change. Keys are text/words.py word keys (lower
case, dots dropped); each alias maps to one canonical name."""
from __future__ import annotations

_ALIASES = {
    "us": ["united states", "united states of america", "america", "us", "usa"],
    "uk": ["united kingdom", "britain", "great britain", "uk"],
    "un": ["united nations", "un"],
    "eu": ["european union", "eu"],
    "mount": ["mt", "mount"],
    "nyc": ["new york city", "nyc"],
}
# Longest phrases first so "united states of america" wins over "united states".
ALIAS_PHRASES: list[tuple[tuple[str, ...], str]] = sorted(
    ((tuple(p.split()), canon) for canon, phrases in _ALIASES.items() for p in phrases),
    key=lambda item: -len(item[0]),
)

# Places and buildings that news writes for the institution or country they house (a
# metonym): a claim on "the Pentagon's top brass" is about the US military, which a corpus
# may name without the word "Pentagon". Each maps to word keys, any of which names what it
# stands for (not "us": a pronoun too).
METONYMS = {
    "pentagon": ("military", "america", "american"),
    "washington": ("america", "american"),
    "kremlin": ("russia", "russian"), "moscow": ("russia", "russian"),
    "beijing": ("china", "chinese"),
    "whitehall": ("uk", "britain", "british"), "westminster": ("uk", "britain", "british", "parliament"),
    "london": ("uk", "britain", "british"),
    "copenhagen": ("denmark", "danish"), "nuuk": ("greenland",),
    "brussels": ("eu", "europe", "european"),
    "paris": ("france", "french"), "berlin": ("germany", "german"), "tokyo": ("japan", "japanese"),
    "ottawa": ("canada", "canadian"), "kyiv": ("ukraine", "ukrainian"), "tehran": ("iran", "iranian"),
}

# Titles and honorifics: a name with or without one is the same person.
TITLES = frozenset(
    """president mr mrs ms miss dr sir dame lord lady prof professor general gen senator sen rep
    representative governor gov judge justice inspector officer chancellor minister prime secretary
    king queen prince princess pope rev reverend father captain capt colonel col sergeant sgt
    lieutenant lt major maj admiral adm mayor commissioner chief detective superintendent
    councillor councilman premier sheikh""".split()
)


def canonical_keys(keys: list[str]) -> list[str]:
    """``keys`` with alias phrases replaced by their canonical name."""
    out, k = [], 0
    while k < len(keys):
        for phrase, canon in ALIAS_PHRASES:
            if tuple(keys[k : k + len(phrase)]) == phrase:
                out.append(canon)
                k += len(phrase)
                break
        else:
            out.append(keys[k])
            k += 1
    return out
