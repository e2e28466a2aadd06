"""Say it kindly, measured: every harsh sentence of a file rephrased three ways, each version checked
(tests/rephrase_checks.py), the pass rate printed per check, and seeded random before/after pairs to read.

Usage: .venv/bin/python scripts/eval_rephrase.py [dev|heldout ...] [--pairs 30] [--seed 14] [--failures]
Sets: dev (assistant/understanding/data/complaints.yaml, which the rules were tuned on) and heldout
(tests/data/harsh/heldout.yaml, written by another helper and never used to tune them). Default: both.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VERSIONS = 3


def main() -> int:
    from assistant.conversation.rephrase import Rephraser
    from tests.rephrase_checks import CHECKS, cases, failures

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=["dev", "heldout", "heldout2"], help="dev, heldout, or a file under tests/data/harsh (default: dev heldout heldout2)")
    parser.add_argument("--pairs", type=int, default=30, help="before/after pairs to print, picked at random")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--failures", action="store_true", help="print every failing suggestion")
    args = parser.parse_args()
    rephraser = Rephraser()
    pairs = []
    for name in args.sets:
        try:
            items = cases(name)
        except OSError as error:
            print(f"eval_rephrase: cannot read the set {name!r} ({error.strerror})", file=sys.stderr)
            return 2
        passed = {check: 0 for check in CHECKS}
        clean = total = 0
        topics = {c["topic"] for c in items}
        for case in items:
            draft = rephraser.draft(case["text"])
            for version in range(VERSIONS):
                out = rephraser.suggest(draft, version) if draft else None
                failed = failures(case, out)
                total += 1
                clean += not failed
                for check in CHECKS:
                    passed[check] += check not in failed
                if args.failures and failed:
                    print(f"  FAIL {', '.join(failed)}\n    {case['text']}\n    -> {out}")
                pairs.append((name, case["text"], out, version))
        print(f"{name}: {len(items)} harsh sentences, {len(topics)} topics, {total} suggestions")
        for check, count in passed.items():
            print(f"  {check:32} {count:4}/{total} {100 * count / total:5.1f}%")
        print(f"  {'all checks':32} {clean:4}/{total} {100 * clean / total:5.1f}%")
    if args.pairs:
        print(f"\n{args.pairs} before/after pairs (seed {args.seed}):")
        for name, before, after, version in random.Random(args.seed).sample(pairs, min(args.pairs, len(pairs))):
            print(f"- [{name}, version {version + 1}] {before}\n  -> {after}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
