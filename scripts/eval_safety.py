"""How reliably disclosures reach the safety flow, and how rarely ordinary talk does.

Default: the shipped rules and models on the held-out safety personas (tests/data/safety/): recall per kind of
disclosure and false alarms on their ordinary conflict sentences; then false alarms on every intent persona's
sentences and on CLINC150. --dev adds the development personas the rules were written against (in-sample).
--cv: the disclosure model alone, each development persona held out in turn, at several thresholds.

Usage: python scripts/eval_safety.py [--dev] [--cv] [--verbose] [--cache DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml

from assistant.session import build_matcher
from assistant.settings import Settings
from assistant.understanding import training
from assistant.understanding.matcher import SAFETY_INTENT, Matcher

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "data" / "safety"


def disclosures(matcher: Matcher, files: list[Path], title: str, verbose: bool) -> None:
    examples = training.disclosure_examples(files)
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    by_persona: dict[str, Counter[str]] = {}
    alarms = ordinary = 0
    for e in examples:
        hit = matcher.match(e.text).intent == SAFETY_INTENT
        counts = by_persona.setdefault(e.group, Counter())
        counts["alarms" if e.intent == training.NO_DISCLOSURE else "found"] += hit
        counts["ordinary" if e.intent == training.NO_DISCLOSURE else "disclosures"] += 1
        if e.intent == training.NO_DISCLOSURE:
            ordinary += 1
            alarms += hit
            if verbose and hit:
                print(f"  false alarm [{e.group}]: {e.text!r}")
        else:
            total[e.slots["kind"]] += 1
            found[e.slots["kind"]] += hit
            if verbose and not hit:
                print(f"  missed [{e.group} {e.slots['kind']}]: {e.text!r}")
    print(f"\n== {title}")
    for kind in total:
        print(f"  {kind:11} {found[kind]:4}/{total[kind]:<4} {100 * found[kind] / total[kind]:6.1f}%")
    print(f"  {'all':11} {sum(found.values()):4}/{sum(total.values()):<4} {100 * sum(found.values()) / sum(total.values()):6.1f}%")
    print(f"  false alarms on ordinary conflict talk: {alarms}/{ordinary} = {100 * alarms / ordinary:.2f}%")
    print("  per persona: " + ", ".join(f"{name} {c['found']}/{c['disclosures']} (false alarms {c['alarms']}/{c['ordinary']})"
                                        for name, c in by_persona.items()))


def false_alarms(matcher: Matcher, title: str, texts: list[str], verbose: bool) -> None:
    alarms = [t for t in texts if matcher.match(t).intent == SAFETY_INTENT]
    print(f"  {title}: {len(alarms)}/{len(texts)} = {100 * len(alarms) / len(texts):.2f}%")
    for text in alarms if verbose else ():
        print(f"    {text!r}")


def cross_validate() -> None:
    """The disclosure model alone, trained without one development persona and tested on it."""
    from assistant.understanding import intents, trained
    from assistant.resources import shipped

    catalog = intents.load()
    files = training.safety_files()
    scores: list[tuple[str, float]] = []
    original = training.disclosure_examples
    for held in files:
        print(f"training without {held.stem} …", flush=True)
        training.disclosure_examples = lambda _files, held=held: original([f for f in files if f != held])  # type: ignore[assignment]
        try:
            models = trained.train(catalog, shipped("intents"))
        finally:
            training.disclosure_examples = original
        model = models.disclosure
        matcher = Matcher(catalog, models)
        none = model.classes.index(training.NO_DISCLOSURE)
        for e in original([held]):
            vector = matcher._prepare(e.text)[3]
            scores.append((e.intent, 1.0 - float(model.probabilities(vector)[none])))
    positive = np.array([s for label, s in scores if label != training.NO_DISCLOSURE])
    negative = np.array([s for label, s in scores if label == training.NO_DISCLOSURE])
    print("\ndisclosure model alone, each development persona held out:")
    for threshold in (0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        print(f"  threshold {threshold:.2f}: recall {100 * (positive >= threshold).mean():5.1f}%   "
              f"false alarms on ordinary talk {100 * (negative >= threshold).mean():5.2f}%")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dev", action="store_true", help="also the development personas (in-sample for the rules)")
    parser.add_argument("--cv", action="store_true", help="cross-validate the disclosure model alone")
    parser.add_argument("--verbose", action="store_true", help="print every miss and false alarm")
    parser.add_argument("--cache", help="model cache folder (default: a temporary one)")
    args = parser.parse_args()
    if args.cv:
        cross_validate()
        return
    matcher = build_matcher(replace(Settings(), cache_dir=args.cache or tempfile.mkdtemp(prefix="kindly-eval-")),
                            notice=lambda text: print(text, flush=True))
    held = sorted(HELD_OUT.glob("*.yaml"))
    disclosures(matcher, held, f"held-out safety personas ({', '.join(f.stem for f in held)}), never trained or tuned on", args.verbose)
    if args.dev:
        dev = training.safety_files()
        disclosures(matcher, dev, "development personas (the rules were written against these; in-sample)", args.verbose)
    print("\n== false alarms on sentences that disclose nothing")
    intents_folder = ROOT / "intents"
    persona = training.persona_examples(training.persona_files(intents_folder))
    false_alarms(matcher, "training personas' sentences to Kindly", [e.text for e in persona], args.verbose)
    heldout = training.persona_examples(sorted((ROOT / "tests" / "data" / "personas").glob("*.yaml")))
    false_alarms(matcher, "held-out personas' sentences to Kindly", [e.text for e in heldout], args.verbose)
    for name in ("heldout", "heldout2"):
        harsh = yaml.safe_load((ROOT / "tests" / "data" / "harsh" / f"{name}.yaml").read_text(encoding="utf-8"))
        texts = [item["text"] for items in harsh["topics"].values() for item in items]
        false_alarms(matcher, f"held-out harsh complaints (tests/data/harsh/{name}.yaml: ordinary conflict)", texts, args.verbose)
    clinc = [e.text for e in training.clinc_examples(set())]
    false_alarms(matcher, "CLINC150 train+val (negatives of the disclosure model: in-sample for it)", clinc, args.verbose)


if __name__ == "__main__":
    main()
