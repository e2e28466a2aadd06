"""Where replies go: the sound card, a WAV file, or nowhere. All take 16 kHz mono 16-bit PCM."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from assistant import wavfile
from assistant.errors import AudioError
from assistant.messages import SAMPLE_RATE


class Speaker(Protocol):
    def write(self, pcm: bytes) -> None:
        """Queue audio to play."""

    def stop(self) -> None:
        """Cut whatever is still queued (someone said "stop")."""

    def drain(self) -> None:
        """Wait until everything queued has played."""

    def close(self) -> None: ...


class WavSpeaker:
    """Writes what would have been played to a WAV file; a stop cuts the file where it happened."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.pcm = bytearray()
        self.stops = 0

    def write(self, pcm: bytes) -> None:
        self.pcm += pcm

    def stop(self) -> None:
        self.stops += 1

    def drain(self) -> None:
        pass

    def close(self) -> None:
        wavfile.write(self.path, bytes(self.pcm))

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / SAMPLE_RATE


class NullSpeaker(WavSpeaker):
    """Plays nothing and keeps nothing but the running length (for the soak and benchmarks)."""

    def __init__(self) -> None:
        super().__init__(Path("/dev/null"))
        self.played_bytes = 0

    def write(self, pcm: bytes) -> None:
        self.played_bytes += len(pcm)

    def close(self) -> None:
        pass

    @property
    def seconds(self) -> float:
        return self.played_bytes / 2 / SAMPLE_RATE


class DeviceSpeaker:
    """The sound card through sounddevice."""

    def __init__(self, device: str | int | None = None) -> None:
        import sounddevice

        self._sd = sounddevice
        device = int(device) if isinstance(device, str) and device.isdigit() else (device or None)
        try:
            self._stream = sounddevice.RawOutputStream(samplerate=SAMPLE_RATE, channels=1, dtype="int16", device=device)
            self._stream.start()
        except Exception as error:  # noqa: BLE001 - PortAudioError, ValueError for unknown devices
            raise AudioError(f"speaker {device if device is not None else '(default)'} cannot be opened ({str(error).splitlines()[0]})",
                             "Pick another with --output-device (see 'kindly devices'), or write to a file with --out.") from None

    def write(self, pcm: bytes) -> None:
        self._stream.write(pcm)

    def stop(self) -> None:
        self._stream.abort()
        self._stream.start()

    def drain(self) -> None:
        self._stream.stop()
        self._stream.start()

    def close(self) -> None:
        self._stream.close()
