"""Voice profiles from `voices/*.yaml`: speaking rate, volume and the preferred system voices per platform."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.datafile import Problems, read
from assistant.errors import DataFileError, UsageError, did_you_mean
from assistant.resources import shipped

PLATFORMS = ("linux", "darwin", "windows")
_KEYS = {"description", "rate", "volume", "voices"}


@dataclass(frozen=True)
class VoiceProfile:
    name: str
    rate: int
    """Words per minute."""
    volume: float
    """0.0–1.0."""
    preferred: dict[str, tuple[str, ...]]
    """Platform → system voice ids or names, first found wins."""
    description: str = ""


def load(folder: Path | None = None) -> dict[str, VoiceProfile]:
    """Every profile in the folder; one DataFileError lists every problem with file and line."""
    folder = folder or shipped("voices")
    problems = Problems()
    profiles: dict[str, VoiceProfile] = {}
    for path in sorted(folder.glob("*.yaml")):
        root = read(path)
        if not problems.check_keys(path, root, _KEYS, {"rate", "volume", "voices"}, f"voice '{path.stem}'"):
            continue
        values = root.value
        rate = values["rate"].value if "rate" in values else 0
        volume = values["volume"].value if "volume" in values else 0
        if not isinstance(rate, int) or not 60 <= rate <= 400:
            problems.add(path, values["rate"].line if "rate" in values else root.line, f"rate must be words per minute from 60 to 400, not {rate!r}")
        if not isinstance(volume, (int, float)) or not 0 <= volume <= 1:
            problems.add(path, values["volume"].line if "volume" in values else root.line, f"volume must be from 0.0 to 1.0, not {volume!r}")
        preferred: dict[str, tuple[str, ...]] = {}
        voices = values.get("voices")
        if voices is not None and isinstance(voices.value, dict):
            for platform, names in voices.value.items():
                if platform not in PLATFORMS:
                    problems.add(path, names.line, f"unknown platform '{platform}' (use {', '.join(PLATFORMS)})")
                elif not isinstance(names.value, list) or not all(isinstance(n.value, str) for n in names.value):
                    problems.add(path, names.line, f"voices for {platform} must be a list of voice names")
                else:
                    preferred[platform] = tuple(n.value for n in names.value)
        elif voices is not None:
            problems.add(path, voices.line, "voices must map a platform to a list of voice names")
        description = values["description"].value if "description" in values else ""
        profiles[path.stem] = VoiceProfile(path.stem, int(rate) if isinstance(rate, int) else 0, float(volume) if isinstance(volume, (int, float)) else 0.0, preferred, str(description))
    problems.raise_if_any()
    if not profiles:
        raise DataFileError([f"{folder}: no voice profiles (*.yaml) found"], "Reinstall Kindly.")
    return profiles


def pick(profiles: dict[str, VoiceProfile], name: str) -> VoiceProfile:
    """The named profile, or a usage error with a 'did you mean' hint."""
    if name not in profiles:
        raise UsageError(f"unknown voice '{name}'", did_you_mean(name, profiles) or f"Known voices: {', '.join(sorted(profiles))}.")
    return profiles[name]
