"""Command acceptance on real people's spoken coffee orders, through Kindly's own command line.

The clips are the dev half of Picovoice's speech-to-intent benchmark (310 crowd-sourced coffee orders, see
the data folder's README.md). A clip is accepted when `kindly parse` of what `kindly transcribe` heard gives
the intent and every labelled slot exactly right (extra slots are not held against it, as in the benchmark);
the "exact" column also counts a clip as wrong when Kindly adds a slot the label does not have.
Noisy conditions mix the benchmark's kitchen noise into each clip the way its mixer does.

Usage:
    .venv/bin/python scripts/eval_realspeech.py [--data DIR] [--intents-dir DIR] [--conditions clean,24,12,6]
        [--limit N] [--verbose] [--kindly-args "--engine pocketsphinx --cache-dir /tmp/kindly-cache"]

    --conditions   "clean", "8khz" (the clips at 8 kHz) and/or SNRs in dB of kitchen noise (default: clean,24,12,6)
    --limit N      only the first N clips, sorted by name
    --verbose      print every failing clip with its transcript and parse
    --kindly-args  extra options for kindly, placed before the command (e.g. --engine, --cache-dir); a single
                   option needs the = form: --kindly-args=--engine=vosk

Word error rate is not printed: the labels hold the slot values only, not what was said around them (the
opening, the article, the order of the slots), so the spoken text cannot be reconstructed.

With PocketSphinx, Kindly keeps its cepstral mean in the cache folder between runs, so a run starts from the
state the last one (clean or noisy) ended in; pass `--kindly-args "--cache-dir DIR"` for a separate state.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import wave
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path("/work/shared/data/barista-dev")
DEFAULT_INTENTS = ROOT / "tests" / "data" / "coffee"
SAMPLE_RATE = 16_000
FRAME = 2048
"""The benchmark's frame for the loudest-frame energy that sets the noise level."""
PEAK = 0.5
"""The benchmark normalises each mix to this peak."""

PUBLISHED = {  # command acceptance on the full benchmark in kitchen noise (its src/plot.py): {SNR dB: rate}
    "Rhino": {24: 0.99, 6: 0.96},
    "LUIS": {24: 0.93, 6: 0.86},
    "Watson": {24: 0.96, 6: 0.72},
    "Lex": {24: 0.88, 6: 0.80},
    "Dialogflow": {24: 0.83, 6: 0.70},
}


@dataclass(frozen=True)
class Label:
    intent: str
    slots: dict[str, str]


@dataclass
class Outcome:
    clip: str
    text: str
    parse: dict[str, Any] = field(default_factory=dict)
    intent_ok: bool = False
    accepted: bool = False
    exact: bool = False
    """Accepted, and no slot beyond the labelled ones."""


class EvalError(Exception):
    """A problem worth one line on stderr, not a traceback."""


# --- data ------------------------------------------------------------------------------------------------------

def load_labels(data: Path) -> dict[str, Label]:
    """labels.json with slot values stripped (a few have stray spaces)."""
    path = data / "labels.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EvalError(f"cannot read {path}: {error}") from None
    return {name: Label(item["intent"], {k: v.strip() for k, v in item.get("slots", {}).items()})
            for name, item in raw.items()}


def clip_paths(data: Path, labels: dict[str, Label], limit: int | None) -> list[Path]:
    """Labelled clips, sorted by name, the first `limit` of them."""
    clips = sorted(p for p in (data / "clips").glob("*.wav") if p.name in labels)
    if not clips:
        raise EvalError(f"no labelled clips in {data / 'clips'}")
    return clips[:limit] if limit else clips


def read_wav(path: Path) -> np.ndarray:
    """16 kHz mono 16-bit PCM as floats in [-1, 1]."""
    with wave.open(str(path), "rb") as wav:
        if (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) != (SAMPLE_RATE, 1, 2):
            raise EvalError(f"{path}: expected 16 kHz mono 16-bit PCM")
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return pcm.astype(np.float64) / 32768.0


def write_wav(path: Path, samples: np.ndarray) -> None:
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm.tobytes())


# --- mixing, as the benchmark's mixer.py does it ----------------------------------------------------------------

def max_frame_energy(samples: np.ndarray, frame: int = FRAME) -> float:
    """Energy of the loudest whole frame (the whole signal when shorter than one frame)."""
    frames = len(samples) // frame
    if frames == 0:
        return float((samples ** 2).sum())
    return float((samples[: frames * frame].reshape(frames, frame) ** 2).sum(axis=1).max())


def noise_segment(noise: np.ndarray, length: int, seed: int) -> np.ndarray:
    """`length` samples of noise from a random (but reproducible) start, looping the noise when too short."""
    start = np.random.default_rng(seed).integers(0, len(noise))
    repeats = -(-(start + length) // len(noise))
    return np.tile(noise, repeats)[start : start + length]


def mix(speech: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """Noise scaled so the loudest frames are `snr_db` apart, added, and the peak normalised to PEAK."""
    noise_energy = max_frame_energy(noise)
    scale = np.sqrt(max_frame_energy(speech) / (noise_energy * 10 ** (snr_db / 10))) if noise_energy > 0 else 0.0
    mixed = speech + scale * noise
    peak = np.abs(mixed).max()
    return mixed * (PEAK / peak) if peak > 0 else mixed


def mix_folder(clips: list[Path], noise: np.ndarray, snr_db: float, folder: Path) -> list[Path]:
    """The clips with noise mixed in, written under `folder` (created) with the same names."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for clip in clips:
        speech = read_wav(clip)
        segment = noise_segment(noise, len(speech), seed=zlib.crc32(clip.name.encode()))
        path = folder / clip.name
        write_wav(path, mix(speech, segment, snr_db))
        out.append(path)
    return out


def narrowband_folder(clips: list[Path], folder: Path) -> list[Path]:
    """The clips as 8 kHz WAV files (Kindly resamples them back to 16 kHz, with nothing above 4 kHz)."""
    import soxr

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for clip in clips:
        samples = soxr.resample(read_wav(clip), SAMPLE_RATE, 8000)
        path = folder / clip.name
        with wave.open(str(path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(8000)
            wav.writeframes(np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2").tobytes())
        out.append(path)
    return out


# --- running kindly -----------------------------------------------------------------------------------------------

def kindly_command(intents_dir: Path, extra: list[str], *command: str) -> list[str]:
    return [sys.executable, "-m", "assistant", "--intents-dir", str(intents_dir), *extra, *command]


def transcribe(files: list[Path], intents_dir: Path, extra: list[str]) -> dict[str, str]:
    """What Kindly heard in each file, by file name (a file Kindly could not read is missing)."""
    command = kindly_command(intents_dir, extra, "transcribe", *map(str, files), "--json")
    heard: dict[str, str] = {}
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            item = json.loads(line)
            heard[Path(item["file"]).name] = item.get("text") or ""
            progress(f"  transcribed {len(heard)}/{len(files)}", transient=True)
    if process.returncode not in (0, 1):  # 1: some file could not be read; the others are still there
        raise EvalError(f"kindly transcribe failed (exit status {process.returncode}); see its message above")
    return heard


def parse(texts: list[str], intents_dir: Path, extra: list[str]) -> list[dict[str, Any]]:
    """Kindly's parse of each text, in order."""
    command = kindly_command(intents_dir, extra, "parse", "--json")
    stdin = "".join(" ".join(text.split()) + "\n" for text in texts)
    result = subprocess.run(command, cwd=ROOT, input=stdin, stdout=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise EvalError(f"kindly parse failed (exit status {result.returncode}); see its message above")
    parses = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    if len(parses) != len(texts):
        raise EvalError(f"kindly parse gave {len(parses)} results for {len(texts)} sentences")
    return parses


# --- scoring and printing -----------------------------------------------------------------------------------------

def score(clip: str, text: str, parsed: dict[str, Any], label: Label) -> Outcome:
    """Accepted when the intent and every labelled slot are right; slot names compare case-insensitively
    (Kindly's slot names are lower case: numberofshots for the label's numberOfShots)."""
    slots = {str(k).lower(): str(v).strip() for k, v in (parsed.get("slots") or {}).items()}
    intent_ok = parsed.get("intent") == label.intent
    slots_ok = all(slots.get(name.lower()) == value for name, value in label.slots.items())
    no_extra = set(slots) <= {name.lower() for name in label.slots}
    return Outcome(clip, text, parsed, intent_ok, intent_ok and slots_ok, intent_ok and slots_ok and no_extra)


def evaluate(clips: list[Path], labels: dict[str, Label], intents_dir: Path, extra: list[str]) -> list[Outcome]:
    heard = transcribe(clips, intents_dir, extra)
    texts = [heard.get(clip.name, "") for clip in clips]
    progress(f"  parsing {len(texts)} transcripts")
    parses = parse(texts, intents_dir, extra)
    return [score(clip.name, text, parsed, labels[clip.name]) for clip, text, parsed in zip(clips, texts, parses)]


def condition_name(condition: str) -> str:
    return condition if condition in ("clean", "8khz") else f"{condition} dB"


def published_cells(condition: str) -> list[str]:
    snr = None if condition == "clean" else float(condition)
    return [f"{100 * figures[int(snr)]:.0f}%" if snr is not None and snr.is_integer() and int(snr) in figures else "-"
            for figures in PUBLISHED.values()]


def print_header() -> None:
    published = " ".join(f"{name:>10}" for name in PUBLISHED)
    print(f"{'condition':<10} {'clips':>6} {'accepted':>9} {'acceptance':>11} {'intent':>7} {'exact':>7}   | {published}")


def print_row(condition: str, outcomes: list[Outcome]) -> None:
    total = len(outcomes)
    accepted = sum(o.accepted for o in outcomes)
    intent = sum(o.intent_ok for o in outcomes)
    exact = sum(o.exact for o in outcomes)
    published = " ".join(f"{cell:>10}" for cell in published_cells(condition))
    print(f"{condition_name(condition):<10} {total:>6} {accepted:>9} {100 * accepted / total:>10.1f}% "
          f"{100 * intent / total:>6.1f}% {100 * exact / total:>6.1f}%   | {published}", flush=True)


def print_failures(condition: str, outcomes: list[Outcome], labels: dict[str, Label]) -> None:
    for o in outcomes:
        if o.accepted:
            continue
        label = labels[o.clip]
        print(f"  [{condition_name(condition)}] {o.clip}")
        print(f"    heard:  {o.text!r}")
        print(f"    parsed: {o.parse.get('intent')} {json.dumps(o.parse.get('slots') or {})}")
        print(f"    label:  {label.intent} {json.dumps(label.slots)}")


def progress(message: str, transient: bool = False) -> None:
    """Progress on stderr: on one rewritten line in a terminal; elsewhere only the lasting messages, a line each."""
    if sys.stderr.isatty():
        print(f"\r{message}\033[K", end="", file=sys.stderr, flush=True)
    elif not transient:
        print(message, file=sys.stderr, flush=True)


def clear_progress() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)


# --- main ---------------------------------------------------------------------------------------------------------

def parse_conditions(text: str) -> list[str]:
    conditions = [c.strip().lower().removesuffix("db") for c in text.split(",") if c.strip()]
    for condition in conditions:
        if condition not in ("clean", "8khz"):
            try:
                float(condition)
            except ValueError:
                raise EvalError(f"unknown condition {condition!r}: use 'clean', '8khz' or an SNR in dB, e.g. clean,24,12,6") from None
    return conditions


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"benchmark data folder (default {DEFAULT_DATA})")
    parser.add_argument("--intents-dir", type=Path, default=DEFAULT_INTENTS, help="Kindly intent folder (default tests/data/coffee)")
    parser.add_argument("--conditions", default="clean,24,12,6", help="clean and/or kitchen-noise SNRs in dB (default clean,24,12,6)")
    parser.add_argument("--limit", type=int, help="only the first N clips, sorted by name")
    parser.add_argument("--verbose", action="store_true", help="print failing clips with transcript and parse")
    parser.add_argument("--kindly-args", default="", help='extra kindly options, e.g. "--engine pocketsphinx --cache-dir /tmp/k"')
    return parser.parse_args()


def run(args: argparse.Namespace) -> None:
    data = args.data.resolve()
    if not data.is_dir():
        raise EvalError(f"data folder {data} not found (pass --data DIR)")
    intents_dir = args.intents_dir.resolve()
    if not intents_dir.is_dir():
        raise EvalError(f"intent folder {intents_dir} not found (pass --intents-dir DIR)")
    conditions = parse_conditions(args.conditions)
    extra = shlex.split(args.kindly_args)
    labels = load_labels(data)
    clips = clip_paths(data, labels, args.limit)
    noise = read_wav(data / "kitchen.wav") if any(c not in ("clean", "8khz") for c in conditions) else None

    print(f"Kindly on {len(clips)} real coffee orders ({data.name}); published: full benchmark, kitchen noise", flush=True)
    print_header()
    results: list[tuple[str, list[Outcome]]] = []
    with tempfile.TemporaryDirectory(prefix="kindly-barista-") as tmp:
        for condition in conditions:
            files = clips
            if condition == "8khz":
                progress(f"8khz: resampling {len(clips)} clips to 8 kHz, as a telephone-band microphone records")
                files = narrowband_folder(clips, Path(tmp) / condition)
            elif noise is not None and condition != "clean":
                progress(f"{condition_name(condition)}: mixing kitchen noise into {len(clips)} clips")
                files = mix_folder(clips, noise, float(condition), Path(tmp) / condition)
            progress(f"{condition_name(condition)}: transcribing {len(clips)} clips")
            outcomes = evaluate(files, labels, intents_dir, extra)
            clear_progress()
            print_row(condition, outcomes)
            results.append((condition, outcomes))
    if args.verbose and not all(o.accepted for _, outcomes in results for o in outcomes):
        print("\nFailing clips (heard, Kindly's parse, label):")
        for condition, outcomes in results:
            print_failures(condition, outcomes, labels)


def main() -> int:
    args = arguments()
    try:
        run(args)
    except EvalError as error:
        print(f"eval_realspeech: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
