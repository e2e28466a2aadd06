"""Real speech for tests: espeak-ng and festival voices, made once per machine and cached, mixed with noise by sox."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

CACHE = Path.home() / ".cache" / "kindly-test-speech"


def speak(text: str, voice: str = "en-us", speed: int = 150, noise: float = 0.0) -> Path:
    """A WAV file of the text in a voice ('festival' or an espeak-ng voice), optionally with white noise."""
    key = hashlib.sha256(f"{text}|{voice}|{speed}|{noise}".encode()).hexdigest()[:20]
    path = CACHE / f"{key}.wav"
    if path.is_file():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    clean = CACHE / f"{key}.{os.getpid()}.clean.wav"
    if voice == "festival":
        subprocess.run(["text2wave", "-o", str(clean)], input=text.encode(), check=True, capture_output=True)
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
