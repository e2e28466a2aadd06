"""Load and validate the intent catalog from `intents/*.yaml` (intents, their example templates, slots)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.understanding import templates
from assistant.datafile import Node, Problems, read
from assistant.errors import DataFileError
from assistant.resources import shipped

SLOT_KINDS = {"values", "duration", "text"}
_FILE_KEYS = {"intents", "slots"}
_INTENT_KEYS = {"examples", "priority", "description"}
_SLOT_KEYS = {"kind", "values", "resolve", "description"}


@dataclass(frozen=True)
class SlotDef:
    """A slot: `values` maps each value to the phrases that say it; `text` takes free words."""

    name: str
    kind: str
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    resolve: str | None = None
    """For text slots: a values slot whose value replaces the words when one fits."""


@dataclass(frozen=True)
class Intent:
    name: str
    examples: tuple[str, ...]
    """Expanded example sentences, slots kept as `{name}`."""
    priority: int = 0
    source: str = ""
    templates: tuple[str, ...] = ()
    """The example templates as written (lower-cased): the speech grammar is compiled from these."""


@dataclass(frozen=True)
class Catalog:
    intents: dict[str, Intent]
    slots: dict[str, SlotDef]


def load(folder: Path | None = None) -> Catalog:
    """Read every `*.yaml` under the folder; raise one DataFileError listing every problem found."""
    folder = folder or shipped("intents")
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise DataFileError([f"{folder}: no intent files (*.yaml) found"], "Reinstall Kindly or point KINDLY_INTENTS at a folder of intent files.")
    problems = Problems()
    raw_intents: list[tuple[Path, str, Node]] = []
    slots: dict[str, SlotDef] = {}
    for path in files:
        root = read(path)
        if not problems.check_keys(path, root, _FILE_KEYS, set(), "the file"):
            continue
        for name, node in _mapping(root, "slots", path, problems).items():
            if name in slots:
                problems.add(path, node.line, f"slot '{name}' is defined twice")
            slot = _slot(name, node, path, problems)
            if slot:
                slots[name] = slot
        for name, node in _mapping(root, "intents", path, problems).items():
            raw_intents.append((path, name, node))
    intents: dict[str, Intent] = {}
    for path, name, node in raw_intents:
        if name in intents:
            problems.add(path, node.line, f"intent '{name}' is defined twice (also in {intents[name].source})")
            continue
        intent = _intent(name, node, path, slots, problems)
        if intent:
            intents[name] = intent
    for slot in slots.values():
        if slot.resolve and slot.resolve not in slots:
            problems.add(folder, 1, f"slot '{slot.name}' resolves to unknown slot '{slot.resolve}'")
    problems.raise_if_any()
    return Catalog(intents, slots)


def _mapping(root: Node, key: str, path: Path, problems: Problems) -> dict[str, Node]:
    node = root.value.get(key)
    if node is None:
        return {}
    if not isinstance(node.value, dict):
        problems.add(path, node.line, f"'{key}' must be a mapping of names")
        return {}
    return node.value


def _strings(node: Node, path: Path, problems: Problems, what: str) -> list[Node]:
    if not isinstance(node.value, list) or not node.value:
        problems.add(path, node.line, f"{what} must be a non-empty list")
        return []
    good = []
    for item in node.value:
        if isinstance(item.value, str) and item.value.strip():
            good.append(item)
        else:
            problems.add(path, item.line, f"{what} must hold non-empty strings, not {item.value!r}")
    return good


def _expand(item: Node, path: Path, problems: Problems, slots: dict[str, SlotDef] | None) -> list[str]:
    try:
        parts = templates.parse(item.value.lower())
        if slots is not None:
            for name in templates.slot_names(parts):
                if name not in slots:
                    problems.add(path, item.line, f"unknown slot '{{{name}}}' (defined slots: {', '.join(sorted(slots)) or 'none'})")
                    return []
        return templates.expand(parts)
    except templates.TemplateError as error:
        problems.add(path, item.line, f"{error} in template {item.value!r}")
        return []


def _expand_all(node: Node, key: str, path: Path, slots: dict[str, SlotDef], problems: Problems) -> list[str]:
    if key not in node.value:
        return []
    items = _strings(node.value[key], path, problems, key)
    return [sentence for item in items for sentence in _expand(item, path, problems, slots)]


def _slot(name: str, node: Node, path: Path, problems: Problems) -> SlotDef | None:
    if not problems.check_keys(path, node, _SLOT_KEYS, {"kind"}, f"slot '{name}'"):
        return None
    kind_node = node.value.get("kind")
    kind = kind_node.value if kind_node else None
    if kind not in SLOT_KINDS:
        problems.add(path, node.line, f"slot '{name}' has kind {kind!r}; use one of {', '.join(sorted(SLOT_KINDS))}")
        return None
    values: dict[str, tuple[str, ...]] = {}
    if kind == "values":
        values_node = node.value.get("values")
        if values_node is None or not isinstance(values_node.value, dict):
            problems.add(path, node.line, f"slot '{name}' needs 'values': a mapping of value to phrases")
            return None
        for value, phrases in values_node.value.items():
            expanded = [p for item in _strings(phrases, path, problems, f"phrases of '{value}'") for p in _expand(item, path, problems, {})]
            values[value] = tuple(dict.fromkeys(expanded))
    resolve = node.value["resolve"].value if "resolve" in node.value else None
    return SlotDef(name, kind, values, resolve)


def _intent(name: str, node: Node, path: Path, slots: dict[str, SlotDef], problems: Problems) -> Intent | None:
    if not problems.check_keys(path, node, _INTENT_KEYS, {"examples"}, f"intent '{name}'"):
        return None
    examples = _expand_all(node, "examples", path, slots, problems)
    written = tuple(item.value.lower() for item in _strings(node.value["examples"], path, Problems(), "examples")) if "examples" in node.value else ()
    priority = node.value["priority"].value if "priority" in node.value else 0
    if not isinstance(priority, int) or isinstance(priority, bool):
        problems.add(path, node.value["priority"].line, f"priority of '{name}' must be a whole number, not {priority!r}")
        priority = 0
    return Intent(name, tuple(dict.fromkeys(examples)), priority, f"{path}:{node.line}", written)
