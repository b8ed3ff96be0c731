"""Where the corpus stage spends its time (issue 29): each step of `derive_corpus`, timed on the staged rows
of a warehouse, without extraction.

    .venv/bin/python bench/profile_corpus.py --db WAREHOUSE [--sizes 1000 2000 5000] [--replicate N] [--cprofile]

The staged per-article rows are read back (`warehouse.state.read_staged`) exactly as a run hands them to
the corpus stage, then cut to the first k articles for each size in `--sizes`. `--replicate N` makes a
corpus N times larger from them (every article copied with new ids, its body and title letter-shifted so
that copies form stories of their own: more stories, not larger ones), for sizes beyond what was
extracted: 20,000 articles need no 20,000-article extraction. Names in the entity rows stay as they are, so
entity linking sees the same people in every copy. `--cprofile` adds the 40 most expensive functions of the largest size. Peak RSS is the process's so far
(the staged rows of every size included), after each size.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import contract  # noqa: E402
from contract.window import DateWindow  # noqa: E402
from transforms.frames import Frames, drop_articles  # noqa: E402
from transforms.resolve import corpus  # noqa: E402
from transforms.resolve.duplicates import duplicate_ids  # noqa: E402
from warehouse.state import read_staged  # noqa: E402


def staged_frames(db: Path) -> Frames:
    import duckdb  # noqa: PLC0415

    con = duckdb.connect(str(db), read_only=True)
    try:
        ids = [r[0] for r in con.execute(f"SELECT article_id FROM {contract.STAGING_SCHEMA}.articles "
                                         "ORDER BY rowid").fetchall()]
    finally:
        con.close()
    return read_staged(db, ids)


def first(frames: Frames, count: int) -> Frames:
    keep = frames["articles"]["article_id"].head(count)
    return {name: frame.filter(pl.col("article_id").is_in(keep.implode())) if "article_id" in frame.columns else frame
            for name, frame in frames.items()}


def _cipher(k: int) -> dict[int, int]:
    """Letters shifted by k (case kept): a copy's words are other words of the same length, so its offsets
    still hold and it forms stories of its own, as a larger newsroom has more stories, not larger ones."""
    lower, upper, digits = "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
    shift, digit_shift = k % 25 + 1, k % 9 + 1  # digits too: a year shared by two copies would link their stories
    return str.maketrans(lower + upper + digits, lower[shift:] + lower[:shift] + upper[shift:] + upper[:shift]
                         + digits[digit_shift:] + digits[:digit_shift])


def _copy(frame: pl.DataFrame, k: int) -> pl.DataFrame:
    # every id (and reference to one) of the copy is its own: "…_id" columns, `duplicate_of`
    renamed = [pl.col(c) + f"~{k}" for c, kind in frame.schema.items()
               if kind == pl.String and (c.endswith("_id") or c == "duplicate_of")]
    table = _cipher(k)
    renamed += [pl.col(c).map_elements(lambda text: text.translate(table), return_dtype=pl.String)
                for c in ("body", "title") if c in frame.columns]
    if "content_hash" in frame.columns:
        renamed.append(pl.col("content_hash") + f"~{k}")
    return frame.with_columns(renamed)


def replicate(frames: Frames, times: int) -> Frames:
    """`times` copies of every article under new ids (copy 0 is the original)."""
    return {name: pl.concat([frame] + [_copy(frame, k) for k in range(1, times)]) if "article_id" in frame.columns
            else frame for name, frame in frames.items()}


def timed_steps(frames: Frames, window: DateWindow) -> dict[str, float]:
    """`derive_corpus`, step by step, with the seconds of each."""
    seconds: dict[str, float] = {}

    def step(name, function, *args):
        started = time.perf_counter()
        result = function(*args)
        seconds[name] = round(time.perf_counter() - started, 2)
        return result

    marked = step("mark_copies", lambda: {**frames, "articles": corpus.mark_copies(
        corpus.screen_published_dates(frames["articles"], window))})
    analysed = step("drop_duplicates", lambda: drop_articles(marked, duplicate_ids(marked["articles"])))
    storied = step("assign_stories", corpus.assign_stories, analysed)
    linked = step("link_entities", corpus.link_entities, storied)
    dated = step("date_events", corpus.date_events, linked, window)
    events = step("link_event_entities", corpus.link_event_entities, dated)
    derived = step("resolve_story_events", corpus.resolve_story_events, events)
    derived.pop("_entity_assignments")
    step("restore_duplicates", corpus.restore_duplicates, derived, marked)
    seconds["total"] = round(sum(seconds.values()), 2)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a warehouse whose staged rows to derive from")
    parser.add_argument("--sizes", type=int, nargs="*", default=[])
    parser.add_argument("--replicate", type=int, default=1, help="copies of the whole staged set (sizes beyond it)")
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="write the timings as JSON here")
    args = parser.parse_args()
    window = DateWindow(date(2026, 12, 1))
    frames = replicate(staged_frames(args.db), args.replicate)
    total = frames["articles"].height
    sizes = sorted({min(s, total) for s in args.sizes} or {total})
    results = {}
    for size in sizes:
        results[size] = timed_steps(first(frames, size), window)
        results[size]["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # so far
        print(f"{size:>7} articles  " + "  ".join(f"{k} {v:.2f}" for k, v in results[size].items()), flush=True)
    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        timed_steps(first(frames, sizes[-1]), window)
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
        print(text.getvalue())
    if args.out:
        args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
