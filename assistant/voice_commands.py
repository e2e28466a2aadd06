"""The speech commands of `kindly`: transcribe, respond, say, listen, devices, model."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from assistant.cli import _notice, _print_json, announce_country, command, settings_from
from assistant.errors import EXIT_FAILURE, EXIT_OK, KindlyError


@command("transcribe")
def transcribe_command(args: argparse.Namespace) -> int:
    from assistant import wavfile
    from assistant.session import build_matcher
    from assistant.stt import transcribe
    from assistant.stt.engines import open_recognizer

    settings = settings_from(args)
    matcher = build_matcher(settings, notice=_notice)  # it chooses between the open and the grammar transcripts
    recognizer = open_recognizer(settings, matcher.catalog, judge=matcher)
    status = EXIT_OK
    for name in args.files:
        try:
            pcm = wavfile.read(Path(name))
        except KindlyError as error:
            print(f"kindly: error: {error}", file=sys.stderr, flush=True)
            status = EXIT_FAILURE
            continue
        transcript = transcribe(recognizer, pcm)
        if args.json:
            _print_json({"file": name, "text": transcript.text, "engine": transcript.engine, "heard": transcript.alternatives,
                         "audio_seconds": round(transcript.audio_seconds, 3), "decode_seconds": round(transcript.decode_seconds, 3)})
        else:
            print(f"{name}\t{transcript.text}", flush=True)
    return status


@command("respond")
def respond_command(args: argparse.Namespace) -> int:
    from assistant.audio import WavSource
    from assistant.session import build_voice_loop
    from assistant.speaker import NullSpeaker, WavSpeaker

    settings = settings_from(args)
    source = WavSource(Path(args.file))
    speaker = WavSpeaker(Path(args.out)) if args.out else NullSpeaker()
    with build_voice_loop(settings, source, speaker, listen_mode="always", clock_replies=False, notice=_notice) as loop:
        turns = loop.run(max_turns=1)
    if not turns:
        print(f"kindly: error: no speech found in {args.file}. Check the recording is not silent.", file=sys.stderr)
        if args.json:
            _print_json({"heard": "", "intent": None, "confidence": 0.0, "slots": {}, "reply": "", "latency_ms": 0.0})
        return EXIT_FAILURE
    turn = turns[0]
    private = turn.reply.private  # a safety turn: nothing of it is printed but that it was one
    if args.json:
        _print_json({"heard": None if private else turn.transcript.text, "intent": turn.match.intent,
                     "confidence": round(turn.match.confidence, 3), "slots": turn.match.slots,
                     "reply": None if private else turn.reply.text, "private": private, "latency_ms": round(turn.latency_ms, 1)})
    elif not private:
        print(f"heard: {turn.transcript.text}\nkindly: {turn.reply.text}")
    return EXIT_OK


@command("say")
def say_command(args: argparse.Namespace) -> int:
    from assistant import voices
    from assistant.speaker import DeviceSpeaker, WavSpeaker
    from assistant.tts import Synthesizer

    settings = settings_from(args)
    speaker = WavSpeaker(Path(args.out)) if args.out else DeviceSpeaker(settings.output_device or None)
    synthesizer = Synthesizer(voices.load(Path(settings.voices_dir)) if settings.voices_dir else None)
    for pcm in synthesizer.synthesize(args.text, settings.voice):
        speaker.write(pcm)
    speaker.drain()
    speaker.close()
    synthesizer.close()
    return EXIT_OK


@command("listen")
def listen_command(args: argparse.Namespace) -> int:
    from assistant.audio import MicrophoneSource, WavSource
    from assistant.session import build_voice_loop
    from assistant.speaker import DeviceSpeaker, WavSpeaker

    settings = settings_from(args)
    source = WavSource(Path(args.input)) if getattr(args, "input", None) else MicrophoneSource(settings.input_device or None)
    if getattr(args, "record", None):
        from assistant.audio import RecordingSource

        source = RecordingSource(source, Path(args.record))
    out = getattr(args, "out", None)
    speaker = WavSpeaker(Path(out)) if out else DeviceSpeaker(settings.output_device or None)

    # The voice loop prints nothing by default: under the service, stdout is the journal of a shared device.
    # Asked with -v, it shows the conversation, except safety turns (their numbers show in quiet mode, in a terminal).
    echo = bool(getattr(args, "verbose", False))

    def show(turn: Any) -> None:
        if turn.reply.private:
            if turn.reply.voice == "quiet" and sys.stdout.isatty():
                print(turn.reply.printed, flush=True)
            return
        if echo:
            print(f"you: {turn.transcript.text}\nkindly: {turn.reply.text}", flush=True)

    def announce(reply: Any) -> None:
        if echo and not reply.private:
            print(f"kindly: {reply.text}", flush=True)

    announce_country(settings, args)
    with build_voice_loop(settings, source, speaker, on_turn=show, on_reply=announce, notice=_notice) as loop:
        if not getattr(args, "input", None):
            how = {"wake": f"Say '{settings.wake_phrase}', then what you need", "always": "Say what you need",
                   "push": "Press Enter, then say what you need"}[settings.listen_mode]
            print(f"Kindly is listening. {how} (for example: I need a break). Ctrl-C to leave.", file=sys.stderr, flush=True)
        loop.run()
    return EXIT_OK


@command("devices")
def devices_command(args: argparse.Namespace) -> int:
    import sounddevice

    try:
        devices = sounddevice.query_devices()
    except Exception as error:  # noqa: BLE001 - PortAudio errors vary by platform
        print(f"kindly: error: audio devices cannot be listed ({error}). Check that PortAudio (libportaudio2) is installed.", file=sys.stderr)
        return EXIT_FAILURE
    if len(devices) == 0:
        print("No audio devices found. Plug in a microphone and a speaker, or use 'kindly chat' to type.")
        return EXIT_FAILURE
    for index, device in enumerate(devices):
        kinds = [k for k, n in (("in", device["max_input_channels"]), ("out", device["max_output_channels"])) if n]
        print(f"{index:3}  {'/'.join(kinds):6}  {device['name']}  ({int(device['default_samplerate'])} Hz)")
    return EXIT_OK


@command("model")
def model_command(args: argparse.Namespace) -> int:
    from assistant import models
    from assistant.stt.engines import models_dir, vosk_model

    settings = settings_from(args)
    folder = models_dir(settings)
    if args.action == "download":
        started = time.monotonic()
        path = models.download(args.name, folder, _progress_bar())
        print(f"\nInstalled {path.name} in {path} ({time.monotonic() - started:.0f} s). Kindly now uses Vosk.", file=sys.stderr)
        return EXIT_OK
    default, known = models.catalog()
    active = vosk_model(settings) if settings.engine != "pocketsphinx" else None
    present = models.installed(folder)
    for path in present:
        print(f"{'*' if active and path == active else ' '} {path.name}  {path}")
    if not present:
        print(f"No Vosk model installed in {folder}. 'kindly model download' fetches {default} ({known[default].size / 1e6:.0f} MB).")
    print(f"Active engine: {'vosk (' + str(active) + ')' if active and active.is_dir() else 'pocketsphinx (embedded English model)'}")
    return EXIT_OK


def _progress_bar() -> Any:
    last = [-1]

    def show(done: int, total: int) -> None:
        percent = int(100 * done / total) if total else 0
        if percent == last[0]:
            return
        last[0] = percent
        filled = percent * 30 // 100
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {percent:3}%  {done / 1e6:.1f}/{total / 1e6:.1f} MB")
        sys.stderr.flush()

    return show
