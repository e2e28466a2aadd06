"""Choose the disclosure model's threshold from out-of-fold scores on the development data only.

The disclosure model is trained five times, each time without a fifth of the development groups (each safety
persona file, the harsh complaints, each intent persona, CLINC150, the templates), and scores the groups it did
not see. The matcher's decision is then replayed: a strong rule opens the safety check; a contested rule does
unless the model's score is under `overrule`; a weak rule needs `weak_support`; otherwise the model alone needs
the threshold, or `figured` where a figure of speech blanked words (`overrule` and the model alone only on sentences
of `model_words` words or more). Prints recall of disclosures and false alarms on ordinary talk for each model
threshold, then for each `overrule` and each `figured`; the held-out sets (tests/data/) are not read.

Usage: python scripts/tune_disclosure.py [--command-weight W]   (W: training.Options.command_weight to try)
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np

from assistant.resources import shipped
from assistant.session import build_matcher
from assistant.settings import load
from assistant.understanding import intents, trained, training
from assistant.understanding.matcher import model_words
from assistant.understanding.normalize import normalise

FOLDS = 5
THRESHOLDS = (0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
OVERRULES = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2)
FIGURED = (0.8, 0.85, 0.9, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description="Out-of-fold thresholds of the disclosure model.")
    parser.add_argument("--command-weight", type=float, default=trained.DISCLOSURE_OPTIONS.command_weight)
    options = replace(trained.DISCLOSURE_OPTIONS, command_weight=parser.parse_args().command_weight)
    folder = shipped("intents")
    catalog = intents.load(folder)
    persona = training.persona_examples(training.persona_files(folder))
    negatives = training.as_negatives(e for e in persona + training.clinc_examples(catalog.intents) +
                                      training.template_examples(catalog) if e.intent != trained.SAFETY_INTENT)
    examples = training.disclosure_examples(training.model_safety_files()) + training.complaint_examples() + negatives
    texts = list(dict.fromkeys(e.text for e in examples))
    prepared = trained._prepare(catalog, texts)
    space = training.feature_space(prepared)
    at = {t: i for i, t in enumerate(texts)}
    groups = sorted({e.group for e in examples})
    scores = np.zeros(len(examples))
    for fold in range(FOLDS):
        held = set(groups[fold::FOLDS])
        print(f"fold {fold + 1}/{FOLDS}: training without {len(held)} groups …", flush=True)
        train = [e for e in examples if e.group not in held]
        weights = training.example_weights(train, options)
        model = training.fit(space, prepared, [at[e.text] for e in train], [e.intent for e in train], weights, options)
        none = model.classes.index(training.NO_DISCLOSURE)
        for i, e in enumerate(examples):
            if e.group in held:
                row = at[e.text]
                vector = space.vector(prepared.norms[row], prepared.tagged[row], prepared.token_ids[row])
                scores[i] = 1.0 - model.probabilities(vector)[none]
    matcher = build_matcher(load())
    thresholds = matcher.thresholds
    norms = [normalise(e.text) for e in examples]
    rules, figured = zip(*(matcher._detector.read(n) for n in norms))
    words = [model_words(n) for n in norms]
    disclosing = [e.intent != training.NO_DISCLOSURE for e in examples]
    safety_groups = {p.stem for p in training.safety_files()}
    kinds = {"ordinary talk in safety files": lambda e: e.intent == training.NO_DISCLOSURE and e.group in safety_groups,
             "harsh complaints": lambda e: e.group == "complaints",
             "intent sentences of the personas": lambda e: e.group.startswith(training.COMMAND)}
    settings = [(f"threshold {t:.2f}", replace(thresholds, disclosure=t)) for t in THRESHOLDS]
    settings += [(f"overrule {o:.2f}", replace(thresholds, overrule=o)) for o in OVERRULES]
    settings += [(f"figured {f:.2f}", replace(thresholds, figured=f)) for f in FIGURED]
    for name, setting in settings:
        fired = [setting.discloses(r, s, n, f) for r, s, n, f in zip(rules, scores, words, figured)]
        hit = sum(f for f, d in zip(fired, disclosing) if d)
        line = f"{name}: disclosures {hit}/{sum(disclosing)} = {100 * hit / sum(disclosing):5.1f}%"
        for kind, chosen in kinds.items():
            picked = [f for f, e in zip(fired, examples) if chosen(e)]
            line += f" | {kind} {sum(picked)}/{len(picked)}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
