"""Real speech for tests: espeak-ng and festival voices, made once per machine and cached, mixed with noise by sox."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

CACHE = Path.home() / ".cache" / "kindly-test-speech"


FESTIVAL_SPEED = 150
"""Words per minute that festival's voices speak at without stretching."""


def speak(text: str, voice: str = "en-us", speed: int = 150, noise: float = 0.0) -> Path:
    """A WAV file of the text in a voice, optionally with white noise. Voices: an espeak-ng voice ('en-us+f3'),
    'festival' (kal_diphone), 'festival:NAME' (ked_diphone, cmu_us_slt_arctic_hts) or 'flite:NAME' (awb, rms, slt:
    built from recordings of real speakers); speed in words per minute."""
    key = hashlib.sha256(f"{text}|{voice}|{speed}|{noise}".encode()).hexdigest()[:20]
    path = CACHE / f"{key}.wav"
    if path.is_file():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    clean = CACHE / f"{key}.{os.getpid()}.clean.wav"
    if voice.startswith("festival"):
        name = voice.partition(":")[2] or "kal_diphone"
        stretch = FESTIVAL_SPEED / speed if speed else 1.0
        setup = f"(voice_{name}) (Parameter.set 'Duration_Stretch {stretch:.3f})"
        subprocess.run(["text2wave", "-eval", setup, "-o", str(clean)], input=text.encode(), check=True, capture_output=True)
    elif voice.startswith("flite:"):
        stretch = FESTIVAL_SPEED / speed if speed else 1.0
        subprocess.run(["flite", "-voice", voice.partition(":")[2], "--setf", f"duration_stretch={stretch:.3f}", "-t", text, "-o", str(clean)],
                       check=True, capture_output=True)
    else:
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(clean), text], check=True, capture_output=True)
    if noise:
        mixed = clean.with_suffix(".mixed.wav")
        _mix(clean, noise, mixed)
        clean.unlink()
        clean = mixed
    os.replace(clean, path)
    return path


def _mix(clean: Path, noise: float, out: Path) -> None:
    """Speech plus white noise of the given amplitude, as long as the speech."""
    noise_file = clean.with_suffix(".noise.wav")
    subprocess.run(["sox", str(clean), str(noise_file), "synth", "whitenoise", "vol", str(noise)], check=True, capture_output=True)
    subprocess.run(["sox", "-m", str(clean), str(noise_file), str(out)], check=True, capture_output=True)
    noise_file.unlink()


def silence(seconds: float, rate: int = 16000) -> Path:
    path = CACHE / f"silence-{seconds}-{rate}.wav"
    if not path.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["sox", "-n", "-r", str(rate), "-c", "1", "-b", "16", str(path), "trim", "0", str(seconds)], check=True)
    return path


def join(parts: list[Path], out: Path) -> Path:
    """Concatenate WAV files (resampled to 16 kHz mono first)."""
    converted = []
    for index, part in enumerate(parts):
        target = out.with_name(f"{out.stem}.{index}.wav")
        subprocess.run(["sox", str(part), "-r", "16000", "-c", "1", "-b", "16", str(target)], check=True, capture_output=True)
        converted.append(str(target))
    subprocess.run(["sox", *converted, str(out)], check=True, capture_output=True)
    for name in converted:
        Path(name).unlink()
    return out


VOICES = [("festival", 150), ("festival", 120), ("festival:ked_diphone", 150), ("festival:ked_diphone", 180),
          ("festival:cmu_us_slt_arctic_hts", 150), ("festival:cmu_us_slt_arctic_hts", 125), ("en-us", 170),
          ("en-us+klatt", 140), ("en-us+f3", 150), ("en-us+klatt4", 160)]
"""Ten voices and speeds for the wake phrase: three festival voices and four espeak-ng ones."""
ESPEAK_ONLY = [("en-us", 130), ("en-gb", 150), ("en-us+m7", 140), ("en-gb", 120), ("en-us+f3", 180)]
"""espeak-ng voices that PocketSphinx hears worst; reported apart, so each figure says what it covers."""
CONFUSABLE = [
    "the kids are kind of tired today", "could you kindly pass the salt", "I kind of like that movie",
    "he was very kind to me", "kind regards from all of us", "the kindest thing you can do is listen",
    "hey can you help me with this", "hey, kids, dinner is ready",
]
"""Sentences chosen to sound like the wake phrase."""


def ordinary_talk() -> list[str]:
    """Everyday speech not meant for Kindly: the out-of-scope sentences of the dev and held-out files, and
    in-scope sentences said without the wake phrase (a couple talking, not to Kindly)."""
    import yaml

    sentences: list[str] = []
    for name in ("dev.yaml", "heldout.yaml"):
        data = yaml.safe_load((Path(__file__).parent / "data" / name).read_text())
        sentences += data["out_of_scope"] + [s for group in data["in_scope"].values() for s in group][::3]
    return sentences
