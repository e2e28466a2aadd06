"""Print the matcher's accuracy on a sentence file (tests/data/heldout.yaml by default).

Usage: python scripts/eval_matcher.py [FILE.yaml] [--verbose]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from assistant import intents
from assistant.matcher import SAFETY_INTENT, Matcher


def evaluate(path: Path, verbose: bool = False) -> dict[str, tuple[int, int]]:
    """(correct, total) for in-scope, out-of-scope and crisis sentences."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    matcher = Matcher(intents.load())
    results: dict[str, tuple[int, int]] = {}
    cases = {
        "in_scope": [(s, name) for name, sentences in data["in_scope"].items() for s in sentences],
        "out_of_scope": [(s, None) for s in data["out_of_scope"]],
        "crisis": [(s, SAFETY_INTENT) for s in data["crisis"]],
    }
    for group, items in cases.items():
        correct = 0
        for sentence, expected in items:
            match = matcher.match(sentence)
            correct += match.intent == expected
            if verbose and match.intent != expected:
                print(f"  {group}: {sentence!r} -> {match.intent} {match.confidence:.2f} (want {expected}; runners {match.runners_up[:2]})")
        results[group] = (correct, len(items))
    return results


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "tests" / "data" / "heldout.yaml"
    for group, (correct, total) in evaluate(path, "--verbose" in sys.argv).items():
        print(f"{group:13} {correct:4}/{total:<4} {100 * correct / total:5.1f}%")


if __name__ == "__main__":
    main()
