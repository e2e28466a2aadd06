"""The commands grammar as the smallest deterministic word automaton with the same sentences and scores.

PocketSphinx compiles a JSGF grammar into a word graph with one path per alternative: every template that begins
"i need" has its own "i" and its own "need", and the decoder follows them all at once. Determinising the graph
(one arc per word out of each state), pushing its costs toward the start and merging states with the same future
leaves Kindly's commands 751 states and 3,203 word arcs instead of 9,783 states and 8,755 word arcs plus 27,000
empty ones. Each sentence keeps the cost of its best path (the tropical semiring: costs are -log probabilities,
add along a path, take the least, as the decoder's Viterbi search does), less one constant shared by all
sentences, so the decoder prefers the same ones.

On the usual held-out sample (scripts/eval_speech.py's 60 sentences, flite awb and festival), the commands
decoder's real-time factor went from 0.18 to 0.024 and the sentences understood stayed 111 of 120.
"""

from __future__ import annotations

import math
import tempfile
from collections import defaultdict
from pathlib import Path

DIGITS = 4
"""Costs are compared rounded to this many decimals when states are merged."""
MAX_STATES = 200_000
"""Determinising can in theory multiply states; past this many, the decoder keeps the JSGF graph as it is."""

Arc = tuple[int, int, float, str | None]
"""From state, to state, cost, word (None: an empty arc)."""


class TooLarge(Exception):
    """The deterministic automaton would have more than MAX_STATES states."""


def compile_grammar(jsgf_file: Path, language_weight: float) -> str:
    """The FSG text of `jsgf_file`'s public rule (`<command>`, without repetition: stt/grammar.py makes no `*` or
    `+`) as a minimal deterministic automaton, scored as the decoder would score the JSGF itself with
    `language_weight`. Raises TooLarge."""
    return write_fsg(*minimise(*determinise(*jsgf_graph(jsgf_file, language_weight))))


def jsgf_graph(jsgf_file: Path, language_weight: float) -> tuple[list[Arc], int, int]:
    """The graph PocketSphinx itself makes of the JSGF file's `<command>` (one path per alternative): its arcs,
    start state and final state."""
    import pocketsphinx

    grammar = pocketsphinx.Jsgf(str(jsgf_file))
    rule = grammar.get_rule(f"{grammar.get_name()}.command")
    with tempfile.TemporaryDirectory() as folder:  # an FSG model can only be written to a file
        graph = Path(folder) / "graph.fsg"
        grammar.build_fsg(rule, pocketsphinx.LogMath(), language_weight).writefile(str(graph))
        return read_fsg(graph.read_text(encoding="utf-8"))


def read_fsg(text: str) -> tuple[list[Arc], int, int]:
    """The arcs, start state and final state of a PocketSphinx FSG file's text."""
    arcs: list[Arc] = []
    start = final = 0
    for line in text.splitlines():
        fields = line.split()
        if fields and fields[0] == "START_STATE":
            start = int(fields[1])
        elif fields and fields[0] == "FINAL_STATE":
            final = int(fields[1])
        elif fields and fields[0] == "TRANSITION":
            word = fields[4] if len(fields) > 4 else None
            arcs.append((int(fields[1]), int(fields[2]), -math.log(float(fields[3])), word))
    return arcs, start, final


def determinise(arcs: list[Arc], start: int, final: int) -> tuple[list[Arc], dict[int, float]]:
    """Weighted subset construction (Mohri) of an acyclic graph: each new state is a set of old states with the
    cost still owed on each; returns the word arcs from state 0 and each accepting state's final cost."""
    empty: dict[int, list[tuple[int, float]]] = defaultdict(list)
    words: dict[int, list[tuple[str, int, float]]] = defaultdict(list)
    for source, target, cost, word in arcs:
        if word is None:
            empty[source].append((target, cost))
        else:
            words[source].append((word, target, cost))

    def closure(owed: dict[int, float]) -> dict[int, float]:
        best, todo = dict(owed), list(owed)
        while todo:
            state = todo.pop()
            for target, cost in empty[state]:
                if best[state] + cost < best.get(target, math.inf):
                    best[target] = best[state] + cost
                    todo.append(target)
        return best

    subsets = [closure({start: 0.0})]
    numbers = {_key(subsets[0]): 0}
    out: list[Arc] = []
    finals: dict[int, float] = {}
    for number, subset in enumerate(subsets):  # grows while it is read
        if final in subset:
            finals[number] = subset[final]
        reached: dict[str, dict[int, float]] = defaultdict(dict)
        for state, owed in subset.items():
            for word, target, cost in words[state]:
                reached[word][target] = min(reached[word].get(target, math.inf), owed + cost)
        for word, targets in reached.items():
            least = min(targets.values())
            subset_after = closure({target: cost - least for target, cost in targets.items()})
            key = _key(subset_after)
            if key not in numbers:
                if len(subsets) == MAX_STATES:
                    raise TooLarge(f"more than {MAX_STATES} states")
                numbers[key] = len(subsets)
                subsets.append(subset_after)
            out.append((number, numbers[key], least, word))
    return out, finals


def minimise(arcs: list[Arc], finals: dict[int, float]) -> tuple[list[tuple[float | None, list[tuple[str, float, int]]]], int]:
    """Push costs toward the start, then merge states whose futures are the same (acyclic, so one pass from the
    last states back). Returns each merged state's final cost (None if not accepting) and arcs (word, cost,
    target), and the start state."""
    leaving: dict[int, list[tuple[int, float, str]]] = defaultdict(list)
    for source, target, cost, word in arcs:
        leaving[source].append((target, cost, word or ""))
    to_end: dict[int, float] = {}
    merged: dict[int, int] = {}
    signatures: dict[tuple, int] = {}
    states: list[tuple[float | None, list[tuple[str, float, int]]]] = []
    for state in _after_children(leaving, 0):
        to_end[state] = min([finals.get(state, math.inf)] + [cost + to_end[t] for t, cost, _ in leaving[state]])
        final = finals[state] - to_end[state] if state in finals else None
        out = sorted((word, round(cost + to_end[t] - to_end[state], DIGITS), merged[t]) for t, cost, word in leaving[state])
        signature = (None if final is None else round(final, DIGITS), tuple(out))
        if signature not in signatures:
            signatures[signature] = len(states)
            states.append((final, out))
        merged[state] = signatures[signature]
    return states, merged[0]


def write_fsg(states: list[tuple[float | None, list[tuple[str, float, int]]]], start: int) -> str:
    """PocketSphinx FSG text: probabilities from costs, and one final state reached by empty arcs."""
    end = len(states)
    lines = ["FSG_BEGIN commands", f"NUM_STATES {end + 1}", f"START_STATE {start}", f"FINAL_STATE {end}"]
    for number, (final, out) in enumerate(states):
        lines += [f"TRANSITION {number} {target} {math.exp(-cost):.6g} {word}" for word, cost, target in out]
        if final is not None:
            lines.append(f"TRANSITION {number} {end} {math.exp(-final):.6g}")
    return "\n".join(lines + ["FSG_END"]) + "\n"


def _key(subset: dict[int, float]) -> tuple[tuple[int, float], ...]:
    return tuple(sorted((state, round(cost, DIGITS)) for state, cost in subset.items()))


def _after_children(leaving: dict[int, list[tuple[int, float, str]]], root: int) -> list[int]:
    """The states reachable from `root`, each after every state it leads to (an acyclic graph)."""
    order: list[int] = []
    seen = {root}
    stack = [(root, iter(leaving[root]))]
    while stack:
        state, children = stack[-1]
        for target, _, _ in children:
            if target not in seen:
                seen.add(target)
                stack.append((target, iter(leaving[target])))
                break
        else:
            stack.pop()
            order.append(state)
    return order
