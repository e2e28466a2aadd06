"""Soak: the whole pipeline (WAV source → recogniser → matcher → dialogue → TTS → null speaker), accelerated,
through many turns of mixed speech, silence and noise. Prints turns per second, peak memory, memory growth
between turn 1,000 (or the middle of a shorter run) and the end, and any error.

Usage: python scripts/soak.py [--turns 10000] [--seed 1]
Target (issue 6): memory growth under 10 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPEECH = ["I need a break", "yes please", "no thanks", "say that again", "stop", "what can you do",
          "we always fight about money", "remember that we agreed to take turns cooking", "what are our agreements",
          "give me a tip for our relationship", "I feel so lonely", "what is the weather like tomorrow",
          "play some music", "which pattern are we in", "help me say this kindly", "we are ready to talk now"]
VOICES = [("festival", 150), ("en-us", 160), ("festival:ked_diphone", 150)]
PROGRESS_EVERY = 1_000
QUIET_AFTER_S = 2.5
"""Silence after each clip. Kindly's reply plays over whatever comes next, as in a real room, so some clips
are heard while Kindly speaks: only the stop spotter listens to those."""


class ClipStream:
    """An AudioSource made of prepared clips in a seeded random order, each followed by silence."""

    def __init__(self, clips: list[bytes], count: int, seed: int) -> None:
        self.clips = clips
        self.count = count
        self.random = random.Random(seed)
        self.served = 0

    def chunks(self) -> Iterator:
        from assistant.audio import split

        position = 0.0
        silence = b"\0\0" * int(16000 * QUIET_AFTER_S)
        while self.served < self.count:
            clip = self.random.choice(self.clips)
            self.served += 1
            for chunk in split(clip + silence, position):
                yield chunk
            position += (len(clip) + len(silence)) / 32000

    def close(self) -> None:
        pass


def clips() -> list[bytes]:
    import subprocess

    from assistant import wavfile
    from tests.speech import CACHE, speak

    prepared = [wavfile.read(speak(text, voice, speed)) for text in SPEECH for voice, speed in VOICES]
    noise = CACHE / "soak-noise.wav"
    if not noise.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(noise), "synth", "1.5", "pinknoise", "vol", "0.3"], check=True)
    return prepared + [wavfile.read(noise)] * 4 + [b"\0\0" * 16000] * 4


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from assistant.session import build_voice_loop
    from assistant.settings import Settings
    from assistant.speaker import NullSpeaker

    checkpoint = min(1_000, max(1, args.turns // 2))
    marks: dict[str, float] = {}
    stream = ClipStream(clips(), args.turns, args.seed)
    error = ""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("KINDLY_CACHE_DIR", str(Path(tmp) / "cache"))
        settings = Settings(country="US", data_dir=str(Path(tmp) / "data"), listen_mode="always")

        def mark(_turn: object) -> None:
            if stream.served >= checkpoint and "checkpoint" not in marks:
                marks["checkpoint"] = rss_mb()
            if stream.served >= marks.get("next_report", PROGRESS_EVERY):
                marks["next_report"] = stream.served + PROGRESS_EVERY
                print(f"  {stream.served} clips, {time.perf_counter() - started:.0f} s, memory {rss_mb():.1f} MB", file=sys.stderr, flush=True)

        try:
            with build_voice_loop(settings, stream, NullSpeaker(), on_turn=mark) as loop:
                loop.run()
                answered = loop.answered
        except Exception:  # noqa: BLE001 - the soak reports any error instead of stopping silently
            error = traceback.format_exc(limit=3)
            answered = -1
    elapsed = time.perf_counter() - started
    growth = rss_mb() - marks.get("checkpoint", rss_mb())
    checkpoint = int(checkpoint)
    print(f"clips played: {stream.served}, turns answered: {answered}")
    print(f"turns per second: {stream.served / elapsed:.1f} ({elapsed:.0f} s)")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"memory growth from clip {checkpoint} to the end: {growth:+.1f} MB (target < 10 MB)")
    print(f"errors: {error or 'none'}")
    return 1 if error else 0


if __name__ == "__main__":
    raise SystemExit(main())
