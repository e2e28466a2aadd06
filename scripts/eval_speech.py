"""Kindly's own sentences spoken by synthetic voices, through the recogniser and the matcher, as a person would be
heard: intent accuracy from audio beside the same sentences read as text, word error rate, disclosures that reach
safety, and the recogniser's out-of-vocabulary rate on natural sentences.

Usage: .venv/bin/python scripts/eval_speech.py [--per-file N] [--disclosures N] [--voices V1,V2] [--noise 10]
    [--seed 13] [--open-only] [--max-words N] [--ordinary N] [--show-misses]

Sentences: N per held-out persona (tests/data/personas, never trained or tuned on) and N disclosures and ordinary
sentences from the held-out safety sets (tests/data/safety), picked at random (seeded). Voices: flite's awb, rms
and slt (built from recordings of real speakers), festival's kal, ked and slt (HTS), and espeak-ng's formant
voices. --noise adds white noise at that SNR in dB. --open-only decodes without the grammar (for comparison).
--ordinary N speaks N of those sets' ordinary sentences (many of them near-misses: "I'm scared she'll find out I
forgot our anniversary") and counts the false alarms: the ones taken for a disclosure.
--max-words keeps only the personas' sentences of at most N words: the short answers ("nah", "yes please") that
people give most often (with --per-file 1000 --disclosures 0, all of them). --show-misses prints each missed
disclosure and each false alarm with what the recogniser heard, to see where hearing fails; the sentences are
held out, so no rule or figure is ever written against them.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VOICES = "flite:awb,flite:rms,flite:slt,festival,festival:ked_diphone,festival:cmu_us_slt_arctic_hts,en-us,en-us+f3,en-us+klatt"
REAL_SPEAKERS = ("flite:", "festival")
"""flite's and festival's voices are built from recordings of real speakers; espeak-ng's are formant synthesis."""


def main() -> int:
    from assistant.session import build_matcher
    from assistant.settings import load as load_settings
    from assistant.stt.engines import open_recognizer
    from assistant.understanding import training
    from assistant.understanding.matcher import SAFETY_INTENT
    from assistant.understanding.normalize import normalise
    from tests.speech import speak

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-file", type=int, default=30, help="sentences per held-out persona (default 30)")
    parser.add_argument("--disclosures", type=int, default=40, help="disclosures from the held-out safety sets (default 40)")
    parser.add_argument("--voices", default=VOICES)
    parser.add_argument("--noise", type=float, help="white noise at this SNR in dB")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--open-only", action="store_true", help="decode with the open language model only")
    parser.add_argument("--max-words", type=int, help="only the personas' sentences of at most this many words")
    parser.add_argument("--ordinary", type=int, default=40, help="ordinary sentences from the held-out safety sets, for false alarms (default 40)")
    parser.add_argument("--show-misses", action="store_true", help="print each spoken disclosure missed and each false alarm, with what was heard")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    personas = training.persona_examples(sorted((ROOT / "tests" / "data" / "personas").glob("*.yaml")))
    by_file: dict[str, list[training.Example]] = {}
    for example in personas:
        if args.max_words is not None and len(normalise(example.text).split()) > args.max_words:
            continue
        by_file.setdefault(example.group, []).append(example)
    cases = [(e.text, e.intent if e.intent != training.OUT_OF_SCOPE else None) for group in sorted(by_file.values(), key=lambda g: g[0].group)
             for e in rng.sample(group, min(args.per_file, len(group)))]
    safety = training.disclosure_examples(sorted((ROOT / "tests" / "data" / "safety").glob("*.yaml")))
    disclosed = [e.text for e in safety if e.intent != training.NO_DISCLOSURE]
    cases += [(text, SAFETY_INTENT) for text in rng.sample(disclosed, min(args.disclosures, len(disclosed)))]
    ordinary = [e.text for e in safety if e.intent == training.NO_DISCLOSURE]
    ordinary = rng.sample(ordinary, min(args.ordinary, len(ordinary)))  # drawn last: the cases above stay the same

    settings = load_settings()
    matcher = build_matcher(settings)
    recognizer = open_recognizer(settings, matcher.catalog, judge=None if args.open_only else matcher)
    known = recognizer.known_words() if hasattr(recognizer, "known_words") else set()
    words = [w for text, _ in cases for w in normalise(text).split()]
    if known:
        missing = sorted({w for w in words if w not in known})
        print(f"out of vocabulary: {sum(w not in known for w in words)}/{len(words)} words "
              f"= {100 * sum(w not in known for w in words) / len(words):.2f}% ({', '.join(missing[:15])}{' …' if len(missing) > 15 else ''})")
    text_right = [matcher.match(text).intent == want for text, want in cases]
    text_rate = sum(text_right) / len(cases)
    print(f"{len(cases)} sentences ({len(cases) - sum(w == SAFETY_INTENT for _, w in cases)} from held-out personas, "
          f"{sum(w == SAFETY_INTENT for _, w in cases)} disclosures); as text: {100 * text_rate:.1f}% understood; "
          f"{len(ordinary)} ordinary sentences, {sum(matcher.match(t).intent == SAFETY_INTENT for t in ordinary)} taken for a disclosure as text\n")
    print(f"{'voice':34} {'WER':>6} {'intent':>8} {'of text':>8} {'disclosures':>12} {'false alarms':>13}")
    groups: dict[str, list[float]] = {"voices built from real speakers": [], "espeak-ng formant voices": []}
    with tempfile.TemporaryDirectory() as tmp:
        for voice in args.voices.split(","):
            name, _, speed = voice.partition("@")
            errors = total = right = safe = 0
            for text, want in cases:
                heard = _heard(recognizer, speak(text, name, int(speed or 150)), args.noise, Path(tmp))
                reference = normalise(text).split()
                errors += _edits(reference, heard.split())
                total += len(reference)
                intent = matcher.match(heard).intent
                right += intent == want
                safe += want == SAFETY_INTENT and intent == SAFETY_INTENT
                if args.show_misses and want == SAFETY_INTENT and intent != SAFETY_INTENT:
                    print(f"  missed [{voice}]: {text!r} heard {heard!r}")
            alarms = 0
            for text in ordinary:
                heard = _heard(recognizer, speak(text, name, int(speed or 150)), args.noise, Path(tmp))
                if matcher.match(heard).intent == SAFETY_INTENT:
                    alarms += 1
                    if args.show_misses:
                        print(f"  false alarm [{voice}]: {text!r} heard {heard!r}")
            disclosures = sum(w == SAFETY_INTENT for _, w in cases)
            rate = right / len(cases)
            print(f"{voice:34} {errors / total:6.2f} {100 * rate:7.1f}% {100 * rate / text_rate:7.1f}% {safe:>5}/{disclosures:<6} "
                  f"{alarms:>6}/{len(ordinary):<6}", flush=True)
            groups["voices built from real speakers" if name.startswith(REAL_SPEAKERS) else "espeak-ng formant voices"].append(rate / text_rate)
    for group, ratios in groups.items():
        if ratios:
            print(f"{group}: intent accuracy {100 * sum(ratios) / len(ratios):.1f}% of the text's")
    return 0


def _heard(recognizer: object, wav: Path, noise: float | None, tmp: Path) -> str:
    """What the recogniser hears of a clip, with white noise at `noise` dB if given."""
    from assistant import wavfile
    from assistant.stt import transcribe

    if noise is not None:
        wav = _noisy(wav, noise, tmp / "noisy.wav")
    return transcribe(recognizer, wavfile.read(wav)).text  # type: ignore[arg-type]


def _noisy(clean: Path, snr_db: float, out: Path) -> Path:
    """The clip with white noise at `snr_db` below its own level (sox)."""
    from assistant import wavfile

    samples = np.frombuffer(wavfile.read(clean), dtype="<i2").astype(np.float64)
    level = float(np.sqrt(np.mean(samples ** 2))) or 1.0
    noise = np.random.default_rng(0).normal(0.0, level / 10 ** (snr_db / 20), len(samples))
    wavfile.write(out, np.clip(np.round(samples + noise), -32768, 32767).astype("<i2").tobytes())
    return out


def _edits(reference: list[str], hypothesis: list[str]) -> int:
    """Word-level Levenshtein distance."""
    previous = list(range(len(hypothesis) + 1))
    for i, word in enumerate(reference, 1):
        current = [i]
        for j, heard in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != heard)))
        previous = current
    return previous[-1]


if __name__ == "__main__":
    os.environ.setdefault("KINDLY_CACHE_DIR", str(Path.home() / ".cache" / "kindly-test-cache"))
    raise SystemExit(main())
