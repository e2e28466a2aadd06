"""How well Kindly understands sentences written by people it never learnt from.

Default: the shipped models (trained on intents/training/*) on the held-out personas in tests/data/personas/:
in-scope accuracy, out-of-scope rejection, slot accuracy, per-intent recall and precision, the worst
confusions and how well confidence is calibrated.
--cv: grouped cross-validation instead: each training persona held out in turn (trained on the other seven),
and CLINC150 intents held out by fifths (the rate at which unseen general-assistant requests pass as Kindly's).
--compare: the intent model trained four ways (templates and CLINC150 only, or with the persona sentences; word
and character n-grams alone, or with WordLlama's meaning too), each scored on the held-out personas.

Usage: python scripts/eval_matcher.py [--cv | --compare] [--verbose] [--cache DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from assistant.resources import shipped
from assistant.settings import Settings
from assistant.understanding import intents, trained, training
from assistant.understanding.matcher import SAFETY_INTENT, Matcher
from assistant.understanding.normalize import normalise
from assistant.session import build_matcher

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "data" / "personas"
TEXT_SLOTS = {"text", "message", "topic"}


def slot_right(expected: object, got: object) -> bool:
    if isinstance(expected, (int, float)) or str(expected) in ("finances", "intimacy", "decisions", "responsibilities"):
        return str(expected) == str(got)
    return fuzz.token_set_ratio(normalise(str(expected)), normalise(str(got or ""))) >= 80


def said(slots: dict, name: str) -> object:
    """A slot's value in a match. An agreement's topic that names a theme carries the theme (slots.yaml:
    topic resolves to theme), so a sentence labelled with a theme is right when its topic is that theme."""
    return slots.get(name, slots.get("topic") if name == "theme" else None)


def score(matcher: Matcher, examples: list[training.Example], verbose: bool = False) -> dict:
    """Predictions against labels: counts that the report prints."""
    rows = []
    for e in examples:
        match = matcher.match(e.text)
        want = None if e.intent == training.OUT_OF_SCOPE else e.intent
        slots = {k: v for k, v in e.slots.items() if k in ("minutes", "theme", "dynamic", "practice", "feeling", *TEXT_SLOTS)}
        slots_ok = match.intent == want and all(slot_right(v, said(match.slots, k)) for k, v in slots.items())
        rows.append((e, want, match, bool(slots), slots_ok))
        if verbose and (match.intent != want or not slots_ok):
            print(f"  [{e.group}] {e.text!r} -> {match.intent} {match.confidence:.2f} {match.slots} (want {want} {slots})")
    return {"rows": rows}


def report(title: str, rows: list) -> None:
    inscope = [r for r in rows if r[1] is not None]
    oos = [r for r in rows if r[1] is None]
    right = sum(r[2].intent == r[1] for r in inscope)
    safety = sum(r[2].intent == SAFETY_INTENT for r in rows)
    print(f"\n== {title}")
    print(f"in-scope accuracy   {right}/{len(inscope)} = {100 * right / max(len(inscope), 1):.1f}%")
    asked = sum(r[2].intent is None and r[2].candidate == r[1] for r in inscope)
    print(f"  answered 'I didn't follow' though the best guess was right: {asked}")
    print(f"out-of-scope reject {sum(r[2].intent is None for r in oos)}/{len(oos)} = {100 * sum(r[2].intent is None for r in oos) / max(len(oos), 1):.1f}%")
    with_slots = [r for r in inscope if r[3]]
    print(f"slot accuracy       {sum(r[4] for r in with_slots)}/{len(with_slots)} = {100 * sum(r[4] for r in with_slots) / max(len(with_slots), 1):.1f}% (intent and every labelled slot right)")
    print(f"sent to safety      {safety} of {len(rows)} (none of these sentences is a disclosure)")
    _per_intent(rows)
    _calibration(rows)


def _per_intent(rows: list) -> None:
    wanted = Counter(r[1] for r in rows)
    got = Counter(r[2].intent for r in rows)
    both = Counter(r[1] for r in rows if r[2].intent == r[1])
    print(f"{'intent':18} {'recall':>8} {'precision':>10}  n")
    for name in sorted(wanted, key=lambda n: (n is None, n or "")):
        recall = both[name] / wanted[name]
        precision = both[name] / got[name] if got[name] else 0.0
        print(f"{name or '(out of scope)':18} {100 * recall:7.1f}% {100 * precision:9.1f}%  {wanted[name]}")
    confusions = Counter((r[1], r[2].intent) for r in rows if r[2].intent != r[1])
    print("worst confusions (wanted -> got):")
    for (want, got_intent), count in confusions.most_common(10):
        print(f"  {count:3}  {want or '(out of scope)'} -> {got_intent or '(out of scope)'}")


def _calibration(rows: list) -> None:
    """Accuracy of the best guess within bands of confidence: a calibrated model's 0.8 is right 80% of the time."""
    print("calibration (confidence band: how often the best guess was right, n):")
    edges = [0.0, 0.3, 0.5, 0.7, 0.9, 1.01]
    for low, high in zip(edges, edges[1:]):
        band = [r for r in rows if low <= r[2].confidence < high and r[2].intent != SAFETY_INTENT]
        if band:
            right = sum((r[2].candidate if r[1] is not None else None) == r[1] or (r[1] is None and r[2].intent is None) for r in band)
            print(f"  {low:.1f}-{min(high, 1.0):.1f}: {100 * right / len(band):5.1f}%  ({len(band)})")


def _thresholds(rows: list) -> None:
    """What each reject and accept level would do on out-of-fold predictions: the basis of the settings' defaults."""
    print("thresholds on held-out folds (in scope acted on right / asked 'did you mean' / wrong; out of scope rejected):")
    inscope = [r for r in rows if r[1] is not None and r[2].intent != SAFETY_INTENT]
    oos = [r for r in rows if r[1] is None and r[2].intent != SAFETY_INTENT]
    for reject in (0.3, 0.4, 0.5):
        for accept in (0.5, 0.6, 0.7, 0.8):
            if accept < reject:
                continue
            acted = [r for r in inscope if r[2].confidence >= accept and r[2].candidate is not None]
            right = sum(r[2].candidate == r[1] for r in acted)
            asked = sum(reject <= r[2].confidence < accept for r in inscope)
            rejected = sum(r[2].confidence < reject for r in oos)
            print(f"  reject {reject:.1f} accept {accept:.1f}: right {100 * right / len(inscope):5.1f}%  asked {100 * asked / len(inscope):5.1f}%  "
                  f"wrong {100 * (len(acted) - right) / len(inscope):4.1f}%  |  out of scope rejected {100 * rejected / len(oos):5.1f}%")


def cross_validate(verbose: bool) -> None:
    folder = shipped("intents")
    catalog = intents.load(folder)
    files = training.persona_files(folder)
    rows: list = []
    for held in files:
        print(f"training without {held.stem} …", flush=True)
        models = _train(catalog, folder, [f for f in files if f != held], clinc_skip=set())
        rows += score(Matcher(catalog, models), training.persona_examples([held]), verbose)["rows"]
    report(f"grouped cross-validation: each of {len(files)} training personas held out in turn", rows)
    _thresholds(rows)
    clinc = [e for e in training.clinc_examples(catalog.intents) if e.intent == training.OUT_OF_SCOPE]
    names = sorted({e.text for e in clinc})  # stable order
    del names
    groups = sorted({_clinc_intent(e) for e in clinc})
    passed = total = 0
    for fold in range(5):
        held_intents = set(groups[fold::5])
        print(f"training without a fifth of CLINC150's intents ({len(held_intents)}) …", flush=True)
        models = _train(catalog, folder, files, clinc_skip=held_intents)
        matcher = Matcher(catalog, models)
        for e in clinc:
            if _clinc_intent(e) in held_intents:
                total += 1
                passed += matcher.match(e.text).intent is not None
    print(f"\nCLINC150 requests of intents never trained on, taken as a Kindly intent: {passed}/{total} = {100 * passed / total:.2f}%")


_CLINC_OF: dict[str, str] = {}


def _clinc_intent(example: training.Example) -> str:
    if not _CLINC_OF:
        import csv

        with open(training.CLINC, encoding="utf-8") as rows:
            for row in csv.reader((line for line in rows if not line.startswith("#")), delimiter="\t"):
                _CLINC_OF[row[0]] = row[1]
    return _CLINC_OF.get(example.text, "oos")


def compare() -> None:
    """The choices behind the shipped intent model, each measured on the held-out personas."""
    folder = shipped("intents")
    catalog = intents.load(folder)
    files = training.persona_files(folder)
    held = training.persona_examples(sorted(HELD_OUT.glob("*.yaml")))
    words_only = replace(trained.INTENT_OPTIONS, embedding_weight=0.0)
    for name, persona, options in (
        ("templates + CLINC150, word/char n-grams", [], words_only),
        ("templates + CLINC150, n-grams + WordLlama", [], trained.INTENT_OPTIONS),
        ("+ persona sentences, word/char n-grams", files, words_only),
        ("+ persona sentences, n-grams + WordLlama (shipped)", files, trained.INTENT_OPTIONS),
    ):
        rows = score(Matcher(catalog, _train(catalog, folder, persona, set(), options)), held)["rows"]
        inscope = [r for r in rows if r[1] is not None]
        oos = [r for r in rows if r[1] is None]
        print(f"{name:52} in scope {100 * sum(r[2].intent == r[1] for r in inscope) / len(inscope):5.1f}%   "
              f"out of scope rejected {100 * sum(r[2].intent is None for r in oos) / len(oos):5.1f}%", flush=True)


def _train(catalog: intents.Catalog, folder: Path, files: list[Path], clinc_skip: set[str],
           options: "training.Options | None" = None) -> trained.Models:
    original = (training.persona_files, training.clinc_examples, trained.INTENT_OPTIONS)
    clinc_all = training.clinc_examples
    training.persona_files = lambda _folder: files  # type: ignore[assignment]
    training.clinc_examples = lambda known: [e for e in clinc_all(known) if _clinc_intent(e) not in clinc_skip]  # type: ignore[assignment]
    trained.INTENT_OPTIONS = options or trained.INTENT_OPTIONS
    try:
        return trained.train(catalog, folder)
    finally:
        training.persona_files, training.clinc_examples, trained.INTENT_OPTIONS = original


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv", action="store_true", help="grouped cross-validation over the training personas")
    parser.add_argument("--compare", action="store_true", help="the intent model trained four ways, on the held-out personas")
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument("--cache", help="model cache folder (default: a temporary one)")
    args = parser.parse_args()
    if args.cv:
        cross_validate(args.verbose)
        return
    if args.compare:
        compare()
        return
    cache = args.cache or tempfile.mkdtemp(prefix="kindly-eval-")
    matcher = build_matcher(replace(Settings(), cache_dir=cache), notice=lambda text: print(text, flush=True))
    files = sorted(HELD_OUT.glob("*.yaml"))
    rows = score(matcher, training.persona_examples(files), args.verbose)["rows"]
    report(f"held-out personas ({', '.join(f.stem for f in files)}), never trained on", rows)
    for f in files:
        part = [r for r in rows if r[0].group == f.stem]
        inscope = [r for r in part if r[1] is not None]
        oos = [r for r in part if r[1] is None]
        print(f"  {f.stem:12} in scope {100 * sum(r[2].intent == r[1] for r in inscope) / len(inscope):5.1f}%   "
              f"rejected {100 * sum(r[2].intent is None for r in oos) / max(len(oos), 1):5.1f}%")


if __name__ == "__main__":
    main()
