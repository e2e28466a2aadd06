"""PocketSphinx: the embedded engine, using the English model inside the `pocketsphinx` wheel.

Every utterance is decoded twice, side by side on the same audio:
- with an open trigram language model of the sentences Kindly understands and of sentences people wrote
  (training personas, disclosures), mixed with the most common English words of the bundled general model, so
  free speech (the words to soften, an agreement, a disclosure) comes out as the ordinary words it is;
- with a grammar compiled from the intents' templates (stt/grammar.py) and decoded as its smallest deterministic
  automaton (stt/automaton.py), which hears commands and slot values ("make it half an hour") far more reliably,
  but forces everything into some command.
With a judge (the matcher), stt/choice.py picks one of the two; without one, only the open model decodes.
Both are built once, then cached.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import time
from pathlib import Path

from assistant import caches
from assistant.errors import ModelError
from assistant.understanding.intents import Catalog
from assistant.messages import Transcript
from assistant.understanding.normalize import without_hesitations
from assistant.stt import corpus
from assistant.stt.choice import COMMAND_SECONDS, N_BEST, Judge, transcript
from assistant.stt.snr import SignalToNoise
from assistant.stt.common_words import common_words

_LOGGER = logging.getLogger(__name__)
BACKGROUND_WORDS = 20_000
"""Common English words (by the bundled model's unigram probability) mixed into the language model. With 20,000,
0.94 % of the words of the held-out persona and safety sentences are unknown to it (3,000: 2.17 %; 10,000:
1.46 %), and the open model decodes at 0.070 of real time (3,000: 0.057)."""
BACKGROUND_SHARE = 0.05
"""Share of the unigram mass that goes to those background words."""
DISCOUNT_MASS = 0.35
"""Probability mass each n-gram order hands to its back-off: lower favours whole known sentences."""
LM_VERSION = "3"
"""Bump when the way the model is built changes, so caches are rebuilt."""
AUTOMATON_VERSION = "1"
"""Bump when stt/automaton.py builds the commands automaton differently, so cached ones are rebuilt."""
EXTRA_DICTIONARY = Path(__file__).with_name("extra.dict")
"""Pronunciations of Kindly's words that CMUdict lacks ("distancer", "cooldown")."""
NOISE_ADAPTATION = Path(__file__).with_name("noise.mllr")
"""An MLLR transform of the acoustic model's means toward real microphones in noisy rooms, applied to both
decoders (scripts/build_noise_adaptation.py builds it from barista-dev's real speakers with synthetic room noise).
On the 100 clips it was built without, complete coffee orders: clean 94 → 95, kitchen noise at 24 dB 93 → 93,
12 dB 84 → 90, 6 dB 61 → 67. espeak-ng's formant voices, far from any real speaker, lose a little (intent
accuracy of en-us 70.6 → 66.9% on scripts/eval_speech.py); flite's and festival's stay within a sentence."""
MEAN_FILE = "cepstral-mean.txt"
"""Where the recogniser's running cepstral mean is kept between runs (13 numbers, no audio)."""
GRAMMAR_BUDGET = 16_000
"""Largest grammar (characters of JSGF) decoded beside the open model. Decoded as PocketSphinx's own graph, Kindly's
whole grammar (23 k) took 0.25 of real time on top of the open model's 0.06, and its commands of up to six words
(15.5 k) 0.17. Decoded as its smallest automaton (stt/automaton.py) the six-word grammar takes 0.024; the whole
one understood the same 110 of 120 usual sentences (flite awb and festival), so the budget stayed. The coffee
grammar of the barista benchmark (2.7 k) fits whole."""


class SphinxRecognizer:
    """Streaming PocketSphinx decoder with Kindly's language model."""

    name = "pocketsphinx"

    def __init__(self, catalog: Catalog, cache_dir: Path, wake_phrase: str = "hey kindly", remember_mean: bool = True,
                 folder: Path | None = None, judge: Judge | None = None) -> None:
        """`remember_mean`: start from the cepstral mean the last run ended with, and save it after each utterance.
        `folder`: the intent folder, whose training sentences join the open language model. `judge`: the matcher
        that picks between the open transcript and the grammar's (stt/choice.py); without one, the grammar is
        not decoded."""
        import pocketsphinx

        model = Path(pocketsphinx.get_model_path()) / "en-us"
        self._lm, self._dict = build_language_model(catalog, model, cache_dir, wake_phrase, folder)
        self._judge = judge
        self._grammar_file = build_grammar(catalog, self._dict, wake_phrase) if judge is not None else None
        acoustic = {"hmm": str(model / "en-us"), "dict": str(self._dict), "loglevel": "FATAL"}
        if NOISE_ADAPTATION.exists():  # absent only while scripts/build_noise_adaptation.py builds it
            acoustic["mllr"] = str(NOISE_ADAPTATION)
        try:
            self._decoder = pocketsphinx.Decoder(lm=str(self._lm), **acoustic)
            self._commands = pocketsphinx.Decoder(**{self._grammar_file.suffix[1:]: str(self._grammar_file)},
                                                  fsgusealtpron=False, bestpath=False, **acoustic) if self._grammar_file else None
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"PocketSphinx could not load its model ({error})", f"Delete {cache_dir} and try again, or reinstall pocketsphinx.") from None
        self._audio_seconds = 0.0
        self._decode_seconds = 0.0
        self._level = SignalToNoise()
        self._mean_file = cache_dir / "pocketsphinx" / MEAN_FILE if remember_mean else None
        self._load_mean()

    def known_words(self) -> set[str]:
        """Every word this recogniser can hear."""
        with open(self._dict, encoding="utf-8") as lines:
            return {line.split(" ", 1)[0].split("(", 1)[0] for line in lines}

    def start(self) -> None:
        # The cepstral mean carries over from earlier utterances: it adapts to the room, the microphone and the voice.
        if self._commands is not None:
            self._commands.set_cmn(self._decoder.get_cmn())
            self._commands.start_utt()
        self._decoder.start_utt()
        self._audio_seconds = self._decode_seconds = 0.0
        self._level = SignalToNoise()

    def accept(self, pcm: bytes) -> str:
        started = time.perf_counter()
        self._level.add(pcm)
        self._decoder.process_raw(pcm, False, False)
        if self._commands is not None and self._audio_seconds < COMMAND_SECONDS:
            self._commands.process_raw(pcm, False, False)
        self._decode_seconds += time.perf_counter() - started
        self._audio_seconds += len(pcm) / 32000
        hyp = self._decoder.hyp()
        return hyp.hypstr if hyp else ""

    def finish(self) -> Transcript:
        started = time.perf_counter()
        self._decoder.end_utt()
        open_text, command_text = _words(self._decoder), ""
        n_best = _n_best(self._decoder)
        if self._commands is not None:
            self._commands.end_utt()
            command_text = _words(self._commands)
        self._decode_seconds += time.perf_counter() - started
        self._save_mean()
        return transcript(self.name, open_text, command_text, self._audio_seconds, self._decode_seconds, self._judge,
                          self._level.db(), n_best)

    def _load_mean(self) -> None:
        """Start from the saved cepstral mean. Without it, the first utterance is decoded with the model's default
        mean, which fits few voices and rooms: one run per file (tests/data/dev.yaml, four espeak-ng voices and
        festival) understood 55 % of the in-scope sentences from the default mean, 74 % from the saved one, as
        many as one long run."""
        if self._mean_file is None:
            return
        try:
            text = self._mean_file.read_text(encoding="ascii").strip()
            if len([float(x) for x in text.split(",")]) != len(self._decoder.get_cmn().split(",")):
                raise ValueError("wrong length")
            self._decoder.set_cmn(text)
        except FileNotFoundError:
            pass
        except (OSError, ValueError, UnicodeError) as error:
            _LOGGER.debug("ignoring the saved cepstral mean %s (%s)", self._mean_file, error)

    def _save_mean(self) -> None:
        if self._mean_file is None:
            return
        try:  # its folder exists: the language model was built (or found) in it
            write_atomically(self._mean_file, self._decoder.get_cmn() + "\n")
        except OSError as error:  # a read-only cache costs only the head start of the next run
            _LOGGER.debug("could not save the cepstral mean to %s (%s)", self._mean_file, error)


def _words(decoder: object) -> str:
    """The words heard, without silence and filler tokens."""
    hyp = decoder.hyp()  # type: ignore[attr-defined]
    return _plain(hyp.hypstr) if hyp else ""


def _n_best(decoder: object) -> tuple[str, ...]:
    """The first distinct hypotheses of the decoder's N-best list (its lattice's A* search: the first agrees with
    the best path about half the time), read by stt/choice.py for a disclosure. Costs about 1 ms."""
    found: list[str] = []
    for hyp in decoder.nbest() or ():  # type: ignore[attr-defined]  # None when nothing was decoded
        words = _plain(hyp.hypstr) if hyp is not None else ""
        if words and words not in found:
            found.append(words)
        if len(found) == N_BEST:
            break
    return tuple(found)


def _plain(hypstr: str) -> str:
    """The words of a hypothesis without silences, noises and hesitations ("um", "uh"; not "uh huh")."""
    return without_hesitations(" ".join(w for w in hypstr.split() if not w.startswith(("<", "["))))


def build_grammar(catalog: Catalog, dictionary: Path, wake_phrase: str = "hey kindly") -> Path | None:
    """The grammar of the intents' commands, next to the dictionary whose words it uses (None if empty): an FSG
    file of the smallest deterministic automaton of its JSGF (stt/automaton.py), or the JSGF file itself if that
    automaton would be too large."""
    import pocketsphinx

    from assistant.stt.automaton import TooLarge, compile_grammar
    from assistant.stt.grammar import jsgf

    commands = corpus.command_catalog(catalog)
    known = set(read_dictionary(dictionary))
    for longest in (None, 12, 10, 8, 7, 6, 5, 4, 3):  # the longest commands go first when the grammar is too big
        text = jsgf(commands, known, wake_phrase, longest)
        if len(text) <= GRAMMAR_BUDGET:
            break
    if "<VOID>" in text:
        return None
    path = dictionary.with_name(f"kindly-{hashlib.sha256(text.encode()).hexdigest()[:12]}.gram")
    if not path.is_file():
        write_atomically(path, text)
    compact = path.with_name(f"{path.stem}-{AUTOMATON_VERSION}.fsg")
    if not compact.is_file():
        try:
            write_atomically(compact, compile_grammar(path, pocketsphinx.Config()["lw"]))
        except (TooLarge, ValueError, RuntimeError):  # the decoder then reads the JSGF, or says why it cannot
            return path
    return compact


def build_language_model(catalog: Catalog, model: Path, cache_dir: Path, wake_phrase: str = "hey kindly",
                         intents_folder: Path | None = None) -> tuple[Path, Path]:
    """Paths of the ARPA model and the matching pronunciation dictionary, building them if not cached."""
    templates = corpus.sentences(catalog, wake_phrase)
    sources = [hashlib.sha256(path.read_bytes()).hexdigest() for path in corpus.natural_sources(intents_folder)]
    key = hashlib.sha256("\n".join([LM_VERSION, str(BACKGROUND_WORDS), str(BACKGROUND_SHARE), str(DISCOUNT_MASS), str(model), *sources, *templates]).encode()).hexdigest()[:16]
    folder = cache_dir / "pocketsphinx" / key
    lm_path, dict_path = folder / "kindly.lm", folder / "kindly.dict"
    if lm_path.is_file() and dict_path.is_file():
        caches.used(folder)
        return lm_path, dict_path
    started = time.perf_counter()
    texts = corpus.weighted(templates) + corpus.woken(corpus.natural(intents_folder), wake_phrase)
    pronunciations = read_dictionary(model / "cmudict-en-us.dict") | read_dictionary(EXTRA_DICTIONARY)
    known = {w for w in corpus.words(texts) if w in pronunciations}
    missing = sorted(corpus.words(texts) - known)
    if missing:
        _LOGGER.debug("words without a pronunciation, left out of the language model: %s", ", ".join(missing))
    texts = [t for t in texts if all(w in known for w in t.split())]
    background = {w: p for w, p in common_words(cache_dir, BACKGROUND_WORDS).items() if w in pronunciations}
    model_text = arpa(texts, background)
    folder.mkdir(parents=True, exist_ok=True)
    words = corpus.words(texts) | set(background)
    write_atomically(dict_path, "".join(line for w in sorted(words) for line in pronunciations[w]))
    write_atomically(lm_path, model_text)
    caches.remove_unused_beside(folder)
    _LOGGER.info("built the speech language model in %.1f s (%d sentences, %d words)", time.perf_counter() - started, len(texts), len(words))
    return lm_path, dict_path


def read_dictionary(path: Path) -> dict[str, list[str]]:
    """Word → its dictionary lines (all pronunciation variants)."""
    entries: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            head = line.split(" ", 1)[0]
            word = head.split("(", 1)[0]
            entries.setdefault(word, []).append(line if line.endswith("\n") else line + "\n")
    return entries


def arpa(texts: list[str], background: dict[str, float], background_share: float = BACKGROUND_SHARE) -> str:
    """An ARPA trigram model of the texts, with the background words sharing `background_share` of the unigrams."""
    from pocketsphinx.lm import ArpaBoLM

    builder = ArpaBoLM(add_start=True, discount_mass=DISCOUNT_MASS)
    builder.read_corpus(io.StringIO("\n".join(texts)))
    domain_total = sum(builder.grams_1.values())
    extra = domain_total * background_share / (1 - background_share)
    for word, share in background.items():
        builder.grams_1[word] += max(1, round(extra * share))
    builder.compute()
    out = io.StringIO()
    builder.write(out)
    return out.getvalue()


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
