"""The pictures' cost next to the answers they draw: a story of 20 articles (the sample's
original and 19 rewrites made from it or from each other by dropping sentences; 15 given
dates over two months, 5 none (those that keep the original's date line take its date, as
ingest reads it); some with no outlet), its lineage computed from the index,
then drawn (index/pictures/story_picture.py); and a /sources answer with its claim timeline
(index/pictures/claim_timeline.py). Prints markdown: median seconds, ratios, PNG sizes.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.speed.pictures  (about a minute on 2 CPU cores)
"""
from __future__ import annotations

import re
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench.speed.timing import median_time
from index import Engine, Metadata, Settings
from index.ingest.metadata import normalize_date
from index.pictures.claim_timeline import draw_timeline, timeline_data
from index.pictures.story_picture import draw_story, from_lineage

ORIGINAL = Path(__file__).resolve().parents[2] / "sample_corpus" / "000_1929e489469e94e8.txt"
STORY = 20
RUNS = 5
CLAIM = "Trump ordered special forces commanders to draw up a plan for the invasion of Greenland"


def rewrites(text: str) -> list[str]:
    """The original and STORY - 1 rewrites: article k keeps most sentences of article k // 2
    (so some copy the original, some copy a copy) and adds one line of its own."""
    sentences = [s for s in re.split(r"(?<=[.!?’'\"])\s+", text) if s.strip()]
    kept = [sentences]
    for k in range(1, STORY):
        parent = kept[k // 2]
        kept.append([s for i, s in enumerate(parent) if (i + k) % 5 != 0])
    return [" ".join(s) + ("" if k == 0 else f"\n\nDesk note {k}: filed from the regional desk.")
            for k, s in enumerate(kept)]


def main() -> None:
    texts = rewrites(ORIGINAL.read_text(encoding="utf-8"))
    start = date(2026, 1, 12)
    with tempfile.TemporaryDirectory() as home:
        engine = Engine(Settings.from_env(home), "bench")
        ids = []
        for k, text in enumerate(texts):
            published = None if k % 4 == 3 else normalize_date((start + timedelta(days=3 * k)).isoformat())
            meta = Metadata(outlet=None if k % 3 == 2 else f"Desk {k}", published=published)
            [result] = engine.ingest_bytes(text.encode("utf-8"), f"story-{k}.txt", meta=meta)
            ids.append(result.article_id)
        result = engine.lineage(ids[0])  # warm caches
        t_lineage = median_time(lambda: engine.lineage(ids[0]), 3)[0]
        picture = from_lineage(result)
        png = draw_story(picture)
        t_draw = median_time(lambda: draw_story(from_lineage(result)), RUNS)[0]
        answer = engine.sources(CLAIM, limit=20)
        t_sources = median_time(lambda: engine.sources(CLAIM, limit=20), RUNS)[0]
        marks = timeline_data(answer)
        t_timeline = median_time(lambda: draw_timeline(timeline_data(answer)), RUNS)[0] if marks else float("nan")
        timeline = draw_timeline(marks) if marks else b""
        engine.close()
    print("# speed.pictures\n")
    print(f"A story of {len(texts)} articles ({sum(n.lane == 'undated' for n in picture.nodes)} undated); "
          f"the lineage found {len(picture.nodes)} of them, {len(picture.edges)} arrows; "
          f"the claim timeline has {len(marks.marks) if marks else 0} marks.\n")
    print("| what | median seconds |")
    print("| --- | --- |")
    print(f"| lineage of the original (3 runs) | {t_lineage:.4f} |")
    print(f"| its story picture, data and PNG ({RUNS} runs) | {t_draw:.4f} |")
    print(f"| ratio picture / lineage | {t_draw / t_lineage:.3f} |")
    print(f"| story PNG size | {len(png):,} bytes |")
    print(f"| sources, limit 20 ({RUNS} runs) | {t_sources:.4f} |")
    print(f"| its claim timeline, data and PNG ({RUNS} runs) | {t_timeline:.4f} |")
    print(f"| ratio timeline / sources | {t_timeline / t_sources:.3f} |")
    print(f"| timeline PNG size | {len(timeline):,} bytes |")
    out = Path(tempfile.gettempdir()) / "bench-pictures-story.png"
    out.write_bytes(png)
    print(f"\n(story picture written to {out})")


if __name__ == "__main__":
    main()
