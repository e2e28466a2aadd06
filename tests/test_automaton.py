"""The commands grammar compiled to its smallest deterministic automaton keeps every sentence and its score."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from pathlib import Path

from assistant.stt.automaton import Arc, compile_grammar, jsgf_graph, read_fsg

WEIGHT = 6.5

GRAMMAR = """#JSGF V1.0;
grammar kindly;
public <command> = [ hey kindly ] ( <break> | <stop> );
<break> = ( i need a break | i need some space | i want a break | give me a break ) [ please ];
<stop> = stop | please stop | stop it;
"""
SENTENCES = {f"{wake}{body}{please}" for wake in ("", "hey kindly ")
             for body in ("i need a break", "i need some space", "i want a break", "give me a break")
             for please in ("", " please")} | {f"{wake}{body}" for wake in ("", "hey kindly ")
                                               for body in ("stop", "please stop", "stop it")}


def test_the_automaton_hears_exactly_the_grammar_sentences_at_their_cost(tmp_path: Path) -> None:
    grammar = tmp_path / "kindly.gram"
    grammar.write_text(GRAMMAR, encoding="utf-8")
    automaton = _Walker(*read_fsg(compile_grammar(grammar, WEIGHT)))
    graph = _Walker(*jsgf_graph(grammar, WEIGHT))

    assert set(automaton.sentences()) == SENTENCES
    _assert_same_preferences(automaton, graph, SENTENCES)
    assert automaton.cost("i need a stop") == math.inf
    # One "i", one "need": the shared beginnings are decoded once, not once per alternative.
    assert automaton.states < graph.states / 2


def test_kindlys_own_commands_keep_their_sentences_in_a_tenth_of_the_states(tmp_path: Path) -> None:
    from assistant.session import build_matcher
    from assistant.settings import Settings
    from assistant.stt.engines import open_recognizer

    settings = Settings(country="US", data_dir=str(tmp_path / "data"))
    matcher = build_matcher(settings)
    recognizer = open_recognizer(settings, matcher.catalog, judge=matcher)
    compact = recognizer._grammar_file  # noqa: SLF001  (the file the commands decoder reads)
    assert compact.suffix == ".fsg"
    automaton = _Walker(*read_fsg(compact.read_text(encoding="utf-8")))
    graph = _Walker(*jsgf_graph(compact.with_name(compact.name.rsplit("-", 1)[0] + ".gram"), WEIGHT))

    assert automaton.states * 10 < graph.states
    rng = random.Random(7)
    _assert_same_preferences(automaton, graph, {graph.sample(rng) for _ in range(300)})
    assert automaton.cost("make it half an hour") < math.inf
    assert automaton.cost("half an hour make it") == math.inf


def _assert_same_preferences(automaton: _Walker, graph: _Walker, sentences: set[str]) -> None:
    """Every sentence costs what it cost in the graph, less one constant for all (pushed off the start state): the
    decoder prefers the same sentences."""
    constant = graph.cost(next(iter(sentences))) - automaton.cost(next(iter(sentences)))
    for sentence in sentences:
        assert math.isclose(graph.cost(sentence) - automaton.cost(sentence), constant, abs_tol=1e-3), sentence


class _Walker:
    """Reads a sentence's least cost through an FSG (empty arcs followed), or lists its sentences."""

    def __init__(self, arcs: list[Arc], start: int, final: int) -> None:
        self.start, self.final = start, final
        self.arcs: dict[int, list[tuple[int, float, str | None]]] = defaultdict(list)
        for source, target, cost, word in arcs:
            self.arcs[source].append((target, cost, word))
        self.states = len({a for a, *_ in arcs} | {b for _, b, *_ in arcs})

    def cost(self, sentence: str) -> float:
        costs = self._closure({self.start: 0.0})
        for word in sentence.split():
            step: dict[int, float] = {}
            for state, cost in costs.items():
                for target, arc_cost, arc_word in self.arcs[state]:
                    if arc_word == word:
                        step[target] = min(step.get(target, math.inf), cost + arc_cost)
            costs = self._closure(step)
        return costs.get(self.final, math.inf)

    def sentences(self, state: int | None = None) -> list[str]:
        state = self.start if state is None else state
        if state == self.final:
            return [""]
        return [" ".join(filter(None, (word, rest))) for target, _, word in self.arcs[state]
                for rest in self.sentences(target)]

    def sample(self, rng: random.Random) -> str:
        state, words = self.start, []
        while state != self.final:
            state, _, word = rng.choice(self.arcs[state])
            words += [word] if word else []
        return " ".join(words)

    def _closure(self, costs: dict[int, float]) -> dict[int, float]:
        best, todo = dict(costs), list(costs)
        while todo:
            state = todo.pop()
            for target, cost, word in self.arcs[state]:
                if word is None and best[state] + cost < best.get(target, math.inf):
                    best[target] = best[state] + cost
                    todo.append(target)
        return best


def test_a_grammar_whose_automaton_would_be_too_large_is_decoded_as_it_is(tmp_path: Path, monkeypatch) -> None:
    from assistant.session import build_matcher
    from assistant.settings import Settings
    from assistant.stt import automaton
    from assistant.stt.engines import open_recognizer
    from assistant.stt.sphinx_engine import build_grammar

    settings = Settings(country="US", data_dir=str(tmp_path / "data"))
    matcher = build_matcher(settings)
    dictionary = tmp_path / "kindly.dict"  # the grammar is built next to it, so nothing is cached yet
    dictionary.write_bytes(open_recognizer(settings, matcher.catalog, judge=matcher)._dict.read_bytes())  # noqa: SLF001
    monkeypatch.setattr(automaton, "MAX_STATES", 5)

    grammar = build_grammar(matcher.catalog, dictionary)
    assert grammar is not None and grammar.suffix == ".gram"
    assert "break" in grammar.read_text(encoding="utf-8")
