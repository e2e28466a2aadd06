"""Run every benchmark of the project and print one table.

Usage: python scripts/bench.py [--soak-turns 500]
Rows: parse throughput, recognition real-time factor per engine, end-of-speech to first reply audio (p50/p95),
start-up, peak memory, wake phrase, soak growth. Each row comes from the script named beside it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: str, *args: str) -> str:
    result = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True, text=True)
    if result.returncode != 0:
        return f"FAILED: {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.returncode}"
    return result.stdout


def find(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    return found.group(1) if found else "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--soak-turns", default="500")
    args = parser.parse_args()
    parse = run("bench_parse.py")
    speech = run("bench_speech.py")
    wake = run("bench_wake.py")
    soak = run("soak.py", "--turns", args.soak_turns)
    rows = [
        ("parse throughput", find(r"throughput: ([\d,]+ sentences/s)", parse), ">= 5,000 sentences/s", "bench_parse.py"),
        ("start-up, kindly parse", find(r"start-up of 'kindly parse': ([\d.]+ s)", parse), "<= 0.5 s", "bench_parse.py"),
        ("real-time factor, pocketsphinx", find(r"pocketsphinx: ([\d.]+)", speech), "<= 0.2", "bench_speech.py"),
        ("real-time factor, vosk (Korean)", find(r"vosk \(Korean model\): ([\d.]+)", speech), "-", "bench_speech.py"),
        ("speech end -> first reply audio, p50", find(r"median (\d+ ms) \(endpoint silence included\)", speech), "-", "bench_speech.py"),
        ("  beyond endpoint silence, p50 / p95", find(r"beyond the endpoint silence: median (\d+ ms, p95 \d+ ms)", speech), "<= 300 ms", "bench_speech.py"),
        ("start-up to listening", find(r"start-up to listening: median ([\d.]+ s)", speech), "<= 2 s", "bench_speech.py"),
        ("peak memory, voice loop", find(r"peak memory \(pocketsphinx loop\): (\d+ MB)", speech), "<= 250 MB", "bench_speech.py"),
        ("wake phrase detected", find(r"detected: (\d+ of \d+)", wake), ">= 9 of 10", "bench_wake.py"),
        ("false wakes, ordinary talk", find(r"ordinary talk and noise: (.+?) \(", wake), "< 6 per hour", "bench_wake.py"),
        (f"soak ({args.soak_turns} clips) turns/s", find(r"turns per second: ([\d.]+)", soak), "-", "soak.py"),
        ("soak peak memory", find(r"peak memory: (\d+ MB)", soak), "-", "soak.py"),
        ("soak memory growth", find(r"memory growth from clip \d+ to the end: ([+\-\d.]+ MB)", soak), "< 10 MB", "soak.py"),
        ("soak errors", find(r"errors: (.+)", soak), "none", "soak.py"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':{width}}  {'result':28}  {'target':22}  source")
    for name, value, target, source in rows:
        print(f"{name:{width}}  {value:28}  {target:22}  scripts/{source}")


if __name__ == "__main__":
    main()
