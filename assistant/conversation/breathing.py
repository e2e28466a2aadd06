"""Paced breathing: every cue is scheduled at an absolute time from the start of the exercise.

Cue k of a plan is due at `start + sum of the phases before it`, never "after the last cue finished
speaking", so slow speech on a Raspberry Pi cannot make the exercise drift. Slower or faster re-plans from the
next cycle boundary and keeps the end time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant import datafile
from assistant.resources import content

SETUP_SECONDS = 6.0
"""Time for the setup sentence (and caution) before the first cue."""
PACE_STEP = 0.15
"""How much each "slower" or "faster" changes the pace (a share of the phase lengths)."""
PACE_LIMITS = (0.7, 1.45)


@dataclass(frozen=True)
class Pattern:
    name: str
    phases: tuple[tuple[str, float], ...]
    names: tuple[str, ...] = ()

    @property
    def period(self) -> float:
        return sum(seconds for _, seconds in self.phases)

    @property
    def has_hold(self) -> bool:
        return any(kind == "hold" for kind, _ in self.phases)


@dataclass(frozen=True)
class Cue:
    at: float
    text: str


@dataclass
class Exercise:
    """One breathing session: the plan of cues, and what is left of it."""

    pattern: Pattern
    start: float
    end: float
    cues: list[Cue] = field(default_factory=list)
    pace: float = 1.0
    finished: bool = False


class Coach:
    """Builds and adjusts breathing plans from `content/breathing.yaml`. The exercise's length runs from the
    first cue to the closing line; the setup sentence comes before it."""

    def __init__(self) -> None:
        data = datafile.parse(content("breathing.yaml").read_text(encoding="utf-8"))
        self.data = data
        self.patterns = {name: Pattern(name, tuple((k, float(s)) for k, s in p["phases"]), tuple(p.get("names", ())))
                         for name, p in data["patterns"].items()}
        self.default = data["default"]
        self.session_seconds = float(data["session_seconds"])
        self.counted_cycles = int(data["counted_cycles"])

    def find(self, text: str) -> str | None:
        """The pattern named in a sentence ("box breathing" → box), or None."""
        lowered = text.lower()
        for pattern in self.patterns.values():
            if any(name in lowered for name in (pattern.name.replace("_", " "), *pattern.names)):
                return pattern.name
        return None

    def begin(self, now: float, pattern_name: str | None = None, seconds: float | None = None) -> tuple[Exercise, list[str]]:
        """A new exercise and its opening lines (setup, and the caution for patterns with a hold)."""
        pattern = self.patterns[pattern_name or self.default]
        start = now + SETUP_SECONDS
        length = seconds or self.session_seconds
        cycles = max(1, round(length / pattern.period))
        # Stretch or shrink the pace a little (a few percent) so whole cycles fill the length exactly.
        pace = length / (cycles * pattern.period)
        exercise = Exercise(pattern, start, start + length, pace=pace)
        exercise.cues = self._plan(pattern, start, exercise.end, pace, first_cycle=0)
        opening = [self.data["setup"][0]]
        if pattern.has_hold:
            opening.append(self.data["caution"][0])
        return exercise, opening

    def due(self, exercise: Exercise, now: float) -> list[str]:
        """Cues whose time has come (and the closing line once the exercise is over)."""
        spoken = []
        while exercise.cues and exercise.cues[0].at <= now:
            spoken.append(exercise.cues.pop(0).text)
        if not exercise.cues and not exercise.finished and now >= exercise.end:
            exercise.finished = True
            spoken.append(self.data["finish"][0])
        return spoken

    def adjust(self, exercise: Exercise, now: float, slower: bool) -> str:
        """Change the pace from the next cycle boundary on; the exercise still ends at its end time."""
        exercise.pace = min(PACE_LIMITS[1], max(PACE_LIMITS[0], exercise.pace + (PACE_STEP if slower else -PACE_STEP)))
        boundary = self._next_boundary(exercise, now)
        kept = [cue for cue in exercise.cues if cue.at < boundary]
        done_cycles = self.counted_cycles  # after an adjustment, cues are short
        exercise.cues = kept + self._plan(exercise.pattern, boundary, exercise.end, exercise.pace, done_cycles)
        return str(self.data["slower" if slower else "faster"])

    def _next_boundary(self, exercise: Exercise, now: float) -> float:
        first_phase = exercise.pattern.phases[0][0]
        starts = [cue.at for cue in exercise.cues if cue.at >= now and self._is_cycle_start(cue, first_phase)]
        return starts[0] if starts else exercise.end

    def _is_cycle_start(self, cue: Cue, first_phase: str) -> bool:
        return cue.text in (self.data["cues"]["counted"][first_phase], self.data["cues"]["short"][first_phase])

    def _plan(self, pattern: Pattern, start: float, end: float, pace: float, first_cycle: int) -> list[Cue]:
        cues: list[Cue] = []
        at = start
        cycle = first_cycle
        period = pattern.period * pace
        while at + period <= end + 1e-6:
            style = "counted" if cycle < self.counted_cycles else "short"
            offset = 0.0
            for kind, seconds in pattern.phases:
                cues.append(Cue(at + offset, self.data["cues"][style][kind]))
                offset += seconds * pace
            at += period
            cycle += 1
        return cues
