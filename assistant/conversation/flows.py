"""Multi-turn flows: each claims the turns that belong to it (the words to rephrase, quiz answers, the steps
of the safety conversation, breathing controls) and lets every other turn through to ordinary handling."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.conversation.breathing import Exercise
from assistant.conversation.context import Context
from assistant.messages import Match, Reply

YES, NO = "control.yes", "control.no"
ANSWERS = (YES, NO)
DYNAMIC_NAMES = {"demand_withdrawal": "demand and withdraw", "distancer_pursuer": "distancer and pursuer", "fear_shame": "fear and shame"}
QUIZ_SCORES = ("demand_withdrawal", "distancer_pursuer", "fear_shame", "demand_withdrawal")
"""Which pattern a yes to each quiz question points to."""


@dataclass
class RephraseFlow:
    """Waits for the words to soften, asks for the need when the topic is unclear, then offers versions."""

    stage: str = "words"
    topic: object = None
    need: str = ""
    version: int = 0

    def handle(self, text: str, match: Match, ctx: Context) -> Reply | None:
        if match.intent in ("control.stop", "help", "cooldown.start"):
            return None
        replies, rephraser = ctx.replies, ctx.rephraser
        if self.stage == "words":
            self.topic = rephraser.topic_of(text)
            if self.topic is None:
                self.stage = "need"
                return Reply(replies.say("rephrase.ask_need"))
            return self._offer(ctx)
        if self.stage == "need":
            self.need = text
            return self._offer(ctx)
        if match.intent == "control.repeat" or "slow" in text.lower():
            return Reply(self._version(ctx), voice="calm")
        if "another" in text.lower() or "different" in text.lower() or "other" in text.lower() or match.intent == YES:
            self.version += 1
            return Reply(replies.say("rephrase.another", kinder=self._version(ctx)))
        if match.intent == NO:
            ctx.flow = None
            return Reply(replies.say("offer_declined"))
        ctx.flow = None
        return None

    def _version(self, ctx: Context) -> str:
        if self.topic is not None:
            return ctx.rephraser.kinder(self.topic, self.version)  # type: ignore[arg-type]
        return ctx.rephraser.from_need(self.need, self.version)

    def _offer(self, ctx: Context) -> Reply:
        self.stage = "offered"
        return Reply(ctx.replies.say("rephrase.offer", kinder=self._version(ctx), after=ctx.rephraser.texts["after"]))

    def tick(self, now: float, ctx: Context) -> list[Reply]:
        return []


@dataclass
class QuizFlow:
    """Three or four yes/no questions that suggest which pattern fits, and one small step."""

    answers: list[bool] = field(default_factory=list)
    unclear: int = 0

    def handle(self, text: str, match: Match, ctx: Context) -> Reply | None:
        if match.intent not in ANSWERS:
            return _unclear(self, match, ctx)
        self.unclear = 0
        self.answers.append(match.intent == YES)
        questions = ctx.replies.variants["quiz.questions"]
        if len(self.answers) < len(questions):
            return Reply(ctx.replies.say("quiz.next", question=questions[len(self.answers)]))
        ctx.flow = None
        return self._result(ctx)

    def _result(self, ctx: Context) -> Reply:
        scores: dict[str, int] = {}
        for pattern, yes in zip(QUIZ_SCORES, self.answers):
            scores[pattern] = scores.get(pattern, 0) + int(yes)
        best = max(scores, key=scores.__getitem__)
        if scores[best] == 0:
            ctx.offer = Match("", "balance.tip", 1.0)
            return Reply(ctx.replies.say("quiz.none"))
        steps = dict(line.split("|", 1) for line in ctx.replies.variants["quiz.steps"])
        ctx.offer = Match("", "dynamic.deeper", 1.0, {"dynamic": best})
        return Reply(ctx.replies.say("quiz.result", name=DYNAMIC_NAMES[best], step=steps[best].capitalize()))

    def tick(self, now: float, ctx: Context) -> list[Reply]:
        return []


@dataclass
class BreathingFlow:
    """A running breathing exercise: speaks its cues when due; stop, slower and faster work between phases."""

    exercise: Exercise

    def handle(self, text: str, match: Match, ctx: Context) -> Reply | None:
        lowered = text.lower()
        if match.intent == "control.stop":
            ctx.flow = None
            return Reply(ctx.coach.data["finish"][1], voice="calm")
        if "slow" in lowered or "fast" in lowered or "quick" in lowered:
            return Reply(ctx.coach.adjust(self.exercise, ctx.clock(), slower="slow" in lowered), voice="calm")
        return None

    def tick(self, now: float, ctx: Context) -> list[Reply]:
        cues = ctx.coach.due(self.exercise, now)
        if self.exercise.finished:
            ctx.flow = None
        return [Reply(cue, voice="calm", cue=True) for cue in cues]


def _unclear(flow: QuizFlow, match: Match, ctx: Context) -> Reply | None:
    """Ask once more for a yes or no; the second time, drop the question gracefully."""
    if match.intent is not None:
        ctx.flow = None
        return None
    flow.unclear += 1
    if flow.unclear > 1:
        ctx.flow = None
        return Reply(ctx.replies.say("unclear_dropped"))
    return Reply(ctx.replies.say("unclear_answer"))
