"""The most common English words, ranked by the general language model inside the `pocketsphinx` wheel.

Both engines mix them into what they listen for, so speech outside Kindly's sentences comes out as the
ordinary words it is, not as the nearest intent. Computed once (about half a second) and cached.
"""

from __future__ import annotations

import os
from pathlib import Path

COUNT = 3_000


def common_words(cache_dir: Path, count: int = COUNT) -> dict[str, float]:
    """Word → relative probability, for the `count` most probable words that have a pronunciation."""
    path = cache_dir / f"common-words-{count}.tsv"
    if path.is_file():
        pairs = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines())
        return {word: float(p) for word, p in pairs}
    words = _rank(count)
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text("".join(f"{w}\t{p!r}\n" for w, p in words.items()), encoding="utf-8")
    os.replace(temporary, path)
    return words


def _rank(count: int) -> dict[str, float]:
    import pocketsphinx

    model = Path(pocketsphinx.get_model_path()) / "en-us"
    decoder = pocketsphinx.Decoder(hmm=str(model / "en-us"), lm=str(model / "en-us.lm.bin"),
                                   dict=str(model / "cmudict-en-us.dict"), loglevel="FATAL")
    general = decoder.get_lm()
    scored = []
    with open(model / "cmudict-en-us.dict", encoding="utf-8") as lines:
        for line in lines:
            word = line.split(" ", 1)[0]
            if "(" in word or not word.replace("'", "").isalpha():
                continue
            scored.append((general.prob([word]), word))
    scored.sort(reverse=True)
    logmath = decoder.get_logmath()
    weights = {word: logmath.exp(score) for score, word in scored[:count]}
    total = sum(weights.values())
    return {word: weight / total for word, weight in weights.items()}
