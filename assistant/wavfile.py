"""Read any PCM or float WAV file as 16 kHz mono 16-bit audio, and write 16-bit WAV files.

Python's `wave` module reads integer PCM only; people have WAV files of every kind, so this reads the RIFF
chunks itself and reports exactly what is wrong with a file it cannot use.
"""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np

from assistant.errors import AudioError
from assistant.messages import SAMPLE_RATE

_PCM, _FLOAT, _EXTENSIBLE = 1, 3, 0xFFFE
MAX_CHANNELS = 32


def read(path: Path) -> bytes:
    """The file's audio as 16 kHz mono 16-bit little-endian PCM."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise AudioError(f"{path}: cannot be read ({error.strerror})", "Check the path.") from None
    samples, rate = decode(data, str(path))
    return to_pcm16(samples, rate)


def decode(data: bytes, name: str) -> tuple[np.ndarray, int]:
    """Float samples in -1..1, mixed down to mono, and the file's sample rate."""
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RF64") or data[8:12] != b"WAVE":
        raise AudioError(f"{name}: not a WAV file", "Give a .wav file (RIFF/WAVE), for example one made with 'sox in.mp3 out.wav'.")
    fmt, payload = _chunks(data, name)
    if fmt is None:
        raise AudioError(f"{name}: WAV file has no 'fmt ' chunk (truncated or damaged)", "Re-export the file.")
    if payload is None:
        raise AudioError(f"{name}: WAV file has no audio data (header only or truncated)", "Re-export the file.")
    tag, channels, rate, _byte_rate, block, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == _EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack("<H", fmt[24:26])[0]
    if not 1 <= channels <= MAX_CHANNELS or not 1_000 <= rate <= 384_000 or bits not in (8, 16, 24, 32, 64):
        raise AudioError(f"{name}: unsupported WAV format ({channels} channels, {rate} Hz, {bits}-bit)", "Convert it to 16-bit PCM.")
    frame = channels * bits // 8
    usable = len(payload) - len(payload) % frame
    if usable == 0:
        raise AudioError(f"{name}: WAV file is empty (no samples)", "Record or export the audio again.")
    samples = _samples(payload[:usable], tag, bits, name)
    return samples.reshape(-1, channels).mean(axis=1), rate


def _chunks(data: bytes, name: str) -> tuple[bytes | None, bytes | None]:
    fmt = payload = None
    position = 12
    while position + 8 <= len(data):
        chunk_id, size = struct.unpack("<4sI", data[position : position + 8])
        body = data[position + 8 : position + 8 + size]
        if chunk_id == b"fmt ":
            if len(body) < 16:
                raise AudioError(f"{name}: WAV 'fmt ' chunk is truncated", "Re-export the file.")
            fmt = body
        elif chunk_id == b"data":
            payload = body  # a truncated data chunk keeps what is there
        position += 8 + size + (size & 1)
    return fmt, payload


def _samples(raw: bytes, tag: int, bits: int, name: str) -> np.ndarray:
    if tag == _FLOAT and bits in (32, 64):
        values = np.frombuffer(raw, dtype="<f4" if bits == 32 else "<f8").astype(np.float64)
        return np.clip(np.nan_to_num(values), -1.0, 1.0)
    if tag != _PCM:
        raise AudioError(f"{name}: WAV encoding {tag:#x} is not supported (only PCM and float)", "Convert it to 16-bit PCM.")
    if bits == 8:
        return (np.frombuffer(raw, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    if bits == 16:
        return np.frombuffer(raw, dtype="<i2") / 32768.0
    if bits == 24:
        triples = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        values = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        return np.where(values >= 1 << 23, values - (1 << 24), values) / float(1 << 23)
    if bits == 32:
        return np.frombuffer(raw, dtype="<i4") / 2147483648.0
    raise AudioError(f"{name}: {bits}-bit integer WAV is not supported", "Convert it to 16-bit PCM.")


def to_pcm16(samples: np.ndarray, rate: int) -> bytes:
    """Float samples at any rate to 16 kHz 16-bit PCM bytes."""
    if rate != SAMPLE_RATE and len(samples):
        import soxr

        samples = soxr.resample(samples, rate, SAMPLE_RATE)
    return np.clip(np.round(samples * 32768.0), -32768, 32767).astype("<i2").tobytes()


def write(path: Path, pcm: bytes, rate: int = SAMPLE_RATE) -> None:
    """Write mono 16-bit PCM to a WAV file."""
    try:
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(pcm)
    except OSError as error:
        raise AudioError(f"{path}: cannot be written ({error.strerror})", "Check the folder exists and is writable.") from None
