"""Normalise what a person said or typed so that matching sees words only, the way a recogniser writes them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from assistant.understanding.dialect import standard
from assistant.understanding.numbers import digits_to_words

MAX_CHARS = 2_000
"""Longer input is cut: nobody says more than this in one turn, and matching time stays bounded."""

_IRREGULAR = {
    "can't": "can not", "cannot": "can not", "won't": "will not", "shan't": "shall not", "let's": "let us",
    "y'all": "you all", "ain't": "am not", "im": "i am", "ive": "i have", "dont": "do not", "doesnt": "does not",
    "didnt": "did not", "cant": "can not", "isnt": "is not", "arent": "are not", "wasnt": "was not",
    "havent": "have not", "hasnt": "has not", "wouldnt": "would not", "couldnt": "could not",
    "shouldnt": "should not", "youre": "you are", "theyre": "they are", "thats": "that is", "whats": "what is",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "kinda": "kind of",
    "hes": "he is", "shes": "she is", "theyll": "they will", "itll": "it will", "wont": "will not", "hadnt": "had not",
    "mustnt": "must not", "darent": "dare not", "neednt": "need not", "werent": "were not",
    "ok": "okay", "alright": "all right", "tonite": "tonight", "pls": "please", "plz": "please",
}
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'m", " am"), ("'ve", " have"), ("'ll", " will"), ("'d", " would"))
_IS_WORDS = {"he", "she", "it", "that", "what", "there", "who", "where", "here", "how", "everything", "nothing"}
HESITATIONS = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "hmm", "hm", "eh"})
"""Sounds people make while they find their words. The recognisers may hear them (stt/corpus.py natural()) but
leave them out of what they report."""
_FILLERS = HESITATIONS | {"mm"}
ASSENTS = ("uh huh", "uh hum", "mm hmm", "mm hm", "mhm", "mhmm", "mmhmm")
"""Sounds that answer yes, though "uh", "hmm" and "hm" alone are hesitations."""
_ASSENT = re.compile(r"\b(?:" + "|".join(ASSENTS) + r")\b")
_ANSWER_PAIRS = frozenset(tuple(sound.split()) for sound in ASSENTS if " " in sound)
_DISSENT = re.compile(r"(?:uh uh|unh unh)")
"""A whole answer "uh-uh" is no; inside a sentence ("uh, uh, I need a break") it is hesitation."""
_FILLER_PHRASES = re.compile(r"\b(?:you know|i guess|sort of|kind of like)\b")
_LIKE_KEEPERS = {"would", "i", "you", "we", "they", "he", "she", "do", "not", "feel", "feels", "felt", "look",
                 "looks", "sound", "sounds", "seem", "seems", "just", "really", "things", "something", "anything",
                 "nothing", "much", "more", "is", "it", "does", "did", "what", "treat", "treats", "treated"}
_PERFECT = re.compile(r"\b(?:would (been|had|got|gotten|gone|done|seen|taken|told|said|left|made|given|known)|is (been|got|gotten|had))\b")
""""'d" and "'s" before a past participle: "I'd been" is "I had been", "he's got" is "he has got"."""
_WAKE_PREFIX = re.compile(r"^(?:(?:hey|hi|okay|ok) )?kindly\b ?")
_NON_WORD = re.compile(r"[^\w' ]+", re.UNICODE)
_ASCII_CONTROLS = {code: " " for code in [*range(32), 127]}


def normalise(text: str, fillers: bool = False) -> str:
    """Lower-case words separated by single spaces: no punctuation, fillers (unless `fillers`), contractions,
    digits or dialect spellings."""
    text = _clean(text)[:MAX_CHARS].lower().replace("’", "'").replace("‘", "'").replace("`", "'").replace("wi-fi", "wifi")
    text = _NON_WORD.sub(" ", digits_to_words(text))  # digits first: "999.99" is a price, "call 999." a number
    text = " ".join(_expand(word) for word in text.split())
    if not fillers:  # the recognisers' language model learns the sounds as said (stt/corpus.py)
        text = "no" if _DISSENT.fullmatch(text) else _ASSENT.sub("yes", text)
    text = _FILLER_PHRASES.sub(" ", text)
    kept: list[str] = []
    for word in text.replace("'", " ").split():
        if word in _FILLERS and not fillers:
            continue
        if word == "like" and (not kept or kept[-1] not in _LIKE_KEEPERS):
            continue
        kept.append(word)
    text = _PERFECT.sub(_perfect, " ".join(kept))
    return _WAKE_PREFIX.sub("", text) or text


def without_hesitations(words: str) -> str:
    """A recogniser's words without hesitations ("um", "uh"), but with the sounds that answer ("uh huh", and a
    whole answer "uh uh")."""
    if _DISSENT.fullmatch(words):
        return words
    split = words.split()

    def in_an_answer(i: int) -> bool:
        return tuple(split[i : i + 2]) in _ANSWER_PAIRS or tuple(split[max(i - 1, 0) : i + 1]) in _ANSWER_PAIRS

    return " ".join(w for i, w in enumerate(split) if w not in HESITATIONS or in_an_answer(i))


def _perfect(match: re.Match[str]) -> str:
    return f"had {match.group(1)}" if match.group(1) else f"has {match.group(2)}"


def _clean(text: str) -> str:
    """Unicode compatibility form without accents ("brëak" → "break"), control or format characters
    (zero-width joiners vanish; other controls become spaces)."""
    if text.isascii():
        return text.translate(_ASCII_CONTROLS)
    text = unicodedata.normalize("NFKD", text)
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Mn" or category == "Cf":
            continue
        kept.append(" " if category[0] == "C" else ch)
    return unicodedata.normalize("NFC", "".join(kept))


@lru_cache(maxsize=16384)
def _expand(word: str) -> str:
    word = word.strip("'")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)] + replacement
    if word.endswith("'s"):
        stem = word[:-2]
        return stem + " is" if stem in _IS_WORDS else stem + "s"
    return standard(word)
