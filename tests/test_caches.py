"""Models built for old versions or old intent files do not pile up in the cache."""

from __future__ import annotations

import os
import time
from pathlib import Path

from assistant.stt import sphinx_engine
from assistant.understanding import intents

COFFEE = Path(__file__).parent / "data" / "coffee"


def _aged(folder: Path, days: float) -> Path:
    folder.mkdir(parents=True)
    (folder / "kindly.lm").write_text("an old model\n", encoding="utf-8")
    when = time.time() - days * 86_400
    os.utime(folder, (when, when))
    return folder


def test_building_a_model_removes_those_unused_for_a_month_and_keeps_the_rest(tmp_path: Path) -> None:
    import pocketsphinx

    cache = tmp_path / "cache"
    stale = _aged(cache / "pocketsphinx" / "0123456789abcdef", days=45)
    recent = _aged(cache / "pocketsphinx" / "fedcba9876543210", days=3)
    mean = cache / "pocketsphinx" / sphinx_engine.MEAN_FILE
    mean.write_text("40,3,-1\n", encoding="utf-8")
    model = Path(pocketsphinx.get_model_path()) / "en-us"

    lm, _ = sphinx_engine.build_language_model(intents.load(COFFEE), model, cache, intents_folder=COFFEE)

    assert lm.is_file()
    assert not stale.exists()
    assert recent.is_dir() and mean.is_file()


def test_a_model_in_use_is_kept_however_old_it_was_built(tmp_path: Path) -> None:
    import pocketsphinx

    cache = tmp_path / "cache"
    model = Path(pocketsphinx.get_model_path()) / "en-us"
    lm, _ = sphinx_engine.build_language_model(intents.load(COFFEE), model, cache, intents_folder=COFFEE)
    long_ago = time.time() - 90 * 86_400
    os.utime(lm.parent, (long_ago, long_ago))

    sphinx_engine.build_language_model(intents.load(COFFEE), model, cache, intents_folder=COFFEE)  # used today
    other = sphinx_engine.build_language_model(intents.load(COFFEE), model, cache, "hey coffee", COFFEE)[0]

    assert other.parent != lm.parent
    assert lm.is_file()


def test_caches_are_keyed_only_on_the_safety_files_they_learn_from(tmp_path: Path, monkeypatch) -> None:
    """A safety persona added with its switches off (measured first, rules written against it) rebuilds neither
    the disclosure model nor the language model, so adding development data does not slow every start and CI."""
    from assistant.resources import shipped
    from assistant.stt import corpus
    from assistant.understanding import trained, training

    used = tmp_path / "used.yaml"
    used.write_text("disclosures: {}\nordinary: []\n", encoding="utf-8")
    new = tmp_path / "new.yaml"
    new.write_text("rules: false\nlanguage_model: false\ndisclosure_model: false\ndisclosures: {}\nordinary: []\n", encoding="utf-8")
    monkeypatch.setattr(training, "SAFETY", tmp_path)

    assert used in trained.sources(shipped("intents")) and used in corpus.natural_sources(None)
    assert new not in trained.sources(shipped("intents")) and new not in corpus.natural_sources(None)
    assert training.safety_files() == [new, used] and training.safety_files("rules") == [used]
