"""Numbers as spoken words: `25` ↔ `twenty five`, and durations such as "half an hour" in minutes."""

from __future__ import annotations

import re

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_UNITS)} | {w: 10 * i for i, w in enumerate(_TENS) if w != "_"}
WORD_VALUES |= {"couple": 2, "hundred": 100}

_MINUTE_UNITS = {"minute": 1, "minutes": 1, "min": 1, "mins": 1, "hour": 60, "hours": 60}


def to_words(number: int) -> str:
    """Spell a whole number from 0 to 999 as words, the way speech recognisers write it."""
    if number < 20:
        return _UNITS[number]
    if number < 100:
        tens, units = divmod(number, 10)
        return _TENS[tens] + ("" if units == 0 else " " + _UNITS[units])
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return _UNITS[hundreds] + " hundred" + ("" if rest == 0 else " " + to_words(rest))
    return str(number)


EMERGENCY_NUMBERS = re.compile(r"(?<!\w)(?<!\d[.,])(911|999|112|000)(?!\w|[.,]\d)")
"""Said digit by digit, as the recogniser writes them: "call 999" is "call nine nine nine", not a quantity (a
price such as 999.99 still is)."""


def digits_to_words(text: str) -> str:
    """Replace every run of digits with its spoken form: up to 999 as a quantity, a year as a year ("twenty twenty
    four"), emergency numbers and any other longer run ("call 10111", a phone number) digit by digit."""
    text = EMERGENCY_NUMBERS.sub(lambda m: _digit_by_digit(m.group()), text)
    return re.sub(r"\d+", lambda m: _spoken(m.group()), text)


def _spoken(digits: str) -> str:
    if len(digits) <= 3:
        return to_words(int(digits))
    if len(digits) == 4 and 1900 <= int(digits) <= 2099:
        return _year(int(digits))
    return _digit_by_digit(digits)


def _digit_by_digit(digits: str) -> str:
    return " ".join(_UNITS[int(digit)] for digit in digits)


def _year(year: int) -> str:
    century, rest = divmod(year, 100)
    if century == 20 and rest < 10:
        return "two thousand" + (f" {_UNITS[rest]}" if rest else "")
    return f"{to_words(century)} " + ("hundred" if rest == 0 else f"oh {_UNITS[rest]}" if rest < 10 else to_words(rest))


_NUMBER_WORDS = sorted(WORD_VALUES, key=len, reverse=True)
_NUMBER = r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety) (?:one|two|three|four|five|six|seven|eight|nine)|" + "|".join(_NUMBER_WORDS) + r")"
_UNIT = r"(?:minutes?|mins?|hours?)"

DURATION_PATTERNS: tuple[tuple[re.Pattern[str], object], ...] = (
    (re.compile(rf"\b(?:an|one) hour and a half\b|\bhour and a half\b|\bninety minutes\b"), 90),
    (re.compile(rf"\bhalf (?:an|a) hour\b|\bhalf hour\b"), 30),
    (re.compile(rf"\b(?:a )?quarter (?:of an )?hour\b"), 15),
    (re.compile(rf"\ban hour\b"), 60),
    (re.compile(rf"\b(?P<n>{_NUMBER})(?: of)?(?: and a half)? (?P<more>more )?(?P<unit>{_UNIT})\b"), None),
)
"""Spoken durations; None means the minutes are computed from the number and the unit."""

BARE_NUMBER = re.compile(rf"\b(?P<n>{_NUMBER})\b")


def number_value(words: str) -> int:
    """The value of a spoken number like 'twenty five' or 'a couple'."""
    if words in WORD_VALUES:
        return WORD_VALUES[words]
    total = 0
    for word in words.split():
        total += WORD_VALUES[word]
    return total


def find_duration(text: str) -> tuple[int, tuple[int, int]] | None:
    """Minutes and the span of the first spoken duration in normalised text, or None.

    "ten more minutes" spans only "ten": "more" is left in place, as it tells an extension from a start.
    """
    for pattern, minutes in DURATION_PATTERNS:
        found = pattern.search(text)
        if not found:
            continue
        if minutes is not None:
            return int(minutes), found.span()
        value = number_value(found.group("n")) * _MINUTE_UNITS[found.group("unit")]
        if "and a half" in found.group(0):
            value += _MINUTE_UNITS[found.group("unit")] // 2
        if found.group("more"):
            return value, (found.start(), found.start("more") - 1)
        return value, found.span()
    return None
