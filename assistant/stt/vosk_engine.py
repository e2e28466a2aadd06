"""Vosk: the preferred engine when a Vosk model is installed. Always loaded by path, never by language name
(`Model(lang=...)` downloads); commands are also decoded with a runtime grammar of Kindly's command sentences."""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import time
from pathlib import Path

from assistant.errors import ModelError
from assistant.messages import SAMPLE_RATE, Transcript
from assistant.stt.choice import COMMAND_SECONDS, Judge, transcript
from assistant.stt.snr import SignalToNoise

_LOGGER = logging.getLogger(__name__)
UNKNOWN_WORD = "[unk]"
REQUIRED_FILES = ("am/final.mdl", "conf/mfcc.conf")
GRAPHS = (("graph/HCLG.fst",), ("graph/HCLr.fst", "graph/Gr.fst"))
"""A model needs a full decoding graph, or the two parts of a lookahead graph (which allows runtime grammars)."""
_MISSING_WORD = re.compile(r"Ignoring word missing in vocabulary: '(.*)'")


def check_model(folder: Path) -> None:
    """Raise a ModelError naming the first missing file of an incomplete model folder."""
    if not folder.is_dir():
        raise ModelError(f"Vosk model folder {folder} does not exist", "Run 'kindly model download' or set --model to a model folder.")
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            raise ModelError(f"Vosk model {folder} is incomplete: {name} is missing", "Download the model again with 'kindly model download'.")
    if not any(all((folder / part).is_file() for part in graph) for graph in GRAPHS):
        raise ModelError(f"Vosk model {folder} is incomplete: graph/HCLG.fst (or graph/HCLr.fst and graph/Gr.fst) is missing",
                         "Download the model again with 'kindly model download'.")


class VoskRecognizer:
    """Streaming Vosk recogniser: the model's own language model hears any sentence; with `commands` and a
    `judge`, a second recogniser restricted to the command sentences (Vosk's runtime grammar) listens beside it,
    and stt/choice.py picks between them, as for PocketSphinx."""

    name = "vosk"

    def __init__(self, folder: Path, commands: list[str] | None = None, judge: Judge | None = None) -> None:
        check_model(folder)
        import vosk

        vosk.SetLogLevel(-1)
        try:
            self._model = vosk.Model(model_path=str(folder))
        except (Exception, SystemExit) as error:  # noqa: BLE001 - vosk raises a bare Exception
            raise ModelError(f"Vosk could not load the model in {folder} ({error})", "Download the model again with 'kindly model download'.") from None
        self.unknown_words: list[str] = []
        self._judge = judge
        self._open = vosk.KaldiRecognizer(self._model, SAMPLE_RATE)
        self._commands = self._grammar_recognizer(vosk, commands) if commands and judge is not None else None
        self._text: list[str] = []
        self._command_text: list[str] = []
        self._audio_seconds = self._decode_seconds = 0.0
        self._level = SignalToNoise()

    def _grammar_recognizer(self, vosk: object, phrases: list[str]) -> object:
        grammar = json.dumps(sorted(set(phrases)) + [UNKNOWN_WORD], ensure_ascii=False)
        vosk.SetLogLevel(0)  # type: ignore[attr-defined]
        try:
            with _captured_stderr() as captured:
                recognizer = vosk.KaldiRecognizer(self._model, SAMPLE_RATE, grammar)  # type: ignore[attr-defined]
        finally:
            vosk.SetLogLevel(-1)  # type: ignore[attr-defined]
        self.unknown_words = sorted({m.group(1) for m in _MISSING_WORD.finditer(captured.text)} - {UNKNOWN_WORD})
        if self.unknown_words:
            shown = ", ".join(self.unknown_words[:20]) + (" …" if len(self.unknown_words) > 20 else "")
            _LOGGER.warning("the Vosk model does not know %d of Kindly's words, so it cannot hear them: %s", len(self.unknown_words), shown)
        return recognizer

    def start(self) -> None:
        for recognizer in (self._open, self._commands):
            if recognizer is not None:
                recognizer.Reset()  # type: ignore[attr-defined]
        self._text, self._command_text = [], []
        self._audio_seconds = self._decode_seconds = 0.0
        self._level = SignalToNoise()

    def accept(self, pcm: bytes) -> str:
        started = time.perf_counter()
        self._level.add(pcm)
        listening = self._commands is not None and self._audio_seconds < COMMAND_SECONDS
        if listening and self._commands.AcceptWaveform(pcm):  # type: ignore[union-attr]
            self._command_text.append(_text_of(self._commands.Result()))  # type: ignore[attr-defined]
        if self._open.AcceptWaveform(pcm):  # type: ignore[attr-defined]
            self._text.append(_text_of(self._open.Result()))  # type: ignore[attr-defined]
            partial = ""
        else:
            partial = json.loads(self._open.PartialResult()).get("partial", "")  # type: ignore[attr-defined]
        self._decode_seconds += time.perf_counter() - started
        self._audio_seconds += len(pcm) / 2 / SAMPLE_RATE
        return " ".join([*self._text, partial]).strip()

    def finish(self) -> Transcript:
        started = time.perf_counter()
        self._text.append(_text_of(self._open.FinalResult()))  # type: ignore[attr-defined]
        command_text = ""
        if self._commands is not None:
            self._command_text.append(_text_of(self._commands.FinalResult()))  # type: ignore[attr-defined]
            command_text = _words(self._command_text)
        self._decode_seconds += time.perf_counter() - started
        return transcript(self.name, _words(self._text), command_text, self._audio_seconds, self._decode_seconds, self._judge,
                          self._level.db())


def _text_of(result: str) -> str:
    return json.loads(result).get("text", "")


def _words(pieces: list[str]) -> str:
    return " ".join(w for w in " ".join(pieces).split() if w != UNKNOWN_WORD)


class _captured_stderr:
    """Collect what native code writes to file descriptor 2 (Kaldi logs there), then restore it."""

    def __enter__(self) -> "_captured_stderr":
        self.text = ""
        self._file = tempfile.TemporaryFile()
        self._saved = os.dup(2)
        os.dup2(self._file.fileno(), 2)
        return self

    def __exit__(self, *exc: object) -> None:
        os.dup2(self._saved, 2)
        os.close(self._saved)
        self._file.seek(0)
        self.text = self._file.read().decode("utf-8", errors="replace")
        self._file.close()
