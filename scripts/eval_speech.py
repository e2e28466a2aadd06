"""Intent accuracy from audio: sentences of a file spoken by espeak-ng and festival voices, through PocketSphinx.

Usage: python scripts/eval_speech.py [FILE.yaml] [--voices festival,en-us@150,...] [--noise 0.02] [--per-file] [--forget-mean]
Default file: tests/data/heldout.yaml (never used to tune). A fresh recogniser per voice, or per sentence with
--per-file (as separate `kindly respond` runs). Each starts from the cepstral mean the last one saved, or from
the model's default with --forget-mean.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_VOICES = "festival,festival:ked_diphone@150,festival:cmu_us_slt_arctic_hts@150,en-us@150,en-us+klatt@140,en-us+f3@170,en-gb@160"


def main() -> None:
    from assistant import wavfile
    from assistant.understanding import intents
    from assistant.session import build_matcher
    from assistant.settings import load as load_settings
    from assistant.understanding.matcher import SAFETY_INTENT
    from assistant.stt import transcribe
    from assistant.stt.sphinx_engine import SphinxRecognizer
    from tests.speech import speak

    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default=str(ROOT / "tests" / "data" / "heldout.yaml"))
    parser.add_argument("--voices", default=DEFAULT_VOICES)
    parser.add_argument("--noise", type=float, default=0.0)
    parser.add_argument("--per-file", action="store_true", help="a fresh recogniser for every sentence")
    parser.add_argument("--forget-mean", action="store_true", help="start every recogniser from the model's default mean")
    args = parser.parse_args()
    data = yaml.safe_load(Path(args.file).read_text())
    cases = ([(s, n) for n, group in data["in_scope"].items() for s in group] + [(s, None) for s in data["out_of_scope"]]
             + [(s, SAFETY_INTENT) for s in data["crisis"]])
    catalog = intents.load()
    matcher = build_matcher(load_settings())
    cache = Path(os.environ.get("KINDLY_CACHE_DIR") or tempfile.mkdtemp())
    print(f"{'voice':36} {'in scope':>12} {'rejected':>12} {'crisis':>12}")
    for voice in args.voices.split(","):
        name, _, speed = voice.partition("@")
        recognizer = None
        right = {"in": [0, 0], "out": [0, 0], "crisis": [0, 0]}
        for text, want in cases:
            if recognizer is None or args.per_file:
                recognizer = SphinxRecognizer(catalog, cache, remember_mean=not args.forget_mean)
            heard = transcribe(recognizer, wavfile.read(speak(text, name, int(speed or 150), args.noise))).text
            group = "crisis" if want == SAFETY_INTENT else "out" if want is None else "in"
            right[group][0] += matcher.match(heard).intent == want
            right[group][1] += 1
        cells = [f"{a}/{b} {100 * a / b:3.0f}%" for a, b in right.values()]
        print(f"{voice:36} {cells[0]:>12} {cells[1]:>12} {cells[2]:>12}", flush=True)


if __name__ == "__main__":
    main()
