"""Parse throughput (sentences/s, median of several runs) and start-up time of `kindly parse` as a process.

Usage: python scripts/bench_parse.py [--runs 5]
Targets (issue 2): ≥ 5,000 sentences/s in one process; start-up ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from assistant.understanding import intents
from assistant.session import build_matcher
from assistant.settings import Settings, load as load_settings
from assistant.understanding.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent
MIN_SENTENCES = 1_000


def sentences() -> list[str]:
    """At least 1,000 distinct sentences built from the held-out and dev files, with varied prefixes."""
    base: list[str] = []
    for name in ("heldout.yaml", "dev.yaml"):
        data = yaml.safe_load((ROOT / "tests" / "data" / name).read_text())
        base += [s for group in data["in_scope"].values() for s in group] + data["out_of_scope"] + data["crisis"]
    prefixes = ["", "um ", "okay so ", "honestly ", "well ", "you know ", "hey kindly ", "so like ", "right now ", "please "]
    suffixes = ["", " please", " right now", " okay", " i think"]
    out = [p + s + x for p, s, x in itertools.product(prefixes, base, suffixes)]
    return list(dict.fromkeys(out))


def throughput(matcher: Matcher, items: list[str]) -> float:
    start = time.perf_counter()
    for text in items:
        matcher.match(text)
    return len(items) / (time.perf_counter() - start)


def startup() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant", "parse", "i need a break"], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    items = sentences()
    assert len(items) >= MIN_SENTENCES
    matcher = build_matcher(load_settings())
    rates = [throughput(matcher, items) for _ in range(args.runs)]
    starts = [startup() for _ in range(args.runs)]
    print(f"parse throughput: {statistics.median(rates):,.0f} sentences/s (median of {args.runs} runs over {len(items):,} sentences; target >= 5,000)")
    print(f"start-up of 'kindly parse': {statistics.median(starts):.3f} s (median of {args.runs}; target <= 0.5 s)")


if __name__ == "__main__":
    main()
