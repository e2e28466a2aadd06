"""Choose and open the speech engine: Vosk when a model is installed, else the embedded PocketSphinx."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from assistant.errors import ModelError, UsageError
from assistant.understanding.intents import Catalog
from assistant.settings import Settings
from assistant.stt import Recognizer
from assistant.stt.choice import Judge

_LOGGER = logging.getLogger(__name__)
MODELS_FOLDER = "models"


def models_dir(settings: Settings) -> Path:
    return settings.data_path / MODELS_FOLDER


def vosk_model(settings: Settings) -> Path | None:
    """The Vosk model to use: --model / config / KINDLY_VOSK_MODEL, else the newest in the data folder."""
    chosen = settings.model or os.environ.get("KINDLY_VOSK_MODEL", "")
    if chosen:
        return Path(chosen).expanduser()
    installed = sorted((p for p in models_dir(settings).glob("vosk-model-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    return installed[-1] if installed else None


def cache_dir(settings: Settings) -> Path:
    return settings.cache_path


def open_recognizer(settings: Settings, catalog: Catalog, wake_phrase: str = "hey kindly", judge: Judge | None = None) -> Recognizer:
    """The configured engine; a broken Vosk model falls back to PocketSphinx with a one-line error. With a
    `judge` (the matcher), commands are also decoded with the intents' grammar (stt/choice.py)."""
    from assistant.stt import corpus

    if settings.engine in ("auto", "vosk"):
        folder = vosk_model(settings)
        if folder is None and settings.engine == "vosk":
            raise UsageError("engine 'vosk' is set but no Vosk model is installed", "Run 'kindly model download', or set --model.")
        if folder is not None:
            from assistant.stt.vosk_engine import VoskRecognizer

            try:
                return VoskRecognizer(folder, corpus.commands(catalog, wake_phrase), judge)
            except ModelError as error:
                _LOGGER.error("%s Using PocketSphinx instead.", error)
    from assistant.resources import shipped
    from assistant.stt.sphinx_engine import SphinxRecognizer

    intents_folder = Path(settings.intents_dir) if settings.intents_dir else shipped("intents")
    return SphinxRecognizer(catalog, cache_dir(settings), wake_phrase, folder=intents_folder, judge=judge)
