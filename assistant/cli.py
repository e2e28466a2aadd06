"""The `kindly` command line. Only this module prints errors and chooses exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from typing import Any, Callable, Iterator

from assistant import __version__
from assistant.errors import EXIT_FAILURE, EXIT_OK, KindlyError, UsageError

_LOGGER = logging.getLogger("assistant")
Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Command] = {}


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=_log_level(args), format="kindly: %(levelname)s: %(message)s", stream=sys.stderr)
    command = COMMANDS[args.command or "listen"]
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return command(args)
    except KindlyError as error:
        print(f"kindly: error: {error}", file=sys.stderr)
        return error.exit_code
    except Terminated:
        _LOGGER.info("stopped by SIGTERM")
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    finally:
        signal.signal(signal.SIGTERM, previous)


class Terminated(BaseException):
    """SIGTERM (systemd stopping the service): unwind normally, so files close and state is already saved."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def _log_level(args: argparse.Namespace) -> int:
    if getattr(args, "verbose", False):
        return logging.DEBUG
    return logging.ERROR if getattr(args, "quiet", False) else logging.WARNING


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kindly", parents=[_global_options(shown=True)],
                                     description="Kindly: an offline voice companion for couples in conflict.")
    parser.add_argument("--version", action="version", version=f"kindly {__version__}")
    # The global options work after a command too ("kindly chat --country GB"); only `kindly --help` lists them.
    common = _global_options(shown=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)
    p = sub.add_parser("parse", parents=[common], help="show the intent of sentences (from arguments, or one per line on stdin)")
    p.add_argument("text", nargs="*", help="sentences; none means read stdin")
    p.add_argument("--json", action="store_true", help="print one JSON object per sentence")
    p = sub.add_parser("chat", parents=[common], help="talk to Kindly by typing")
    p.add_argument("--json", action="store_true", help="print one JSON object per turn")
    p = sub.add_parser("agreements", parents=[common], help="list, add, remove or export the agreements Kindly remembers")
    p.add_argument("action", choices=("list", "add", "remove", "export"))
    p.add_argument("value", nargs="?", help="the agreement to add, or the number to remove")
    p.add_argument("--json", action="store_true", help="print JSON")
    _speech_commands(sub, common)
    p = sub.add_parser("config", parents=[common], help="create or show the settings file")
    p.add_argument("action", choices=("init", "show"))
    p.add_argument("--force", action="store_true", help="with init: replace an existing file")
    sub.add_parser("doctor", parents=[common], help="check that everything Kindly needs works")
    p = sub.add_parser("service", parents=[common], help="install, uninstall or show the systemd user service")
    p.add_argument("action", choices=("install", "uninstall", "status"))
    return parser


class _CommandParser(argparse.ArgumentParser):
    """A command's parser: its help ends by pointing at the global options instead of repeating them."""

    def format_help(self) -> str:
        return super().format_help() + "\nGlobal options (settings, -v, -q) also work here: see kindly --help.\n"


def _global_options(shown: bool) -> argparse.ArgumentParser:
    """-v, -q and one option per setting; `shown` False hides them from a command's --help."""
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("-v", "--verbose", action="store_true", help="log details, including what was heard" if shown else argparse.SUPPRESS)
    common.add_argument("-q", "--quiet", action="store_true", help="log errors only" if shown else argparse.SUPPRESS)
    _setting_options(common, shown)
    return common


def _setting_options(parser: argparse.ArgumentParser, shown: bool) -> None:
    """One option per setting (--break-minutes …), documented by the setting's own docstring."""
    from dataclasses import fields

    from assistant.settings import Settings, field_docs

    docs = field_docs()
    for field in fields(Settings):
        kind = type(field.default)
        parser.add_argument("--" + field.name.replace("_", "-"), dest=field.name, type=kind if kind is not str else None,
                            metavar=field.name.upper(), help=docs.get(field.name, "") if shown else argparse.SUPPRESS)


def _speech_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """The speech commands; their code (and every heavy import) lives in voice_commands.py."""
    p = sub.add_parser("transcribe", parents=[common], help="print what is said in WAV files")
    p.add_argument("files", nargs="+", metavar="FILE.wav")
    p.add_argument("--json", action="store_true", help="print one JSON object per file")
    p = sub.add_parser("respond", parents=[common], help="answer one spoken turn from a WAV file")
    p.add_argument("file", metavar="FILE.wav")
    p.add_argument("--out", metavar="REPLY.wav", help="write the spoken reply to this file")
    p.add_argument("--json", action="store_true", help="print the turn as one JSON object")
    p = sub.add_parser("say", parents=[common], help="speak a text")
    p.add_argument("text")
    p.add_argument("--out", metavar="FILE.wav", help="write the speech to this file instead of the speaker")
    p = sub.add_parser("listen", parents=[common], help="hold a conversation by voice (the default)")
    p.add_argument("--device", dest="input_device", help="microphone name or number (same as --input-device)")
    p.add_argument("--input", metavar="FILE.wav", help="listen to a WAV file instead of the microphone")
    p.add_argument("--out", metavar="REPLIES.wav", help="write the spoken replies to this file instead of the speaker")
    p.add_argument("--record", metavar="HEARD.wav", help="keep what the microphone heard in this file (nothing is kept otherwise)")
    sub.add_parser("devices", parents=[common], help="list microphones and speakers")
    p = sub.add_parser("model", parents=[common], help="list or download Vosk speech models")
    p.add_argument("action", choices=("list", "download"))
    p.add_argument("name", nargs="?", help="model to download (default: the small English model)")


def command(name: str) -> Callable[[Command], Command]:
    def register(function: Command) -> Command:
        COMMANDS[name] = function
        return function

    return register


def settings_from(args: argparse.Namespace) -> Any:
    from assistant import settings

    from dataclasses import fields

    return settings.load({field.name: getattr(args, field.name, None) for field in fields(settings.Settings)})


def _lines(stream: Any) -> Iterator[str]:
    """Lines of a byte stream as text; undecodable bytes become U+FFFD instead of an error."""
    for raw in stream.buffer if hasattr(stream, "buffer") else stream:
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        yield text.rstrip("\r\n")


def _print_json(value: dict[str, Any]) -> None:
    print(json.dumps(value, ensure_ascii=False), flush=True)


@command("parse")
def parse_command(args: argparse.Namespace) -> int:
    from assistant.session import build_matcher

    matcher = build_matcher(settings_from(args), notice=_notice)
    for text in args.text or _lines(sys.stdin):
        match = matcher.match(text)
        if args.json:
            _print_json(match.as_json())
        else:
            slots = " ".join(f"{k}={v}" for k, v in match.slots.items())
            print(f"{match.intent or '-'}\t{match.confidence:.2f}\t{slots}\t{text}", flush=True)
    return EXIT_OK


@command("agreements")
def agreements_command(args: argparse.Namespace) -> int:
    from assistant.storage import Store

    settings = settings_from(args)
    store = Store(settings.data_path)
    if args.action == "add":
        return _add_agreement(store, settings, args)
    if args.action == "remove":
        if not (args.value or "").isdigit():
            raise UsageError("'kindly agreements remove' needs the agreement's number", "See the numbers with 'kindly agreements list'.")
        if not store.remove_agreement(int(args.value)):
            raise UsageError(f"there is no agreement number {args.value}", "See the numbers with 'kindly agreements list'.")
        print(f"Removed agreement {args.value}.")
        return EXIT_OK
    agreements = store.agreements()
    if args.json or args.action == "export":
        print(json.dumps([{"id": a.id, "text": a.text, "topic": a.topic, "created_at": _iso(a.created_at)} for a in agreements], ensure_ascii=False, indent=None if args.action == "list" else 2))
    elif not agreements:
        print("No agreements yet. Add one with: kindly agreements add \"we take turns cooking\"")
    for a in [] if args.json or args.action == "export" else agreements:
        print(f"{a.id:4}  {a.text}" + (f"  ({a.topic})" if a.topic else ""))
    return EXIT_OK


def _add_agreement(store: Any, settings: Any, args: argparse.Namespace) -> int:
    from assistant.session import build_matcher

    text = " ".join((args.value or "").split())
    if not text:
        raise UsageError("'kindly agreements add' needs the agreement's words", 'For example: kindly agreements add "we take turns cooking"')
    matcher = build_matcher(settings, notice=_notice)
    if matcher.disclosure(text) is not None:
        print("kindly: Kindly won't save that: it sounds like it limits what one of you can do, and nobody has to agree to that. "
              "If anyone feels unsafe at home, 'kindly chat' gives support numbers, quietly if you say quiet.", file=sys.stderr)
        return EXIT_FAILURE
    saved = store.add_agreement(text, str(matcher.slot_values(text).get("theme", "")))
    if args.json:
        print(json.dumps({"id": saved.id, "text": saved.text, "topic": saved.topic}, ensure_ascii=False))
    else:
        print(f"Saved agreement {saved.id}: {saved.text}")
    return EXIT_OK


def _iso(timestamp: float) -> str:
    import datetime

    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).isoformat(timespec="seconds")


@command("chat")
def chat_command(args: argparse.Namespace) -> int:
    from assistant.session import build_dialogue

    settings = settings_from(args)
    dialogue = build_dialogue(settings, notice=_notice)
    announce_country(settings, args)
    interactive = sys.stdin.isatty()
    if interactive:
        print("Kindly is listening. Type what you'd say; Ctrl-D to leave.")
    resumed = dialogue.resume()
    if resumed is not None and not args.json:
        print(f"kindly: {resumed.text}", flush=True)
    for text in _prompted_lines() if interactive else _lines(sys.stdin):
        for due in dialogue.tick():
            if not args.json:
                print(f"kindly: {due.text}", flush=True)
        match, reply = dialogue.turn(text)
        if args.json:  # a program reads this: a safety turn shows as one, without its words
            _print_json({"heard": None if reply.private else text, "intent": match.intent, "confidence": round(match.confidence, 3),
                         "slots": match.slots, "reply": None if reply.private else reply.text, "private": reply.private})
            continue
        print(f"kindly: {reply.text}", flush=True)
        if reply.printed:
            print(reply.printed, flush=True)
        if interactive:
            _play_out_timed(dialogue)
    return EXIT_OK


def _notice(text: str) -> None:
    print(f"kindly: {text}", file=sys.stderr, flush=True)


def announce_country(settings: Any, args: argparse.Namespace) -> None:
    """At the first start, and whenever it changes, say whose support numbers Kindly will give (on stderr)."""
    from dataclasses import fields

    from assistant import settings as settings_module
    from assistant.conversation import helplines

    marker = settings.data_path / "support-numbers"
    code = settings.country_code or "none"
    try:
        if marker.is_file() and marker.read_text(encoding="utf-8").strip() == code:
            return
        where = settings_module.sources({f.name: getattr(args, f.name, None) for f in fields(settings)})
        described = helplines.describe(settings, where["country"])
        if described.startswith("none:"):
            _notice(f"no support numbers in use: {described.removeprefix('none: ')}.")
        else:
            _notice(f"support numbers for {described}. Change them with --country.")
        marker.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        marker.write_text(code + "\n", encoding="utf-8")
    except OSError:
        pass  # the notice comes again next time; nothing else depends on it


def _play_out_timed(dialogue: Any) -> None:
    """In a terminal, a breathing exercise runs in real time, each cue printed when due. Lines typed meanwhile
    are turns as usual ("stop", "slower", "faster"); Ctrl-C stops it too."""
    import select

    from assistant.conversation.flows import BreathingFlow

    if isinstance(dialogue.ctx.flow, BreathingFlow):
        print("(type stop, slower or faster at any time)", flush=True)
    try:
        while isinstance(dialogue.ctx.flow, BreathingFlow):
            ready, _, _ = select.select([sys.stdin], [], [], 0.2)
            if ready:
                line = sys.stdin.readline()
                if not line:
                    break
                if line.strip():
                    print(f"kindly: {dialogue.turn(line.strip())[1].text}", flush=True)
            for cue in dialogue.tick():
                print(f"kindly: {cue.text}", flush=True)
    except KeyboardInterrupt:
        dialogue.ctx.flow = None
        print("\nkindly: Okay, stopping the breathing.", flush=True)


def _prompted_lines() -> Iterator[str]:
    while True:
        try:
            yield input("you: ")
        except EOFError:
            print()
            return


from assistant import home_commands, voice_commands  # noqa: E402,F401 - register their commands
