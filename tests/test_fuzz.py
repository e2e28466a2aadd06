"""Fuzzing with hypothesis, bounded in time: the template expander, the intent file loader, the WAV reader and
`kindly parse` never crash; they answer or raise their own clear error."""

from __future__ import annotations

import struct
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import wavfile
from assistant.understanding import intents, templates
from assistant.errors import AudioError, DataFileError
from assistant.session import build_matcher
from assistant.settings import Settings, load as load_settings
from assistant.understanding.matcher import SAFETY_INTENT

BOUNDED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEMPLATE_TEXT = st.text(alphabet="ab ()[]{}|'-x_", max_size=40)


@BOUNDED
@given(TEMPLATE_TEXT)
def test_template_parser_answers_or_names_a_column(text: str) -> None:
    try:
        sentences = templates.expand(templates.parse(text))
    except templates.TemplateError as error:
        assert 1 <= error.column <= len(text) + 1
    else:
        assert all("(" not in s and "[" not in s and "|" not in s for s in sentences)


@BOUNDED
@given(st.text(max_size=300))
def test_intent_loader_reports_problems_as_file_and_line(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            intents.load(Path(folder))
        except DataFileError as error:
            assert all(problem.startswith(str(path)) for problem in error.problems)


@BOUNDED
@given(st.binary(max_size=400), st.integers(0, 3), st.integers(1, 8), st.integers(1, 200_000), st.sampled_from([8, 16, 24, 32, 64, 7]))
def test_wav_reader_reads_or_raises_audio_error(payload: bytes, tag: int, channels: int, rate: int, bits: int) -> None:
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * channels * max(1, bits // 8), channels * max(1, bits // 8), bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(payload)) + payload
    for data in (b"RIFF" + struct.pack("<I", len(body)) + body, payload):
        try:
            samples, sample_rate = wavfile.decode(data, "fuzz.wav")
        except AudioError as error:
            assert "fuzz.wav" in str(error)
        else:
            assert sample_rate == rate and len(samples) > 0


MATCHER = build_matcher(load_settings())


@BOUNDED
@given(st.text(max_size=500))
def test_parse_never_crashes(text: str) -> None:
    match = MATCHER.match(text)
    assert 0.0 <= match.confidence <= 1.0
    assert match.intent is None or match.intent in MATCHER.catalog.intents or match.intent == SAFETY_INTENT
