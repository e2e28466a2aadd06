"""How far an utterance's voice stands above the room's noise, measured on the audio the recogniser hears.

The loudest frames are the voice, the quietest the room between words (an utterance always holds some: the
endpointer's lead-in and trailing silence, the pauses of a recording); their energies' ratio, in dB, tells a quiet
room (clean real recordings: 40 dB and more, with the front end's noise floor under digital silence) from a
noisy kitchen (the barista clips with kitchen noise mixed at 6 dB by the benchmark's mixer measure 13–20 dB here).
"""

from __future__ import annotations

import math

import numpy as np

FRAME = 400
"""25 ms at 16 kHz."""
LOUD, QUIET = 95, 10
"""Percentiles of the frame energies taken for the voice and for the room."""
FEWEST_FRAMES = 20
"""Below half a second of audio there is no telling the two apart: the ratio is reported as infinite (quiet)."""


class SignalToNoise:
    """Frame energies of one utterance, fed chunk by chunk."""

    def __init__(self) -> None:
        self._energies: list[np.ndarray] = []
        self._left = np.zeros(0)

    def add(self, pcm: bytes) -> None:
        samples = np.concatenate((self._left, np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2")))
        whole = len(samples) // FRAME * FRAME
        if whole:
            frames = samples[:whole].astype(np.float64).reshape(-1, FRAME)
            self._energies.append((frames ** 2).mean(axis=1))
        self._left = samples[whole:]

    def db(self) -> float:
        """Loud over quiet frame energy in dB; infinite when too short to tell, or silent throughout."""
        if sum(len(e) for e in self._energies) < FEWEST_FRAMES:
            return math.inf
        energies = np.concatenate(self._energies)
        quiet = float(np.percentile(energies, QUIET))
        return 10 * math.log10(float(np.percentile(energies, LOUD)) / quiet) if quiet > 0 else math.inf
