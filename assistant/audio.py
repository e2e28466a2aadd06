"""Where audio comes from: the microphone, or a WAV file played through the same interface.

Both yield 30 ms chunks of 16 kHz mono 16-bit PCM, so `kindly listen --input file.wav`, the tests and the
benchmarks run the microphone's code path. The only thread is sounddevice's callback, and it only queues bytes.
"""

from __future__ import annotations

import logging
import queue
import time
from pathlib import Path
from typing import Callable, Iterator, Protocol

from assistant import wavfile
from assistant.errors import AudioError
from assistant.messages import SAMPLE_RATE, AudioChunk

_LOGGER = logging.getLogger(__name__)
CHUNK_SAMPLES = 480
"""30 ms at 16 kHz: the frame the voice-activity detector decides on."""
CHUNK_BYTES = CHUNK_SAMPLES * 2
CHUNK_SECONDS = CHUNK_SAMPLES / SAMPLE_RATE


class AudioSource(Protocol):
    """Anything that yields audio chunks until it is closed or runs out."""

    def chunks(self) -> Iterator[AudioChunk]: ...

    def close(self) -> None: ...


def split(pcm: bytes, start_s: float = 0.0) -> Iterator[AudioChunk]:
    """Cut PCM into chunks, padding the last one with silence."""
    for offset in range(0, len(pcm), CHUNK_BYTES):
        piece = pcm[offset : offset + CHUNK_BYTES]
        yield AudioChunk(piece.ljust(CHUNK_BYTES, b"\0"), start_s + offset / 2 / SAMPLE_RATE)


class WavSource:
    """A WAV file as a microphone: its audio, then `trailing_silence_s` of silence so the last turn ends."""

    def __init__(self, path: Path, realtime: bool = False, trailing_silence_s: float = 2.0,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.path = Path(path)
        self.pcm = wavfile.read(self.path) + b"\0\0" * int(trailing_silence_s * SAMPLE_RATE)
        self.realtime = realtime
        self._sleep = sleep
        self._clock = clock
        self._closed = False

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / SAMPLE_RATE

    def chunks(self) -> Iterator[AudioChunk]:
        started = self._clock()
        for chunk in split(self.pcm):
            if self._closed:
                return
            if self.realtime:
                # Paced by absolute times from the start, like a sound card: no drift from slow consumers.
                wait = started + chunk.start_s + CHUNK_SECONDS - self._clock()
                if wait > 0:
                    self._sleep(wait)
            yield chunk

    def close(self) -> None:
        self._closed = True


class MicrophoneSource:
    """The microphone through sounddevice, resampled to 16 kHz when the device cannot record at that rate."""

    def __init__(self, device: str | int | None = None) -> None:
        import sounddevice

        self._sd = sounddevice
        self.device = _device_id(device)
        self.rate = self._pick_rate()
        self._queue: queue.Queue[bytes] = queue.Queue(maxsize=1000)
        self._closed = False

    def _pick_rate(self) -> int:
        try:
            self._sd.check_input_settings(device=self.device, samplerate=SAMPLE_RATE, channels=1, dtype="int16")
            return SAMPLE_RATE
        except Exception:  # noqa: BLE001 - sounddevice raises several types for "cannot do this rate"
            pass
        try:
            info = self._sd.query_devices(self.device, "input")
        except Exception as error:  # noqa: BLE001
            raise AudioError(f"no microphone found ({_first_line(error)})", "Plug one in, pick one with --device (see 'kindly devices'), or use 'kindly chat'.") from None
        return int(info["default_samplerate"])

    def chunks(self) -> Iterator[AudioChunk]:
        import numpy as np

        resampler = None
        if self.rate != SAMPLE_RATE:
            import soxr

            resampler = soxr.ResampleStream(self.rate, SAMPLE_RATE, 1, dtype="int16")
        buffer = b""
        position = 0.0
        try:
            stream = self._sd.RawInputStream(samplerate=self.rate, channels=1, dtype="int16", device=self.device,
                                             blocksize=int(self.rate * CHUNK_SECONDS), callback=self._callback)
        except Exception as error:  # noqa: BLE001
            raise AudioError(f"microphone {self.device if self.device is not None else '(default)'} cannot be opened ({_first_line(error)})",
                             "Pick another with --device (see 'kindly devices'), or use 'kindly chat'.") from None
        with stream:
            while not self._closed:
                try:
                    data = self._queue.get(timeout=0.5)
                except queue.Empty:
                    if not stream.active:
                        raise AudioError("the microphone stopped delivering audio", "Check that it is still plugged in.")
                    continue
                if resampler is not None:
                    data = resampler.resample_chunk(np.frombuffer(data, dtype=np.int16)).tobytes()
                buffer += data
                while len(buffer) >= CHUNK_BYTES:
                    yield AudioChunk(buffer[:CHUNK_BYTES], position)
                    buffer = buffer[CHUNK_BYTES:]
                    position += CHUNK_SECONDS

    def _callback(self, indata: bytes, frames: int, time_info: object, status: object) -> None:
        try:
            self._queue.put_nowait(bytes(indata))
        except queue.Full:
            _LOGGER.warning("audio input overflow: dropping %d frames", frames)

    def close(self) -> None:
        self._closed = True


def _device_id(device: str | int | None) -> str | int | None:
    if device in (None, ""):
        return None
    return int(device) if isinstance(device, str) and device.isdigit() else device


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


class RecordingSource:
    """Passes another source's audio through and keeps it in a WAV file: only with `--record`."""

    def __init__(self, source: AudioSource, path: Path) -> None:
        self.source = source
        self.path = Path(path)
        self._pcm = bytearray()

    def chunks(self) -> Iterator[AudioChunk]:
        for chunk in self.source.chunks():
            self._pcm += chunk.pcm
            yield chunk

    def close(self) -> None:
        self.source.close()
        wavfile.write(self.path, bytes(self._pcm))
