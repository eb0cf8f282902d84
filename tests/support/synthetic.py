"""A deterministic synthetic news corpus for tests, benchmarks and retrieval evaluation.

Articles are built from sentence templates filled with invented names, places and
numbers; every template has a hand-written rewording used as a query. Many articles share
templates with different fillers, so a retriever must get the entities right, not only
the topic: that is the newsroom's hard case ("which outlet said 40 jobs, which said 400?").
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

FIRST = "Maria Jonas Amina Pieter Lucia Tomasz Ingrid Kofi Elena Rafael Yuki Oskar Nadia Henrik Sofia Matteo".split()
LAST = "Okafor Lindqvist Haddad Verhoeven Moreau Kowalski Brennan Tanaka Castillo Mensah Novak Larsen Duarte Fischer".split()
CITIES = "Tarnby Velloria Osterhaven Marisburg Kellport Dunmore Alvika Brightwater Santa Ilsa Norrholm Castelvane Redfield".split()
ORGS = ["Harbour Authority", "Northline Rail", "Velda Energy", "the city council", "Aster Pharmaceuticals",
        "the regional hospital trust", "Kestrel Airlines", "the teachers' union", "Borealis Mining", "the port operator"]
ROLES = ["chief executive", "finance director", "spokeswoman", "union leader", "mayor", "health minister"]
MONTHS = "January February March April May June July August September October November December".split()

# (sentence as printed, rewording as a reporter would type the claim)
TEMPLATES = [
    ("{org} said on Tuesday it would cut {n} jobs at its {city} site by {month}.",
     "{org} plans to eliminate {n} positions in {city}"),
    ("{person}, the {role} of {org}, resigned after an audit found irregular payments.",
     "{person} quit {org} over payment irregularities uncovered by auditors"),
    ("The new bridge in {city} will cost {n} million euros, twice the original estimate.",
     "{city} bridge budget doubled to {n} million"),
    ("Police in {city} arrested {n} people after protests outside the offices of {org}.",
     "{n} arrests at {org} protest in {city}"),
    ("{person} told reporters that the strike would continue until {month}.",
     "according to {person} the walkout lasts until {month}"),
    ("{org} reported a profit of {n} million for the year, beating analysts' forecasts.",
     "{org} earnings of {n} million were above expectations"),
    ("Flooding closed {n} schools in {city} on Monday, the {role} said.",
     "{n} {city} schools shut because of floods"),
    ("{org} has agreed to pay {n} million in compensation to former workers in {city}.",
     "{org} settlement with ex-employees in {city} worth {n} million"),
    ("Residents of {city} voted to block the construction of a waste incinerator proposed by {org}.",
     "{city} voters rejected the incinerator plan from {org}"),
    ("{person} denied claims that {org} had hidden safety reports from regulators.",
     "{person} rejects accusation that {org} concealed safety documents"),
    ("The trial of {person} is expected to begin in {month} in {city}.",
     "{person} court case set to open in {month}"),
    ("{org} will open a new research centre in {city} employing {n} scientists.",
     "{n} researchers to work at {org}'s planned {city} lab"),
]


@dataclass
class SyntheticArticle:
    name: str
    text: str
    outlet: str
    published: str
    # (sentence, its rewording) for each sentence of the article
    facts: list[tuple[str, str]]


def _fill(rng: random.Random) -> dict[str, str]:
    return {
        "org": rng.choice(ORGS),
        "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "role": rng.choice(ROLES),
        "city": rng.choice(CITIES),
        "month": rng.choice(MONTHS),
        "n": str(rng.choice([3, 12, 40, 75, 120, 400, 950, 2300])),
    }


def build(n_articles: int, seed: int = 11, sentences: int = 8) -> list[SyntheticArticle]:
    rng = random.Random(seed)
    outlets = ["Coastal Courier", "Morning Ledger", "Northern Star", "Valley Times", "The Daily Wire Service"]
    articles = []
    for i in range(n_articles):
        facts = []
        for template, rewording in rng.sample(TEMPLATES, sentences):
            values = _fill(rng)
            sentence = template.format(**values)
            facts.append((sentence[0].upper() + sentence[1:], rewording.format(**values)))
        body = "\n\n".join(" ".join(s for s, _ in facts[j : j + 2]) for j in range(0, len(facts), 2))
        articles.append(SyntheticArticle(
            name=f"synthetic-{i:05d}",
            text=f"{body}\n",  # no headline: it would echo a query's rewording
            outlet=outlets[i % len(outlets)],
            published=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
            facts=facts,
        ))
    return articles


def write_jsonl(articles: list[SyntheticArticle], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps({"text": a.text, "outlet": a.outlet, "published": a.published, "title": None}) + "\n")
    return path
