"""Which development sentences change verdict between two disclosure rule files: the check before landing new
rules or figures. A new figure can hide a disclosure an older rule found, and a new rule can take ordinary talk.

Every development sentence (the safety personas' disclosures and ordinary talk, the intent personas' sentences, the
harsh complaints, CLINC150 train+val; never the held-out files under tests/data) is read with each rules file, the
trained models shared. Prints each sentence whose verdict changed (GAINED, LOST, NEW ALARM, FIXED ALARM), then a
summary line; a landing wants no LOST and no NEW ALARM.

Usage: python scripts/replay_rules.py OLD_RULES [NEW_RULES] [--match REGEX] [--cache DIR]
  OLD_RULES   the rules before the change, e.g. git show main:assistant/understanding/disclosures.yaml > /tmp/old.yaml
  NEW_RULES   default: assistant/understanding/disclosures.yaml
  --match     only sentences matching this regular expression, to replay the words of a narrowed rule quickly
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from assistant.errors import DataFileError, KindlyError
from assistant.resources import shipped
from assistant.understanding import intents, trained, training
from assistant.understanding.matcher import Matcher
from assistant.understanding.safety import RULES, DisclosureDetector

ROOT = Path(__file__).resolve().parent.parent


def development_sentences() -> list[tuple[str, bool, str]]:
    """(text, is a disclosure, group) for every development sentence."""
    found = [(e.text, e.intent != training.NO_DISCLOSURE, e.group) for e in training.disclosure_examples(training.safety_files())]
    found += [(e.text, False, e.group) for e in training.persona_examples(training.persona_files(ROOT / "intents"))]
    found += [(e.text, False, "complaints") for e in training.complaint_examples()]
    found += [(e.text, False, "clinc150") for e in training.clinc_examples(set())]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("old", type=Path, help="the rules file before the change")
    parser.add_argument("new", type=Path, nargs="?", default=RULES, help="the rules file after it (default: the shipped one)")
    parser.add_argument("--match", help="only sentences matching this regular expression (case-insensitive)")
    parser.add_argument("--cache", type=Path, help="model cache folder (default: a temporary one)")
    args = parser.parse_args()
    try:
        pattern = re.compile(args.match or "", re.IGNORECASE)
    except re.error as error:
        sys.exit(f"replay_rules: --match {args.match!r} is not a regular expression ({error})")
    cache = args.cache or Path(tempfile.mkdtemp(prefix="kindly-replay-"))
    try:
        folder = shipped("intents")
        catalog = intents.load(folder)
        models = trained.load_or_train(catalog, folder, cache, lambda text: print(text, file=sys.stderr, flush=True))
        before = Matcher(catalog, models, detector=DisclosureDetector(args.old, cache_dir=cache))
        after = Matcher(catalog, models, detector=DisclosureDetector(args.new, cache_dir=cache))
    except DataFileError as error:
        sys.exit(f"replay_rules: {'; '.join(error.problems)}: give a readable rules file")
    except KindlyError as error:
        sys.exit(f"replay_rules: {error}")
    sentences = [s for s in development_sentences() if pattern.search(s[0])]
    counts = {"GAINED": 0, "LOST": 0, "NEW ALARM": 0, "FIXED ALARM": 0}
    for done, (text, disclosure, group) in enumerate(sentences, 1):
        was, now = before.disclosure(text) is not None, after.disclosure(text) is not None
        if was != now:
            change = ("GAINED" if now else "LOST") if disclosure else ("NEW ALARM" if now else "FIXED ALARM")
            counts[change] += 1
            print(f"{change} [{group}] {text}", flush=True)
        if done % 20000 == 0:
            print(f"  {done}/{len(sentences)} sentences read", file=sys.stderr, flush=True)
    print(f"{len(sentences)} sentences: " + ", ".join(f"{n} {change.lower()}" for change, n in counts.items()))


if __name__ == "__main__":
    main()
