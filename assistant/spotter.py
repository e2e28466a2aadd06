"""While Kindly speaks it transcribes nothing, but it still listens for a few stop phrases.

A small PocketSphinx language model holds the stop phrases among common English words, so other speech comes
out as other words. A stop counts once the phrase ends the words heard *and* the speaker has fallen silent for
a moment: "the shop is closed" and "he stopped by" pass through "stop" on the way to other words.
"""

from __future__ import annotations

from pathlib import Path

from assistant.audio import CHUNK_SECONDS
from assistant.stt import sphinx_engine
from assistant.stt.common_words import common_words

STOP_PHRASES = ("stop", "stop it", "stop talking", "please stop", "stop please", "okay stop", "kindly stop", "be quiet", "quiet please")
STOP_WORDS = frozenset({"stop", "quiet"})
"""Words only the stop phrases may use, so the background words cannot absorb them."""
CONFIRM_SILENCE_S = 0.15
"""Silence after the phrase before it counts; with decoding time, speech is cut well within 300 ms."""
TAIL_WORDS = 2
"""A stop word must be among the last words heard: the decoder often adds a stray short word in the silence."""
PHRASE_REPEATS = 20
"""How often each stop phrase appears in the model's text, to make it likely against the background words."""


class StopSpotter:
    """Feed audio while Kindly speaks; `accept` returns True once a stop phrase has been said."""

    def __init__(self, cache_dir: Path) -> None:
        import pocketsphinx

        model = Path(pocketsphinx.get_model_path()) / "en-us"
        lm_path, dict_path = _build(model, cache_dir)
        self._decoder = pocketsphinx.Decoder(hmm=str(model / "en-us"), lm=str(lm_path), dict=str(dict_path), loglevel="FATAL", dither=True)
        self._vad = pocketsphinx.Vad(mode=2)
        self._running = False
        self._silent = 0.0

    def start(self) -> None:
        self.end()
        self._decoder.start_utt()
        self._running = True
        self._silent = 0.0

    def accept(self, pcm: bytes) -> bool:
        """True once a stop phrase ended the words heard and a short silence followed it."""
        self._decoder.process_raw(pcm, False, False)
        frame = self._vad.frame_bytes
        voiced = any(self._vad.is_speech(pcm[i : i + frame]) for i in range(0, len(pcm) - frame + 1, frame))
        self._silent = 0.0 if voiced else self._silent + len(pcm) / 32000
        if self._silent < CONFIRM_SILENCE_S:
            return False
        hyp = self._decoder.hyp()
        last = hyp.hypstr.split()[-TAIL_WORDS:] if hyp else []
        return any(word in STOP_WORDS for word in last)

    def end(self) -> None:
        if self._running:
            self._decoder.end_utt()
            self._running = False


def _build(model: Path, cache_dir: Path) -> tuple[Path, Path]:
    folder = cache_dir / "stop-spotter"
    lm_path, dict_path = folder / "stop.lm", folder / "stop.dict"
    if lm_path.is_file() and dict_path.is_file():
        return lm_path, dict_path
    pronunciations = sphinx_engine.read_dictionary(model / "cmudict-en-us.dict")
    background = {w: p for w, p in common_words(cache_dir).items() if w in pronunciations and w not in STOP_WORDS}
    texts = list(STOP_PHRASES) * PHRASE_REPEATS
    words = set(background) | {w for t in STOP_PHRASES for w in t.split()}
    folder.mkdir(parents=True, exist_ok=True)
    sphinx_engine.write_atomically(dict_path, "".join(line for w in sorted(words) for line in pronunciations[w]))
    sphinx_engine.write_atomically(lm_path, sphinx_engine.arpa(texts, background, background_share=0.5))
    return lm_path, dict_path
