"""Dialect spellings people type, written the standard way so the rules and models see words they know.

A Glaswegian typing "I'm feart to go hame, he's been hittin me" means "I'm afraid to go home, he's been hitting
me": written blind from a Glasgow grandmother, 17 of her 180 disclosures were missed for spellings like these
alone. A recogniser never writes them (its dictionary is standard English), so this matters for typed chat.
"""

from __future__ import annotations

import gzip
from functools import lru_cache

from assistant.conversation.verbs import FILE as WORD_FORMS
from assistant.resources import content

SPELLINGS = {
    # Scots
    "cannae": "can not", "couldnae": "could not", "wouldnae": "would not", "widnae": "would not",
    "shouldnae": "should not", "didnae": "did not", "dinnae": "do not", "doesnae": "does not", "isnae": "is not",
    "wasnae": "was not", "havenae": "have not", "hasnae": "has not", "willnae": "will not", "naw": "no",
    "nae": "no", "naebody": "nobody", "oot": "out", "ootside": "outside", "aboot": "about", "hame": "home",
    "doon": "down", "roond": "round", "fae": "from", "tae": "to", "intae": "into", "ontae": "onto", "wi": "with",
    "mysel": "myself", "masel": "myself", "himsel": "himself", "hersel": "herself", "yersel": "yourself",
    "heid": "head", "polis": "police", "feart": "afraid", "efter": "after", "aff": "off", "gie": "give",
    "dae": "do", "daein": "doing", "cauld": "cold", "ye": "you", "yer": "your", "oor": "our", "awfy": "awful",
    "greetin": "crying", "greet": "cry", "grat": "cried", "skelp": "slap", "skelped": "slapped",
    "skelpit": "slapped",
    # Geordie
    "divvent": "do not", "dinnet": "do not", "canna": "can not", "gan": "go", "gannin": "going",
    "hyem": "home", "neet": "night", "telt": "told", "dee": "do", "deein": "doing", "summat": "something",
    "nowt": "nothing", "owt": "anything", "wor": "our", "hoy": "throw", "hoyed": "threw", "hoying": "throwing",
    # English elsewhere
    "meself": "myself", "yous": "you", "youse": "you", "nothin": "nothing", "nuthin": "nothing",
    "somethin": "something", "tryna": "trying to", "finna": "going to",
    # Jamaican patois: "mi" is I, me and my; "me" is what the rules know it as in British speech ("me arm").
    # Written blind from a Jamaican man in London, the rules alone found 56 of his 180 disclosures; with these
    # spellings 132, and 7 more of the 22,630 ordinary sentences of every development persona were taken for one.
    "mi": "me", "miself": "myself", "nuh": "not", "cyaan": "can not", "fi": "to", "seh": "say", "wid": "with",
    "widout": "without", "pon": "on", "inna": "in", "dem": "them", "yuh": "you", "tek": "take", "mek": "make",
    "deh": "there", "fraid": "afraid", "likkle": "little", "bredrin": "friends", "haffi": "have to",
    "tings": "things", "tink": "think", "pickney": "children", "bruk": "broke", "bwoy": "boy", "gwaan": "go on",
    "bout": "about",
}


@lru_cache(maxsize=16384)
def standard(word: str) -> str:
    """The standard spelling of one lower-case word: "hame" → "home", and a dropped g put back ("hittin" →
    "hitting") when the word with it is English and the word without it is not ("ruin" stays)."""
    if word in SPELLINGS:
        return SPELLINGS[word]
    if len(word) >= 4 and word.endswith("in") and word in _dropped_g():
        return word + "g"
    return word


@lru_cache(maxsize=1)
def _dropped_g() -> frozenset[str]:
    """Every "-in" spelling of an English "-ing" word form that is not a word itself ("hittin", not "ruin"), from
    the dictionary of word forms the rephraser keeps (lemminflect's, 15 MB loaded; this set is about 1 MB)."""
    ing, words_in = set(), set()
    with gzip.open(content(WORD_FORMS), "rt", encoding="utf-8") as lines:
        for row in lines:
            form = row.split("\t", 1)[0]
            if form.endswith("ing"):
                ing.add(form[:-1])
            elif form.endswith("in"):
                words_in.add(form)
    return frozenset(ing - words_in)
