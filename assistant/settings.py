"""Kindly's settings: defaults ← TOML file ← KINDLY_* environment ← command-line options, merged in one place."""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

from assistant.conversation import helplines
from assistant.errors import UsageError, did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ENGINES = ("auto", "vosk", "pocketsphinx")
LISTEN_MODES = ("wake", "always", "push")
BREATHING_PATTERNS = ("resonance", "longer_exhale", "box")
ENV_PREFIX = "KINDLY_"


@dataclass(frozen=True)
class Settings:
    """Everything a person can set. Each field can come from the TOML file, KINDLY_<NAME> or --<name>."""

    country: str = ""
    """Country for the support numbers: a code or name (US, GB or UK, CA, IE, AU, NZ, an EU member); empty means the system locale."""
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
    listen_mode: str = "wake"
    """wake: say the wake phrase first; always: no wake phrase (a dedicated device); push: press Enter to talk."""
    wake_phrase: str = "hey kindly"
    """Words that wake Kindly; each must be in the recogniser's dictionary."""
    wake_sensitivity: float = 0.5
    """0 (fewest false wakes) to 1 (wakes most easily)."""
    breathing_pattern: str = "resonance"
    """Default breathing pattern: resonance (no hold), longer_exhale, or box (with holds)."""
    input_device: str = ""
    """Microphone name or number (see `kindly devices`); empty means the system default."""
    output_device: str = ""
    """Speaker name or number; empty means the system default."""
    intents_dir: str = ""
    """Folder of intent files; empty means the ones shipped with Kindly."""
    voices_dir: str = ""
    """Folder of voice profiles; empty means the ones shipped with Kindly."""
    cache_dir: str = ""
    """Where trained models and speech language models are cached; empty means the user cache folder."""
    reject_threshold: float = 0.35
    """Below this confidence (0–1) a sentence is out of scope."""
    accept_threshold: float = 0.65
    """From this confidence (0–1) Kindly acts without asking "Did you mean …?"."""

    @property
    def country_code(self) -> str:
        """The country in use: the setting (already checked), else the system locale's territory."""
        return self.country or helplines.from_locale()[0]

    @property
    def cache_path(self) -> Path:
        if self.cache_dir:
            return Path(self.cache_dir).expanduser()
        import platformdirs

        return Path(platformdirs.user_cache_dir("kindly", appauthor=False))

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
    if path and _exists(path):
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


def _exists(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError as error:
        raise UsageError(f"settings file {path} cannot be read ({error.strerror})", "Check its folder's permissions, or set KINDLY_CONFIG.") from None


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
    for name, allowed in (("engine", ENGINES), ("listen_mode", LISTEN_MODES), ("breathing_pattern", BREATHING_PATTERNS)):
        value = getattr(settings, name)
        if value not in allowed:
            hint = did_you_mean(str(value), allowed)
            raise UsageError(f"setting '{name}' is {value!r}", f"{hint + ' ' if hint else ''}Use one of: {', '.join(allowed)}.")
    if not 0 <= settings.wake_sensitivity <= 1:
        raise UsageError(f"setting 'wake_sensitivity' is {settings.wake_sensitivity}", "Use a number from 0 to 1.")
    if not settings.wake_phrase.strip():
        raise UsageError("setting 'wake_phrase' is empty", "Use words such as 'hey kindly'.")
    if not 5 <= settings.break_minutes <= 24 * 60:
        raise UsageError(f"setting 'break_minutes' is {settings.break_minutes}", "Use a number of minutes from 5 to 1440.")
    if settings.country:
        found = helplines.find(settings.country)
        if found is None:
            raise UsageError(f"setting 'country' is {settings.country!r}, a country Kindly has no support numbers for",
                             f"Use one of: {', '.join(helplines.supported())} (or a name such as UK), or leave it empty to use the system locale.")
        settings = dataclasses.replace(settings, country=found.code)
    if not 0 < settings.reject_threshold <= settings.accept_threshold <= 1:
        raise UsageError("settings 'reject_threshold' and 'accept_threshold' must satisfy 0 < reject ≤ accept ≤ 1")
    return settings


def sources(cli: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None, config_file: Path | None = None) -> dict[str, str]:
    """Where each setting's value comes from: default, the file, the environment or the command line."""
    env = os.environ if env is None else env
    path = config_file or _config_path(env)
    from_file = _read_toml(path) if path and _exists(path) else {}
    found: dict[str, str] = {}
    for field in fields(Settings):
        if (cli or {}).get(field.name) is not None:
            found[field.name] = "command line"
        elif env.get(ENV_PREFIX + field.name.upper(), "") != "":
            found[field.name] = ENV_PREFIX + field.name.upper()
        elif field.name in from_file:
            found[field.name] = str(path)
        else:
            found[field.name] = "default"
    return found


def template() -> str:
    """A commented settings file with every setting at its default."""
    lines = ["# Kindly settings. Every setting can also be given as KINDLY_<NAME> or --<name>, which win over this file.", ""]
    docs = field_docs()
    for field in fields(Settings):
        lines.append(f"# {docs.get(field.name, '')}")
        value = field.default
        lines.append(f"# {field.name} = {_toml(value)}" if value in ("", None) else f"{field.name} = {_toml(value)}")
        lines.append("")
    return "\n".join(lines)


def _toml(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value).lower() if isinstance(value, bool) else str(value)


def field_docs() -> dict[str, str]:
    """Each field's one-line docstring, read from this module's source."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(Settings))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for node, following in zip(body, body[1:]):
        if isinstance(node, ast.AnnAssign) and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
            docs[node.target.id] = " ".join(str(following.value.value).split())  # type: ignore[attr-defined]
    return docs


