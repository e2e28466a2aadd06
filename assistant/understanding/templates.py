"""Compact sentence templates: `(i need|give me) a (break|time out) [please] {minutes}`.

`(a|b)` is a choice, `[a]` is optional, `{name}` is a slot. Expansion yields every sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

MAX_EXPANSIONS = 5_000
"""A template that expands to more sentences than this is almost certainly a mistake."""

_WORD_CHARS = re.compile(r"[\w' -]", re.UNICODE)


class TemplateError(ValueError):
    """A template is malformed; `column` is 1-based."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.column = column


@dataclass(frozen=True)
class Slot:
    name: str


Part = Union[str, Slot, "Choice"]


@dataclass(frozen=True)
class Choice:
    options: tuple[tuple[Part, ...], ...]


def parse(template: str) -> tuple[Part, ...]:
    """Parse a template into parts, raising TemplateError with the column of the problem."""
    parser = _Parser(template)
    parts = parser.sequence(closing="")
    return parts


def slot_names(parts: tuple[Part, ...]) -> list[str]:
    """Every slot named in parsed parts, in order."""
    names: list[str] = []
    for part in parts:
        if isinstance(part, Slot):
            names.append(part.name)
        elif isinstance(part, Choice):
            for option in part.options:
                names.extend(slot_names(option))
    return names


def expand(parts: tuple[Part, ...], limit: int = MAX_EXPANSIONS) -> list[str]:
    """Every sentence the parts describe, slots kept as `{name}`, spaces normalised."""
    sentences = [""]
    for part in parts:
        if isinstance(part, str):
            alternatives = [part]
        elif isinstance(part, Slot):
            alternatives = ["{" + part.name + "}"]
        else:
            alternatives = []
            for option in part.options:
                alternatives.extend(expand(option, limit))
        sentences = [f"{s} {a}" for s in sentences for a in alternatives]
        if len(sentences) > limit:
            raise TemplateError(f"expands to more than {limit} sentences; split it into smaller templates", 1)
    return list(dict.fromkeys(" ".join(s.split()) for s in sentences))


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def sequence(self, closing: str) -> tuple[Part, ...]:
        parts: list[Part] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in ")]|" and closing:
                return tuple(parts)
            if char in ")]|":
                raise TemplateError(f"unexpected '{char}' with no opening bracket", self.pos + 1)
            if char in "([":
                parts.append(self._group(char))
            elif char == "{":
                parts.append(self._slot())
            elif char == "}":
                raise TemplateError("unexpected '}' with no opening '{'", self.pos + 1)
            else:
                parts.append(self._words())
        return tuple(parts)

    def _group(self, opening: str) -> Choice:
        start = self.pos
        closing = ")" if opening == "(" else "]"
        self.pos += 1
        options = [self.sequence(closing)]
        while self.pos < len(self.text) and self.text[self.pos] == "|":
            self.pos += 1
            options.append(self.sequence(closing))
        if self.pos >= len(self.text):
            raise TemplateError(f"unbalanced bracket: '{opening}' opened here is never closed", start + 1)
        if self.text[self.pos] != closing:
            raise TemplateError(f"'{opening}' closed by '{self.text[self.pos]}'", self.pos + 1)
        self.pos += 1
        if opening == "[":
            options.append(())
        return Choice(tuple(options))

    def _slot(self) -> Slot:
        start = self.pos
        end = self.text.find("}", start)
        if end < 0:
            raise TemplateError("unbalanced brace: '{' is never closed", start + 1)
        name = self.text[start + 1 : end].strip()
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise TemplateError(f"slot name '{name}' must be lower-case letters, digits and '_'", start + 2)
        self.pos = end + 1
        return Slot(name)

    def _words(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in "()[]{}|":
            if not _WORD_CHARS.match(self.text[self.pos]):
                raise TemplateError(f"character '{self.text[self.pos]}' is not allowed in a template", self.pos + 1)
            self.pos += 1
        return self.text[start : self.pos]
