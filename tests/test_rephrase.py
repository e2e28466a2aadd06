"""Say it kindly: suggestions built from the person's own sentence, checked on harsh sentences written blind by
helpers (the development set the rules were tuned on, and two held-out sets that were not)."""

from __future__ import annotations

import pytest

from assistant.conversation.rephrase import Rephraser
from assistant.loop import spoken_parts
from assistant.messages import Reply
from tests.rephrase_checks import CHECKS, cases, failures

VERSIONS = 3
STRUCTURE = [name for name in CHECKS if name != "keeps the behaviour"]


@pytest.fixture(scope="module")
def rephraser() -> Rephraser:
    return Rephraser()


@pytest.fixture(scope="module")
def results(rephraser: Rephraser) -> dict[str, list[tuple[dict, str | None, list[str]]]]:
    out: dict[str, list[tuple[dict, str | None, list[str]]]] = {}
    for name in ("dev", "heldout", "heldout2"):
        rows = []
        for case in cases(name):
            draft = rephraser.draft(case["text"])
            for version in range(VERSIONS):
                suggestion = rephraser.suggest(draft, version) if draft else None
                rows.append((case, suggestion, failures(case, suggestion)))
        out[name] = rows
    return out


def test_the_sets_cover_fifteen_topics_and_at_least_150_sentences() -> None:
    dev = cases("dev")
    assert len(dev) >= 150 and len({c["topic"] for c in dev}) >= 15


@pytest.mark.parametrize("name", ["dev", "heldout", "heldout2"])
def test_almost_every_sentence_gets_a_suggestion(results: dict, name: str) -> None:
    """When none can be built, the conversation asks what happened instead (tests/golden)."""
    missing = [case["text"] for case, out, _failed in results[name] if out is None]
    assert len(missing) <= len(results[name]) * 0.05, missing[:3]


@pytest.mark.parametrize("name", ["dev", "heldout", "heldout2"])
def test_every_suggestion_has_the_shape_of_a_gentle_start_up(results: dict, name: str) -> None:
    """Spoken to "you", an I statement, one request, no command word, at most 25 words, capital I; and no
    insult, absolute or blame word of the input (held out: words no list foresaw may slip, at most 2 %)."""
    given = [(case, out, failed) for case, out, failed in results[name] if out is not None]
    shape = [(case["text"], out, failed) for case, out, failed in given if any(f in STRUCTURE and f != "no insult, absolute or blame" for f in failed)]
    assert not shape, shape[:3]
    attacks = [(case["text"], out) for case, out, failed in given if "no insult, absolute or blame" in failed]
    assert len(attacks) <= len(given) * (0.02 if name != "dev" else 0.02), attacks[:3]


@pytest.mark.parametrize(("name", "floor"), [("dev", 0.95), ("heldout", 0.8), ("heldout2", 0.8)])
def test_suggestions_keep_what_happened(results: dict, name: str, floor: float) -> None:
    """Floors below what is measured (scripts/eval_rephrase.py prints it), so a change that loses the event shows."""
    kept = [not any(f == "keeps the behaviour" for f in failed) for _case, _out, failed in results[name]]
    assert sum(kept) / len(kept) >= floor


def test_the_partner_spoken_about_is_spoken_to(rephraser: Rephraser) -> None:
    out = rephraser.rephrase("He leaves his wet towels on the bedroom floor every single morning, the lazy slob.")
    assert out is not None and "you leave your wet towels on the bedroom floor" in out.lower()
    for word in (" he ", " his ", "lazy", "slob", "every"):
        assert word not in f" {out.lower()} "


def test_never_becomes_what_did_not_happen(rephraser: Rephraser) -> None:
    assert "you didn't go to a parents evening" in rephraser.rephrase("you never once went to a parents evening this year").lower()
    assert "you don't take the bins out" in rephraser.rephrase("you never take the bins out on thursday").lower()


def test_a_wish_keeps_what_happened(rephraser: Rephraser) -> None:
    out = rephraser.rephrase("It would be courteous if you did not take telephone calls at the dinner table.")
    assert "you take telephone calls at the dinner table" in out.lower() and "not" not in out.lower().split()


def test_a_feeling_they_name_is_the_one_said(rephraser: Rephraser) -> None:
    assert "I felt embarrassed" in rephraser.rephrase("I'm mortified, you told my boss he was boring at the Christmas party")


def test_each_version_has_a_different_shape(rephraser: Rephraser) -> None:
    draft = rephraser.draft("you left the dishes in the sink for three days")
    versions = [rephraser.suggest(draft, v) for v in range(VERSIONS)]
    assert len(set(versions)) == VERSIONS
    assert versions[0].startswith("When you left the dishes") and versions[1].startswith("I love") and versions[2].startswith("I felt")
    assert all("dishes" in v for v in versions)


def test_words_without_an_event_give_no_suggestion(rephraser: Rephraser) -> None:
    assert rephraser.draft("you are unbelievable") is None
    assert rephraser.draft("you selfish idiot") is None


def test_the_suggestion_is_spoken_apart_in_the_calm_voice() -> None:
    reply = Reply('You could say: "When you left the dishes, I felt tired. Could you wash up tonight?" Want another?',
                  suggestion="When you left the dishes, I felt tired. Could you wash up tonight?")
    parts = spoken_parts(reply, "default")
    assert parts == [("You could say:", "default"), ("", ""), (reply.suggestion, "calm"), ("", ""), ("Want another?", "default")]
    slow = Reply(reply.suggestion, voice="slow", suggestion=reply.suggestion)
    assert spoken_parts(slow, "default") == [(reply.suggestion, "slow")]


def test_the_verb_table_says_what_lemminflect_says() -> None:
    """The small table the rephraser reads (content/verbs.tsv.gz) holds every word lemminflect knows, with the
    same answers; after an upgrade of lemminflect that changes them, run scripts/build_verbs.py."""
    from assistant.conversation import verbs

    expected = {form: v for form in verbs.dictionary_forms() if (v := verbs.from_lemminflect(form)) is not False}
    table = verbs._table()
    assert set(table) == set(expected), "run scripts/build_verbs.py"
    assert table == expected, "run scripts/build_verbs.py"
    assert verbs.verb("left") == verbs.Verb("leave", True, True, True, False)
    assert verbs.verb("leaves") == verbs.Verb("leave", True, False, False, True)
    assert verbs.known("sink") and verbs.verb("sink") is not None and not verbs.known("kindlyx")
