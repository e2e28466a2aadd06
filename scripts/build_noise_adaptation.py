"""Adapt PocketSphinx's acoustic model to real microphones in noisy rooms: one MLLR transform of its means.

The bundled en-us model was trained on clean read speech. Real people on their own microphones in a noisy room
sound different, and no choice between decoders can make up for a model that hears the wrong sounds. So the
real coffee orders of barista-dev (its clean clips, each at its own microphone) are mixed with synthetic noise
(pink and brown, slowly swelling; not the benchmark's kitchen noise, which stays for measuring), passed through
Kindly's front end, and SphinxTrain estimates one global MLLR transform (a 13×13 matrix and a bias per feature
stream) that moves the model's means toward them. The recogniser loads it with the model (`mllr`), for the open
and the grammar decoder alike. The held-out half of the benchmark is never read, and the first 100 dev clips
(sorted by name) are left out too, so that `scripts/eval_realspeech.py --limit 100` measures the transform on
clips it was not built from.

Transcripts: what Kindly itself hears on each clean clip, kept only when it understood the order completely
(the clip's labels check it), so the transform learns from right transcripts only.

Needs Debian's sphinxtrain, sphinxbase-utils and pocketsphinx packages (bw, mllr_solve, sphinx_fe,
pocketsphinx_mdef_convert): apt install sphinxtrain sphinxbase-utils pocketsphinx.

Usage: python scripts/build_noise_adaptation.py [--data DIR] [--snr 6] [--hold-out 100] [--out assistant/stt/noise.mllr]
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

import eval_realspeech as barista
from assistant.stt.frontend import FrontEnd
from assistant.stt.sphinx_engine import NOISE_ADAPTATION

SPHINXTRAIN = Path("/usr/lib/sphinxtrain")
SEED = 7
NOISE_SECONDS = 120
SWELL_HZ = 0.3
"""The noise swells and fades about every three seconds, as a room's noise does (a tap, a fan, voices)."""


class BuildError(Exception):
    """A problem worth one line on stderr."""


def tool(name: str) -> str:
    path = shutil.which(name) or (str(SPHINXTRAIN / name) if (SPHINXTRAIN / name).exists() else None)
    if path is None:
        raise BuildError(f"{name} not found: apt install sphinxtrain sphinxbase-utils pocketsphinx")
    return path


def run(command: list[str], log: Path) -> None:
    with open(log, "w") as out:
        if subprocess.run(command, stdout=out, stderr=subprocess.STDOUT).returncode != 0:
            raise BuildError(f"{Path(command[0]).name} failed; see {log}")


def room_noise(seconds: int = NOISE_SECONDS, rate: int = barista.SAMPLE_RATE) -> np.ndarray:
    """Pink plus brown noise whose level swells slowly: seeded, so the transform is rebuilt the same."""
    rng = np.random.default_rng(SEED)
    n = seconds * rate
    spectrum = np.fft.rfft(rng.normal(size=n))
    frequencies = np.fft.rfftfreq(n, 1 / rate)
    frequencies[0] = frequencies[1]
    pink = np.fft.irfft(spectrum / np.sqrt(frequencies), n)
    brown = np.cumsum(rng.normal(size=n))
    brown -= np.convolve(brown, np.ones(rate) / rate, mode="same")  # no drift below 1 Hz
    noise = pink / pink.std() + brown / brown.std()
    swell = 1.0 + 0.4 * np.sin(2 * np.pi * SWELL_HZ * np.arange(n) / rate)
    return noise * swell / np.abs(noise * swell).max()


def heard_right(clips: list[Path], labels: dict, intents_dir: Path, cache: Path) -> dict[str, str]:
    """What Kindly heard on each clean clip it understood completely."""
    outcomes = barista.evaluate(clips, labels, intents_dir, ["--cache-dir", str(cache)])
    return {o.clip: o.text for o in outcomes if o.accepted and o.text}


def mixture_weights(sendump: Path, out: Path) -> None:
    """The model's quantised mixture weights (sendump) written back as the float file SphinxTrain's bw reads."""
    data = sendump.read_bytes()
    fmt = "<I" if struct.unpack("<I", data[:4])[0] <= 65536 else ">I"
    at, header = 0, {}
    while True:
        length = struct.unpack(fmt, data[at : at + 4])[0]
        at += 4
        if length == 0:
            break
        words = data[at : at + length - 1].decode().split()
        at += length
        if len(words) == 2 and words[1].isdigit():
            header[words[0]] = int(words[1])
    models, mixtures = struct.unpack(fmt[0] + "II", data[at : at + 8])  # codewords, senones
    at += 8
    features, shift = header["feature_count"], header.get("mixw_shift", 10)
    weights = np.empty((mixtures, features, models), dtype="<f4")
    for f in range(features):
        for m in range(models):
            row = np.frombuffer(data, dtype=np.uint8, count=mixtures, offset=at).astype(np.int64) << shift
            weights[:, f, m] = np.power(1.0001, -row)
            at += mixtures
    with open(out, "wb") as file:
        header = b"s3\nversion 1.0\n"
        file.write(header + b" " * (-(len(header) + 7) % 4) + b"endhdr\n")  # the data starts on a 4-byte boundary
        file.write(struct.pack("=i", 0x11223344))
        file.write(struct.pack("=IIII", *weights.shape, weights.size))
        weights.tofile(file)


def build(args: argparse.Namespace) -> None:
    import pocketsphinx

    for name in ("bw", "mllr_solve", "sphinx_fe", "pocketsphinx_mdef_convert"):
        tool(name)
    model_root = Path(pocketsphinx.get_model_path()) / "en-us"
    model = model_root / "en-us"
    dictionary = model_root / "cmudict-en-us.dict"
    known = {line.split()[0] for line in dictionary.read_text(encoding="utf-8").splitlines() if line.strip()}
    labels = barista.load_labels(args.data)
    clips = barista.clip_paths(args.data, labels, None)[args.hold_out :]
    with tempfile.TemporaryDirectory(prefix="kindly-mllr-") as tmp:
        work = Path(tmp)
        print(f"transcribing {len(clips)} clean clips with Kindly …", flush=True)
        transcripts = heard_right(clips, labels, args.intents_dir, work / "cache")
        transcripts = {clip: text for clip, text in transcripts.items() if set(text.split()) <= known}
        print(f"  {len(transcripts)} heard completely right: the adaptation data", flush=True)
        noise = room_noise()
        (work / "wav").mkdir()
        (work / "mfc").mkdir()
        names, lines = [], []
        for clip in clips:
            if clip.name not in transcripts:
                continue
            speech = barista.read_wav(clip)
            segment = barista.noise_segment(noise, len(speech), seed=zlib.crc32(clip.name.encode()))
            mixed = barista.mix(speech, segment, args.snr)
            pcm = FrontEnd(seed=zlib.crc32(clip.name.encode())).process(np.round(mixed * 32767).astype("<i2").tobytes())
            barista.write_wav(work / "wav" / clip.name, np.frombuffer(pcm, dtype="<i2") / 32768.0)
            names.append(clip.stem)
            lines.append(f"<s> {transcripts[clip.name]} </s> ({clip.stem})")
        (work / "ctl").write_text("\n".join(names) + "\n")
        (work / "lsn").write_text("\n".join(lines) + "\n")
        print(f"features of {len(names)} clips with room noise at {args.snr:g} dB …", flush=True)
        run([tool("sphinx_fe"), "-argfile", str(model / "feat.params"), "-samprate", str(barista.SAMPLE_RATE),
             "-c", str(work / "ctl"), "-di", str(work / "wav"), "-do", str(work / "mfc"), "-ei", "wav", "-eo", "mfc",
             "-mswav", "yes", "-remove_silence", "no"], work / "fe.log")
        run([tool("pocketsphinx_mdef_convert"), "-text", str(model / "mdef"), str(work / "mdef.txt")], work / "mdef.log")
        mixture_weights(model / "sendump", work / "mixture_weights")
        print("collecting statistics (bw) and solving for the transform (mllr_solve) …", flush=True)
        (work / "acc").mkdir()
        run([tool("bw"), "-hmmdir", str(model), "-moddeffn", str(work / "mdef.txt"), "-mixwfn", str(work / "mixture_weights"),
             "-ts2cbfn", ".ptm.", "-feat", "1s_c_d_dd", "-svspec", "0-12/13-25/26-38", "-cmn", "batch", "-agc", "none",
             "-varnorm", "no", "-dictfn", str(dictionary), "-fdictfn", str(model / "noisedict"), "-ctlfn", str(work / "ctl"),
             "-lsnfn", str(work / "lsn"), "-cepdir", str(work / "mfc"), "-accumdir", str(work / "acc"), "-timing", "no"],
            work / "bw.log")
        run([tool("mllr_solve"), "-meanfn", str(model / "means"), "-varfn", str(model / "variances"),
             "-outmllrfn", str(args.out), "-accumdir", str(work / "acc")], work / "solve.log")
    print(f"wrote {args.out}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=barista.DEFAULT_DATA, help=f"barista-dev folder (default {barista.DEFAULT_DATA})")
    parser.add_argument("--intents-dir", type=Path, default=barista.DEFAULT_INTENTS, help="coffee intent folder (default tests/data/coffee)")
    parser.add_argument("--snr", type=float, default=6.0, help="signal-to-noise ratio of the room noise, dB (default 6)")
    parser.add_argument("--hold-out", type=int, default=100, help="leave out the first N clips, for measuring (default 100)")
    parser.add_argument("--out", type=Path, default=NOISE_ADAPTATION, help=f"where to write the transform (default {NOISE_ADAPTATION})")
    args = parser.parse_args()
    try:
        if not args.data.is_dir():
            raise BuildError(f"data folder {args.data} not found (pass --data DIR)")
        build(args)
    except (BuildError, barista.EvalError) as error:
        print(f"build_noise_adaptation: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
