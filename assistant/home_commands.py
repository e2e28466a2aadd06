"""Commands for living with Kindly at home: config, doctor, service."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from assistant.cli import command, settings_from
from assistant.errors import EXIT_FAILURE, EXIT_OK, KindlyError, UsageError

UNIT_NAME = "kindly.service"
DEBIAN_PACKAGES = ("espeak-ng", "libespeak-ng1", "libportaudio2")


@command("config")
def config_command(args: argparse.Namespace) -> int:
    from assistant import settings as settings_module

    path = settings_module.config_path()
    if args.action == "init":
        if path.exists() and not args.force:
            raise UsageError(f"settings file {path} already exists", "Edit it, or add --force to start again from the defaults.")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(settings_module.template())
        print(f"Wrote {path}. Edit it, then check it with 'kindly config show'.")
        return EXIT_OK
    current = settings_from(args)
    cli = {name: getattr(args, name, None) for name in current.__dataclass_fields__}
    where = settings_module.sources(cli)
    from assistant.conversation import helplines

    print(f"# settings file: {path}{'' if path.exists() else ' (not created; kindly config init)'}")
    for name in current.__dataclass_fields__:
        print(f"{name} = {getattr(current, name)!r}    # from {where[name]}")
    print(f"# support numbers in use: {helplines.describe(current, where['country'])}")
    return EXIT_OK


@command("doctor")
def doctor_command(args: argparse.Namespace) -> int:
    checks: list[Callable[[argparse.Namespace], tuple[bool, str]]] = [
        _python, _debian_packages, _input_device, _output_device, _speech_engine, _voice, _database, _settings_file, _country]
    healthy = True
    for check in checks:
        try:
            ok, line = check(args)
        except KindlyError as error:
            ok, line = False, str(error)
        except Exception as error:  # noqa: BLE001 - a doctor reports every failure, whatever its type
            ok, line = False, f"{check.__name__.strip('_').replace('_', ' ')}: {type(error).__name__}: {error}"
        healthy &= ok
        print(f"{'✓' if ok else '✗'} {line}", flush=True)
    return EXIT_OK if healthy else EXIT_FAILURE


def _python(args: argparse.Namespace) -> tuple[bool, str]:
    version = ".".join(map(str, sys.version_info[:3]))
    return sys.version_info >= (3, 10), f"Python {version}" + ("" if sys.version_info >= (3, 10) else ": Kindly needs 3.10 or newer")


def _debian_packages(args: argparse.Namespace) -> tuple[bool, str]:
    if shutil.which("dpkg-query") is None:
        return True, "system packages: not a Debian system, not checked"
    missing = [p for p in DEBIAN_PACKAGES if "install ok installed" not in subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True).stdout]
    if missing:
        return False, f"system packages missing: {', '.join(missing)}. Fix: sudo apt-get install {' '.join(missing)}"
    return True, f"system packages: {', '.join(DEBIAN_PACKAGES)}"


def _devices(kind: str) -> list[str]:
    import sounddevice

    key = "max_input_channels" if kind == "input" else "max_output_channels"
    return [d["name"] for d in sounddevice.query_devices() if d[key] > 0]


def _input_device(args: argparse.Namespace) -> tuple[bool, str]:
    names = _devices("input")
    if not names:
        return False, "no microphone found. Fix: plug in a USB microphone, check 'arecord -l', or use 'kindly chat' to type"
    return True, f"microphone: {names[0]}, level over one second: {_level_meter(settings_from(args).input_device or None)}"


def _level_meter(device: str | None) -> str:
    import numpy as np
    import sounddevice

    recording = sounddevice.rec(16000, samplerate=16000, channels=1, dtype="int16", device=device)
    sounddevice.wait()
    rms = float(np.sqrt(np.mean(recording.astype(np.float64) ** 2))) / 32768
    db = 20 * np.log10(rms + 1e-9)
    bars = int(max(0.0, min(30.0, (db + 70) / 2)))
    return f"[{'#' * bars}{'.' * (30 - bars)}] {db:.0f} dBFS" + ("  (silent: is it muted?)" if db < -65 else "")


def _output_device(args: argparse.Namespace) -> tuple[bool, str]:
    names = _devices("output")
    if not names:
        return False, "no speaker found. Fix: plug in a speaker or headphones, check 'aplay -l', or write replies to a file with --out"
    return True, f"speaker: {names[0]}"


def _speech_engine(args: argparse.Namespace) -> tuple[bool, str]:
    from assistant.understanding import intents
    from assistant.stt.engines import open_recognizer, vosk_model

    settings = settings_from(args)
    recognizer = open_recognizer(settings, intents.load())
    if recognizer.name == "vosk":
        return True, f"speech engine: Vosk, model {vosk_model(settings)}"
    model = vosk_model(settings)
    note = f" (the Vosk model {model} could not be used)" if model and settings.engine != "pocketsphinx" else ""
    return True, f"speech engine: PocketSphinx with its embedded English model{note}"


def _voice(args: argparse.Namespace) -> tuple[bool, str]:
    from assistant.tts import Synthesizer

    synthesizer = Synthesizer()
    try:
        profile = synthesizer.profiles[settings_from(args).voice]
        audio = b"".join(synthesizer.synthesize("Hello.", profile.name))
        voice_id = synthesizer.voice_id(profile) or "the system default voice"
    finally:
        synthesizer.close()
    return bool(audio), f"voice: profile '{profile.name}' speaks with {voice_id}"


def _database(args: argparse.Namespace) -> tuple[bool, str]:
    from assistant.storage import Store

    store = Store(settings_from(args).data_path)
    try:
        problem = store.check()
    finally:
        store.close()
    if problem:
        return False, f"database {store.path}: {problem}. Fix: move it aside; Kindly starts a new one"
    return True, f"database {store.path}: writable, integrity ok"


def _settings_file(args: argparse.Namespace) -> tuple[bool, str]:
    from assistant import settings as settings_module

    path = settings_module.config_path()
    settings_from(args)  # raises a one-line error for a bad value
    return True, f"settings: {path}" if path.exists() else "settings: defaults (create a file with 'kindly config init')"


def _country(args: argparse.Namespace) -> tuple[bool, str]:
    from assistant import settings as settings_module
    from assistant.conversation import helplines

    current = settings_from(args)
    where = settings_module.sources({name: getattr(args, name, None) for name in current.__dataclass_fields__})
    return True, f"support numbers: {helplines.describe(current, where['country'])}"


@command("service")
def service_command(args: argparse.Namespace) -> int:
    from assistant import service

    unit = service.unit_path()
    if args.action == "install":
        service.write_unit(unit, service.unit_text(sys.executable))
        print(f"Wrote {unit}.")
        return _systemctl(["daemon-reload"], ["enable", "--now", UNIT_NAME], done="Kindly now starts at boot. To start before anyone logs in: sudo loginctl enable-linger $USER")
    if args.action == "uninstall":
        _systemctl(["disable", "--now", UNIT_NAME])
        unit.unlink(missing_ok=True)
        _systemctl(["daemon-reload"])
        print(f"Removed {unit}.")
        return EXIT_OK
    if not unit.exists():
        print(f"Not installed ({unit} does not exist). Install with: kindly service install")
        return EXIT_FAILURE
    print(f"Installed: {unit}")
    return _systemctl(["status", "--no-pager", UNIT_NAME])


def _systemctl(*commands: list[str], done: str = "") -> int:
    systemctl = shutil.which("systemctl")
    if systemctl is None or os.environ.get("KINDLY_NO_SYSTEMCTL"):
        print("systemctl is not available here: run 'systemctl --user daemon-reload && systemctl --user enable --now kindly.service' on the device.")
        return EXIT_OK
    for words in commands:
        result = subprocess.run([systemctl, "--user", *words], capture_output=True, text=True)
        if result.returncode != 0 and words[0] != "status":
            print(f"kindly: error: systemctl --user {' '.join(words)} failed: {result.stderr.strip().splitlines()[0] if result.stderr.strip() else result.returncode}. "
                  "Check that a user session with systemd is running (loginctl).", file=sys.stderr)
            return EXIT_FAILURE
        if words[0] == "status":
            print(result.stdout.strip())
            return result.returncode
    if done:
        print(done)
    return EXIT_OK
