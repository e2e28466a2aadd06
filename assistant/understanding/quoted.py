"""The words someone wants to say, when they sit inside the request ("i want to say you spend too much but nicer").

A carrier at the start ("help me say this kindly: …") is the matcher's job. This finds the rest: the words in
quotes when typed, else the words after the last "say" or "tell him" (or a colon) and before a softener
("but nicer", "without it turning into a fight", "politely"). The cues are data below; the search is small.
"""

from __future__ import annotations

import re

from assistant.understanding.normalize import normalise

LEAD_INS = re.compile(
    r"\b(?:say(?: is| that)?|tell (?:him|her|them|my \w+)(?: that)?|put|version of|way of saying|way to say)\s+"
)
"""What comes just before the words to say, in normalised words."""
SOFTENERS = re.compile(
    r"\s+(?:but\b|without\b|so (?:it|that|he|she)\b|in a (?:nice|kind|better|softer|gentle)|(?:more )?(?:nicely|nicer|"
    r"kinder|kindly|politely|softer|gently|better) *$|please *$|how (?:do|would|should|can) i\b|can you\b)"
)
"""Where the words to say end and the asking goes on."""
QUOTED = re.compile(r"(?:^|(?<=\W))[\"'‘“]([^\"’”]{6,}?)[\"'’”](?=\W|$)")
MIN_WORDS = 2
NOT_A_MESSAGE = {"this", "it", "that", "what", "to", "something", "anything", "him", "her", "them", "sorry"}
"""First words of a phrase that points at the message instead of being it ("how do i say this nicely")."""


def words_to_say(text: str) -> str:
    """The message inside a request to say something kindly, normalised, or "" when there is none."""
    quoted = QUOTED.search(text)
    if quoted and len(quoted.group(1).split()) >= MIN_WORDS:
        return normalise(quoted.group(1))
    norm = normalise(text)
    for lead in reversed(list(LEAD_INS.finditer(norm))):
        message = _until_softener(norm[lead.end():])
        if message:
            return message
    return _until_softener(normalise(text.split(":", 1)[1])) if ":" in text else ""


def _until_softener(words: str) -> str:
    """The words before the asking goes on, if they can be a message."""
    end = SOFTENERS.search(words)
    message = (words[: end.start()] if end else words).strip()
    if len(message.split()) < MIN_WORDS or message.split()[0] in NOT_A_MESSAGE:
        return ""
    return message
