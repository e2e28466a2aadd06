"""Kindly's settings: defaults ← TOML file ← KINDLY_* environment ← command-line options, merged in one place."""

from __future__ import annotations

import dataclasses
import locale
import os
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

from assistant.errors import UsageError, did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ENGINES = ("auto", "vosk", "pocketsphinx")
ENV_PREFIX = "KINDLY_"


@dataclass(frozen=True)
class Settings:
    """Everything a person can set. Each field can come from the TOML file, KINDLY_<NAME> or --<name>."""

    country: str = ""
    """Country code for safety resources (US, UK, CA, DE…); empty means taken from the system locale."""
    break_minutes: int = 20
    """Default length of a cooldown break, in minutes (20 or more is what helps the body settle)."""
    voice: str = "default"
    """Voice profile from voices/ used for ordinary replies."""
    engine: str = "auto"
    """Speech engine: auto (Vosk when a model is installed, else PocketSphinx), vosk or pocketsphinx."""
    model: str = ""
    """Folder of a Vosk model; empty means the newest model in the data folder."""
    data_dir: str = ""
    """Where agreements and models are kept; empty means the user data folder of this system."""
    input_device: str = ""
    """Microphone name or number (see `kindly devices`); empty means the system default."""
    output_device: str = ""
    """Speaker name or number; empty means the system default."""
    intents_dir: str = ""
    """Folder of intent files; empty means the ones shipped with Kindly."""
    reject_threshold: float = 0.72
    """Below this confidence (0–1) a sentence is out of scope."""
    accept_threshold: float = 0.84
    """From this confidence (0–1) Kindly acts without asking "Did you mean …?"."""

    @property
    def country_code(self) -> str:
        return (self.country or _locale_country()).upper()

    @property
    def data_path(self) -> Path:
        if self.data_dir:
            return Path(self.data_dir).expanduser()
        import platformdirs

        return Path(platformdirs.user_data_dir("kindly", appauthor=False))


def load(cli: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None, config_file: Path | None = None) -> Settings:
    """Merge every layer and validate the result before any device opens."""
    env = os.environ if env is None else env
    merged: dict[str, Any] = {}
    path = config_file or _config_path(env)
    if path and path.is_file():
        merged.update(_read_toml(path))
    names = {f.name for f in fields(Settings)}
    for name in names:
        key = ENV_PREFIX + name.upper()
        if env.get(key, "") != "":
            merged[name] = env[key]
    merged.update({k: v for k, v in (cli or {}).items() if v is not None and k in names})
    return _validate(merged)


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """The settings file: KINDLY_CONFIG, else config.toml in the user config folder."""
    found = _config_path(os.environ if env is None else env)
    assert found is not None
    return found


def _config_path(env: Mapping[str, str]) -> Path | None:
    if env.get("KINDLY_CONFIG"):
        return Path(env["KINDLY_CONFIG"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("kindly", appauthor=False)) / "config.toml"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"settings file {path} cannot be read ({error})", "Fix it, or delete it to use the defaults.") from None
    names = [f.name for f in fields(Settings)]
    for key in data:
        if key not in names:
            raise UsageError(f"unknown setting '{key}' in {path}", did_you_mean(key, names) or f"Known settings: {', '.join(names)}.")
    return data


def _validate(values: dict[str, Any]) -> Settings:
    converted: dict[str, Any] = {}
    for field in fields(Settings):
        if field.name not in values:
            continue
        raw = values[field.name]
        kind = type(field.default)
        try:
            converted[field.name] = kind(raw) if not isinstance(raw, bool) else raw
        except (TypeError, ValueError):
            raise UsageError(f"setting '{field.name}' must be a {kind.__name__}, not {raw!r}") from None
    settings = dataclasses.replace(Settings(), **converted)
    if settings.engine not in ENGINES:
        raise UsageError(f"setting 'engine' is {settings.engine!r}", f"Use one of: {', '.join(ENGINES)}.")
    if not 5 <= settings.break_minutes <= 24 * 60:
        raise UsageError(f"setting 'break_minutes' is {settings.break_minutes}", "Use a number of minutes from 5 to 1440.")
    if not 0 < settings.reject_threshold <= settings.accept_threshold <= 1:
        raise UsageError("settings 'reject_threshold' and 'accept_threshold' must satisfy 0 < reject ≤ accept ≤ 1")
    return settings


def _locale_country() -> str:
    name = os.environ.get("LC_ALL") or os.environ.get("LANG") or (locale.getlocale()[0] or "")
    code = name.split(".")[0].split("_")[1] if "_" in name else ""
    return "UK" if code.upper() == "GB" else code
