"""WAV files of every kind are read as 16 kHz mono 16-bit; broken ones get a one-line error naming the file."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from assistant import wavfile
from assistant.errors import AudioError


def make_wav(path: Path, rate: int = 16000, channels: int = 1, bits: int = 16, seconds: float = 0.5,
             tag: int = 1, samples: np.ndarray | None = None) -> Path:
    """A WAV file built byte by byte: a 440 Hz tone unless samples are given."""
    if samples is None:
        t = np.arange(int(rate * seconds)) / rate
        samples = 0.5 * np.sin(2 * np.pi * 440 * t)
    data = np.repeat(samples[:, None], channels, axis=1).ravel()
    if tag == 3:
        raw = data.astype("<f4" if bits == 32 else "<f8").tobytes()
    elif bits == 8:
        raw = (data * 127 + 128).astype(np.uint8).tobytes()
    elif bits == 24:
        ints = (data * (2**23 - 1)).astype("<i4")
        raw = b"".join(int(v).to_bytes(4, "little", signed=True)[:3] for v in ints)
    else:
        raw = (data * (2 ** (bits - 1) - 1)).astype(f"<i{bits // 8}").tobytes()
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(raw)) + raw
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


@pytest.mark.parametrize(
    ("rate", "channels", "bits", "tag"),
    [(16000, 1, 16, 1), (44100, 2, 16, 1), (8000, 1, 16, 1), (48000, 1, 16, 1), (16000, 1, 8, 1),
     (22050, 1, 24, 1), (16000, 1, 32, 1), (16000, 2, 32, 3), (16000, 1, 64, 3)],
)
def test_every_pcm_and_float_format_becomes_16k_mono(tmp_path: Path, rate: int, channels: int, bits: int, tag: int) -> None:
    pcm = wavfile.read(make_wav(tmp_path / "x.wav", rate, channels, bits, 0.5, tag))
    samples = np.frombuffer(pcm, dtype="<i2")
    assert abs(len(samples) - 8000) <= 16
    peak = np.abs(samples).max() / 32768
    assert 0.4 < peak < 0.6  # the tone survived conversion at its level


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "not a WAV"), (b"ID3\x04 this is an mp3", "not a WAV"), (b"RIFF\x24\x00\x00\x00WAVE", "no 'fmt '")],
)
def test_broken_files_get_a_clear_error(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "broken.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError, match=words) as error:
        wavfile.read(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_header_only_and_truncated(tmp_path: Path) -> None:
    full = make_wav(tmp_path / "full.wav").read_bytes()
    header_only = tmp_path / "header.wav"
    header_only.write_bytes(full[:44])
    with pytest.raises(AudioError, match="empty|no audio"):
        wavfile.read(header_only)
    truncated = tmp_path / "truncated.wav"
    truncated.write_bytes(full[: 44 + 1001])
    assert len(wavfile.read(truncated)) == 1000  # what is there is kept, to the last whole sample


def test_write_round_trip(tmp_path: Path) -> None:
    pcm = (np.sin(np.arange(1600) / 5) * 10000).astype("<i2").tobytes()
    wavfile.write(tmp_path / "out.wav", pcm)
    assert wavfile.read(tmp_path / "out.wav") == pcm
