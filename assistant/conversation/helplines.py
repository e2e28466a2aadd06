"""Support numbers per country (content/helplines.yaml): which country is meant, and the lines for each path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant import datafile
from assistant.errors import DataFileError
from assistant.resources import content

_DIGITS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
           "seven": "7", "eight": "8", "nine": "9", "eleven": "11", "thirteen": "13", "fourteen": "14"}


@dataclass(frozen=True)
class Line:
    """One number to call or text."""

    name: str
    how: str
    """"call", "call or text", "text START to" …"""
    number: str
    """As it is written ("1-800-799-7233")."""
    say: str
    """As it is said, digit by digit in its groups ("one, eight hundred, seven nine nine, …")."""
    source: str = ""


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    emergency: Line | None
    crisis: tuple[Line, ...]
    abuse: tuple[Line, ...]


NOWHERE = Country("", "", None, (), ())
"""No country known: Kindly says "call your local emergency number" and never guesses one."""


def country_for(settings: Any) -> Country:
    """The country whose numbers Kindly gives, from the settings (or the system locale)."""
    code = settings.country_code
    return (find(code) if code else None) or NOWHERE


def describe(settings: Any, source: str) -> str:
    """Which country's numbers are in use and why, for `kindly doctor`, `config show` and the first start."""
    if settings.country:
        return f"{find(settings.country).name} ({settings.country}), from {source}"  # type: ignore[union-attr]
    code, variable = from_locale()
    found = find(code) if code else None
    if found is not None:
        return f"{found.name} ({found.code}), from the system locale ({variable})"
    why = f"the system locale ({variable or 'not set'}) names no country Kindly has numbers for"
    return f"none: {why}, so Kindly says 'call your local emergency number'. Set one with --country (e.g. --country GB)"


def find(value: str) -> Country | None:
    """The country an ISO code or a common name stands for ("GB", "uk", "United Kingdom"), or None."""
    key = " ".join(value.lower().replace(".", " ").split())
    countries = _countries()
    if key.upper() in countries:
        return countries[key.upper()]
    for code, names in _names().items():
        if key in names:
            return countries[code]
    return None


def supported() -> list[str]:
    """The codes Kindly has numbers for, in the file's order."""
    return list(_countries())


def from_locale(environ: dict[str, str] | None = None) -> tuple[str, str]:
    """(country code, the variable it came from) from LC_ALL, LC_MESSAGES or LANG ("en_GB.UTF-8" → GB)."""
    environ = dict(os.environ) if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        territory = value.split(".")[0].split("@")[0].partition("_")[2]
        if value:
            return territory.upper(), f"{variable}={value}"
    return "", ""


def digits_of(spoken: str) -> str:
    """The digits a spoken number stands for ("one, eight hundred" → "1800"); checks the data's `say` fields."""
    out, repeat = "", 1
    for word in spoken.replace(",", " ").split():
        if word in ("double", "triple"):
            repeat = 2 if word == "double" else 3
            continue
        out += {"hundred": "00", "thousand": "000"}.get(word) or _DIGITS[word] * repeat
        repeat = 1
    return out


@lru_cache(maxsize=1)
def _data(path: Path | None = None) -> dict[str, Any]:
    path = path or content("helplines.yaml")
    try:
        return datafile.parse(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DataFileError([f"{path}: cannot be read ({error})"], "Reinstall Kindly.") from None


@lru_cache(maxsize=1)
def _countries() -> dict[str, Country]:
    def line(item: dict[str, Any], name: str = "", how: str = "call") -> Line:
        return Line(item.get("name", name), item.get("how", how), str(item["number"]), item["say"], item.get("source", ""))

    out = {}
    for code, entry in _data()["countries"].items():
        emergency = line(entry["emergency"], "emergency services") if entry.get("emergency") else None
        out[code] = Country(code, entry["name"], emergency, tuple(map(line, entry.get("crisis") or ())),
                            tuple(map(line, entry.get("abuse") or ())))
    return out


@lru_cache(maxsize=1)
def _names() -> dict[str, set[str]]:
    return {code: {n.lower() for n in entry.get("names", ())} for code, entry in _data()["countries"].items()}
