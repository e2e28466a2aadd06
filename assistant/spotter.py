"""Phrase spotting with a small PocketSphinx language model: "stop" while Kindly speaks.

The model holds the phrases among common English words, so other speech comes out as other words. A phrase
counts once one of its key words is among the last words heard *and* the speaker has fallen silent for a
moment: "the shop is closed" and "he stopped by" pass through "stop" on the way to other words.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant import caches
from assistant.stt import sphinx_engine
from assistant.stt.common_words import common_words

STOP_PHRASES = ("stop", "stop it", "stop talking", "please stop", "stop please", "okay stop", "kindly stop", "be quiet", "quiet please")
STOP_WORDS = frozenset({"stop", "quiet"})
CONFIRM_SILENCE_S = 0.15
"""Silence after the phrase before it counts; with decoding time, a stop cuts speech well within 300 ms."""
TAIL_WORDS = 2
"""A key word must be among the last words heard: the decoder often adds a stray short word in the silence."""
PHRASE_REPEATS = 20
"""How often each phrase appears in the model's text, to make it likely against the background words."""


class PhraseSpotter:
    """Feed audio; `accept` returns True once one of the phrases has been said."""

    def __init__(self, cache_dir: Path, phrases: tuple[str, ...], key_words: frozenset[str], background_share: float = 0.5) -> None:
        import pocketsphinx

        model = Path(pocketsphinx.get_model_path()) / "en-us"
        lm_path, dict_path = _build(model, cache_dir, phrases, key_words, background_share)
        self.key_words = key_words
        self._decoder = pocketsphinx.Decoder(hmm=str(model / "en-us"), lm=str(lm_path), dict=str(dict_path), loglevel="FATAL", dither=True)
        self._vad = pocketsphinx.Vad(mode=2)
        self._running = False
        self._silent = 0.0
        self._heard_speech = False

    def start(self) -> None:
        self.end()
        self._decoder.start_utt()
        self._running = True
        self._silent = 0.0
        self._heard_speech = False

    def accept(self, pcm: bytes) -> bool:
        """True once a key word ended the words heard and a short silence followed it."""
        if not self._running:
            self.start()
        frame = self._vad.frame_bytes
        voiced = any(self._vad.is_speech(pcm[i : i + frame]) for i in range(0, len(pcm) - frame + 1, frame))
        if not voiced and not self._heard_speech:
            return False  # silence before any speech holds no phrase: skip decoding it
        self._heard_speech = True
        self._decoder.process_raw(pcm, False, False)
        self._silent = 0.0 if voiced else self._silent + len(pcm) / 32000
        if self._silent < CONFIRM_SILENCE_S:
            return False
        hyp = self._decoder.hyp()
        last = hyp.hypstr.split()[-TAIL_WORDS:] if hyp else []
        if any(word in self.key_words for word in last):
            self.start()  # heard: begin afresh, so the same words do not count twice
            return True
        if self._silent > RESTART_AFTER_SILENCE_S:
            self.start()  # keep the search short during long silences
        return False

    def end(self) -> None:
        if self._running:
            self._decoder.end_utt()
            self._running = False


RESTART_AFTER_SILENCE_S = 2.0


class StopSpotter(PhraseSpotter):
    def __init__(self, cache_dir: Path) -> None:
        super().__init__(cache_dir, STOP_PHRASES, STOP_WORDS)


def _build(model: Path, cache_dir: Path, phrases: tuple[str, ...], key_words: frozenset[str], share: float) -> tuple[Path, Path]:
    key = hashlib.sha256(repr((phrases, sorted(key_words), share, PHRASE_REPEATS)).encode()).hexdigest()[:12]
    folder = cache_dir / "spotter" / key
    lm_path, dict_path = folder / "phrases.lm", folder / "phrases.dict"
    if lm_path.is_file() and dict_path.is_file():
        caches.used(folder)
        return lm_path, dict_path
    pronunciations = sphinx_engine.read_dictionary(model / "cmudict-en-us.dict") | sphinx_engine.read_dictionary(sphinx_engine.EXTRA_DICTIONARY)
    background = {w: p for w, p in common_words(cache_dir).items() if w in pronunciations and w not in key_words}
    words = set(background) | {w for phrase in phrases for w in phrase.split()}
    folder.mkdir(parents=True, exist_ok=True)
    sphinx_engine.write_atomically(dict_path, "".join(line for w in sorted(words) for line in pronunciations[w]))
    sphinx_engine.write_atomically(lm_path, sphinx_engine.arpa(list(phrases) * PHRASE_REPEATS, background, background_share=share))
    caches.remove_unused_beside(folder)
    return lm_path, dict_path
