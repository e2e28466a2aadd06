"""Text to speech with pyttsx3 (espeak-ng on Linux): reply text in, 16 kHz PCM out, sentence by sentence.

Synthesising the first sentence on its own lets playback start while the rest is made.
"""

from __future__ import annotations

import contextlib
import io
import logging
import queue
import re
import sys
import tempfile
import threading
from pathlib import Path
from typing import Iterator

from assistant import voices, wavfile
from assistant.errors import AudioError, KindlyError

_LOGGER = logging.getLogger(__name__)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
SYNTH_ATTEMPTS = 3
TIMEOUT_S = 10.0
"""A sentence that takes longer than this to synthesise means the driver hung."""
ESPEAK = sys.platform.startswith("linux")
"""pyttsx3 drives espeak-ng on Linux. Rate and volume then travel inside the text as espeak-ng embedded commands
(Ctrl-A, value, S or A): set as properties, espeak-ng applies them in a thread of its own, and back-to-back
sentences were now and then spoken at the previous sentence's rate (the first calm cue at the ordinary pace)."""


class SpeechError(KindlyError):
    """The text-to-speech engine failed."""


class Synthesizer:
    """One pyttsx3 engine, reused; its driver errors are surfaced, not hidden."""

    def __init__(self, profiles: dict[str, voices.VoiceProfile] | None = None) -> None:
        import pyttsx3

        self.profiles = profiles or voices.load()
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine = pyttsx3.init()
        except Exception as error:  # noqa: BLE001 - pyttsx3 raises driver-specific errors
            raise SpeechError(f"the speech synthesiser cannot start ({error})", "Install espeak-ng (sudo apt-get install espeak-ng libespeak-ng1).") from None
        self._errors: list[BaseException] = []
        self._engine.connect("error", self._on_error)
        self._voice_ids = {v.id: v for v in self._engine.getProperty("voices")}
        self._folder = tempfile.TemporaryDirectory(prefix="kindly-tts-")
        self._hung = False
        self._voice: str | None = None
        self._requests: queue.Queue[tuple[str, voices.VoiceProfile, queue.Queue[bytes | BaseException]]] = queue.Queue()
        self._worker: threading.Thread | None = None

    def _on_error(self, name: str | None = None, exception: BaseException | None = None) -> None:
        self._errors.append(exception or RuntimeError("unknown speech error"))

    def voice_id(self, profile: voices.VoiceProfile) -> str | None:
        """The first preferred voice of this platform that the system has."""
        platform = "windows" if sys.platform.startswith("win") else sys.platform if sys.platform == "darwin" else "linux"
        for wanted in profile.preferred.get(platform, ()):
            for voice_id, voice in self._voice_ids.items():
                if wanted.lower() in (voice_id.lower(), voice_id.lower().rsplit("/", 1)[-1], str(voice.name).lower()):
                    return voice_id
        return None

    def synthesize(self, text: str, voice: str = "default") -> Iterator[bytes]:
        """16 kHz mono PCM for each sentence of the text, in order."""
        profile = voices.pick(self.profiles, voice)
        for sentence in (s for s in _SENTENCE_END.split(text.strip()) if s):
            yield self._one(sentence, profile)

    def _one(self, sentence: str, profile: voices.VoiceProfile) -> bytes:
        """One sentence as PCM. pyttsx3 2.99's espeak driver now and then writes an empty file (its last audio
        buffer is dropped when the end-of-message event arrives with it), so an empty result is tried again."""
        for _attempt in range(SYNTH_ATTEMPTS):
            pcm = self._save(sentence, profile)
            if pcm:
                return pcm
        raise SpeechError(f"the speech synthesiser produced no audio for {sentence[:40]!r}", "Check that espeak-ng works: espeak-ng 'hello'.")

    def _save(self, sentence: str, profile: voices.VoiceProfile) -> bytes:
        """Synthesise in the worker thread so a hung driver cannot stop the conversation: after TIMEOUT_S the
        reply is given up (and shown instead), and later replies fail fast until Kindly restarts."""
        if self._hung:
            raise SpeechError("the speech synthesiser stopped responding earlier", "Restart Kindly; replies are shown as text until then.")
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name="kindly-tts", daemon=True)
            self._worker.start()
        answers: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=1)
        self._requests.put((sentence, profile, answers))
        try:
            answer = answers.get(timeout=TIMEOUT_S)
        except queue.Empty:
            self._hung = True
            raise SpeechError(f"the speech synthesiser did not answer within {TIMEOUT_S:.0f} s", "Restart Kindly; replies are shown as text until then.") from None
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def _work(self) -> None:
        """One long-lived worker: a thread per sentence would leave the C library a new heap arena each time,
        and a service that speaks for days would grow (seen in scripts/soak.py)."""
        while True:
            sentence, profile, answers = self._requests.get()
            try:
                answers.put(self._save_now(sentence, profile))
            except BaseException as error:  # noqa: BLE001 - handed to the waiting thread
                answers.put(error)

    def _save_now(self, sentence: str, profile: voices.VoiceProfile) -> bytes:
        path = Path(self._folder.name) / "reply.wav"
        self._errors.clear()
        voice_id = self.voice_id(profile)
        if voice_id and voice_id != self._voice:
            self._engine.setProperty("voice", voice_id)
            self._voice = voice_id
        if ESPEAK:
            sentence = f"\x01{profile.rate}S\x01{round(profile.volume * 100)}A {sentence}"
        else:
            self._engine.setProperty("rate", profile.rate)
            self._engine.setProperty("volume", profile.volume)
        with contextlib.redirect_stdout(io.StringIO()):
            self._engine.save_to_file(sentence, str(path))
            self._engine.runAndWait()
        if self._errors:
            raise SpeechError(f"the speech synthesiser failed ({self._errors[0]})", "Check that espeak-ng works: espeak-ng 'hello'.")
        try:
            return wavfile.read(path)
        except AudioError:
            return b""
        finally:
            path.unlink(missing_ok=True)

    def close(self) -> None:
        self._folder.cleanup()
