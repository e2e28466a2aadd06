"""Wake phrase: detection rate over voices and speeds, and false wakes per hour on speech and noise.

Usage: python scripts/bench_wake.py
Targets (issue 5): detected in at least 9 of 10 voices/speeds; fewer than one false wake per 10 minutes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

def main() -> None:
    from assistant import wavfile
    from assistant.understanding import intents
    from assistant.stt import transcribe
    from assistant.stt.sphinx_engine import SphinxRecognizer
    from assistant.wake import Waker
    from tests.speech import CONFUSABLE, ESPEAK_ONLY, VOICES, ordinary_talk, speak

    cache = Path(os.environ.get("KINDLY_CACHE_DIR") or tempfile.mkdtemp())
    catalog = intents.load()
    waker = Waker("wake", "hey kindly")
    detected = []
    for voice, speed in VOICES + ESPEAK_ONLY:
        recognizer = SphinxRecognizer(catalog, cache)
        heard = transcribe(recognizer, wavfile.read(speak("hey kindly", voice, speed))).text
        woke = waker.hear(heard, 0.0)[1]
        detected.append(woke)
        print(f"  {voice:32} {speed:>4}  {'woke' if woke else 'missed':6}  heard: {heard!r}")
    main_set = detected[: len(VOICES)]
    print(f"wake phrase detected: {sum(main_set)} of {len(main_set)} voices and speeds (target >= 9)")
    print(f"  and {sum(detected[len(VOICES):])} of {len(ESPEAK_ONLY)} further espeak-ng voices and speeds")
    for label, sentences in (("ordinary talk and noise", ordinary_talk()), ("sound-alike sentences", CONFUSABLE * 2)):
        recognizer = SphinxRecognizer(catalog, cache)
        false_wakes, seconds = 0, 0.0
        for index, text in enumerate(sentences):
            voice, speed = (VOICES + ESPEAK_ONLY)[index % (len(VOICES) + len(ESPEAK_ONLY))]
            transcript = transcribe(recognizer, wavfile.read(speak(text, voice, speed, noise=0.02 if index % 3 == 0 else 0.0)))
            seconds += transcript.audio_seconds
            false_wakes += waker.hear(transcript.text, 0.0)[1]
        print(f"false wakes, {label}: {false_wakes} in {seconds / 60:.1f} min = {false_wakes / seconds * 3600:.1f} per hour (target < 6)")

if __name__ == "__main__":
    main()
