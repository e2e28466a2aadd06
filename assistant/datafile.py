"""YAML data files read with their line numbers, so every problem can be reported as `file:line: what`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import DataFileError

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it: fifteen times faster than the pure-Python one on the sentence files the
voice loop reads at start-up."""


def parse(text: str) -> Any:
    """A YAML document as plain Python values (raises yaml.YAMLError)."""
    return yaml.load(text, Loader=LOADER)


def switched_on(path: Path, name: str) -> bool:
    """Whether a data file leaves the switch `name` on: only a top-level `name: false` line turns it off (the safety
    files' `rules`, `language_model` and `disclosure_model`). Read as lines, not parsed, because the model caches
    are keyed on the files whose switch is on and start-up checks every safety file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError([f"{path}: cannot be read ({error})"]) from None
    return re.search(rf"^{re.escape(name)}:[ \t]*false[ \t]*(#.*)?$", text, re.MULTILINE) is None


@dataclass(frozen=True)
class Node:
    """A YAML value with the 1-based line it starts on."""

    value: Any
    line: int


def read(path: Path) -> Node:
    """Parse a YAML file into nested Nodes (mappings become dict[str, Node], sequences list[Node])."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataFileError([f"{path}:1: not UTF-8 text"]) from None
    except OSError as error:
        raise DataFileError([f"{path}: cannot be read ({error.strerror})"]) from None
    try:
        root = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise DataFileError([f"{path}:{line}: not valid YAML ({error.problem})"]) from None
    except yaml.YAMLError as error:  # e.g. a control character: reported with its position when known
        line = text[: getattr(error, "position", 0)].count("\n") + 1
        raise DataFileError([f"{path}:{line}: not valid YAML ({str(error).splitlines()[0]})"]) from None
    return _convert(root, path) if root is not None else Node({}, 1)


def _convert(node: yaml.Node, path: Path) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in mapping:
                raise DataFileError([f"{path}:{key_node.start_mark.line + 1}: duplicate key '{key}'"])
            value = _convert(value_node, path)
            mapping[key] = Node(value.value, key_node.start_mark.line + 1)
        return Node(mapping, line)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, path) for item in node.value], line)
    try:
        return Node(_SCALARS.construct_object(node), line)
    except yaml.YAMLError as error:  # a tag no loader can build ("=" alone is one): the line, not a traceback
        raise DataFileError([f"{path}:{line}: not valid YAML ({str(error).splitlines()[0]})"]) from None


_SCALARS = yaml.constructor.SafeConstructor()


class Problems:
    """Collects every problem in a set of files before raising one error that lists them all."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: Path, line: int, what: str) -> None:
        self.items.append(f"{path}:{line}: {what}")

    def check_keys(self, path: Path, node: Node, allowed: set[str], required: set[str], where: str) -> bool:
        """Report unknown and missing keys of a mapping; False if it is not a mapping at all."""
        if not isinstance(node.value, dict):
            self.add(path, node.line, f"{where} must be a mapping")
            return False
        for key, child in node.value.items():
            if key not in allowed:
                self.add(path, child.line, f"unknown key '{key}' in {where} (allowed: {', '.join(sorted(allowed))})")
        for key in sorted(required - node.value.keys()):
            self.add(path, node.line, f"{where} is missing '{key}'")
        return True

    def raise_if_any(self) -> None:
        if self.items:
            raise DataFileError(self.items)
