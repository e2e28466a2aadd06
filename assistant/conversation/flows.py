"""Multi-turn flows: each claims the turns that belong to it (the words to rephrase, quiz answers, the steps
of the safety conversation, breathing controls) and lets every other turn through to ordinary handling."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.conversation.breathing import Exercise
from assistant.conversation.context import Context
from assistant.conversation.rephrase import Draft
from assistant.messages import Match, Reply
from assistant.understanding import answers

YES, NO = "control.yes", "control.no"
ANSWERS = (YES, NO)
DYNAMIC_NAMES = {"demand_withdrawal": "demand and withdraw", "distancer_pursuer": "distancer and pursuer", "fear_shame": "fear and shame"}
QUIZ_SCORES = ("demand_withdrawal", "distancer_pursuer", "fear_shame", "demand_withdrawal")
"""Which pattern a yes to each quiz question points to."""


NOT_A_FEELING = {"another", "one", "other", "different", "again", "yes", "no", "ok", "okay", "dunno", "whatever", "not",
                 "sure", "know", "idk", "nothing", "it", "that", "this"}
"""Words in a short answer to "how did that leave you feeling?" that show it is not a feeling."""
NEW_WORDS_MIN = 6
"""Words from which an unmatched sentence that names an event is new words to soften, not "another one"."""


@dataclass
class RephraseFlow:
    """Say it kindly: takes the words, asks once what happened or how it felt when the words do not say,
    then offers a suggestion; "another" gives a new shape, "slowly" repeats only the suggestion, and a new
    harsh sentence starts again."""

    stage: str = "words"
    draft: Draft | None = None
    feeling: str | None = None
    version: int = 0

    def handle(self, text: str, match: Match, ctx: Context) -> Reply | None:
        if match.intent in ("control.stop", "help", "cooldown.start", "breathing.start"):
            return None
        if self.stage in ("words", "event"):
            return self.take(text, ctx)
        if self.stage == "feeling":
            self.feeling = ctx.rephraser.feeling_in(text) or _own_word(text)
            return self._offer("rephrase.offer", ctx)
        if self._new_words(text, match, ctx):
            return RephraseFlow().start(text, ctx)  # a new harsh sentence: a new suggestion
        lowered = text.lower()
        if "slow" in lowered or match.intent == "control.repeat":
            suggestion = self._suggestion(ctx)
            return Reply(suggestion, voice="slow", suggestion=suggestion)
        if any(w in lowered for w in ("another", "different", "other", "again")) or match.intent in (YES, "control.more"):
            self.version += 1
            return self._offer("rephrase.another", ctx)
        if match.intent == NO:
            ctx.flow = None
            return Reply(ctx.replies.say("offer_declined"))
        if match.intent in (None, "rephrase.start") and len(text.split()) >= 4 and ctx.rephraser.draft(text) is not None:
            return RephraseFlow().start(text, ctx)
        ctx.flow = None
        return None

    @staticmethod
    def _new_words(text: str, match: Match, ctx: Context) -> bool:
        """A new harsh sentence, told apart from "another one" or "again" before those words are looked for:
        words to say that came with the request, or a long sentence that says what happened."""
        if match.intent == "rephrase.start" and match.slots.get("message"):
            return True
        return match.intent is None and len(text.split()) >= NEW_WORDS_MIN and ctx.rephraser.draft(text) is not None

    def start(self, text: str, ctx: Context) -> Reply:
        ctx.flow = self
        return self.take(text, ctx)

    def take(self, text: str, ctx: Context) -> Reply:
        """The words to soften: a suggestion, or one question when they do not say what happened or how it felt."""
        draft = ctx.rephraser.draft(text)
        if draft is None:
            if self.stage == "event":
                ctx.flow = None
                return Reply(ctx.replies.say("rephrase.no_event"))
            self.stage = "event"
            return Reply(ctx.replies.say("rephrase.ask_event"))
        self.draft = draft
        if draft.feeling is None:
            self.stage = "feeling"
            return Reply(ctx.replies.say("rephrase.ask_feeling"))
        return self._offer("rephrase.offer", ctx)

    def _suggestion(self, ctx: Context) -> str:
        assert self.draft is not None
        return ctx.rephraser.suggest(self.draft, self.version, self.feeling)

    def _offer(self, key: str, ctx: Context) -> Reply:
        self.stage = "offered"
        suggestion = self._suggestion(ctx)
        return Reply(ctx.replies.say(key, kinder=suggestion), suggestion=suggestion)

    def tick(self, now: float, ctx: Context) -> list[Reply]:
        return []


def _own_word(text: str) -> str | None:
    """A feeling said in a word or two that the list lacks ("gutted"), kept as said; None for anything longer."""
    words = [w for w in text.lower().strip(" .!?").split() if w not in ("i", "feel", "felt", "i'm", "im", "so", "really", "very", "just", "um")]
    if any(w in NOT_A_FEELING for w in words):
        return None
    return " ".join(words) if 1 <= len(words) <= 2 and all(w.isalpha() for w in words) else None


@dataclass
class QuizFlow:
    """Three or four questions that suggest which pattern fits, and one small step. Answers are graded:
    "yes" counts fully, "kind of" or "sometimes" half, "not really" or "not sure" not at all."""

    answers: list[float] = field(default_factory=list)
    unclear: int = 0

    def handle(self, text: str, match: Match, ctx: Context) -> Reply | None:
        grade = answers.read(text) or {YES: answers.YES, NO: answers.NO}.get(match.intent or "")
        if grade is None:
            return _unclear(self, match, ctx)
        self.unclear = 0
        self.answers.append(answers.GRADES.get(grade, 0.0))
        questions = ctx.replies.variants["quiz.questions"]
        if len(self.answers) < len(questions):
            return Reply(ctx.replies.say("quiz.next", question=questions[len(self.answers)]))
        ctx.flow = None
        return self._result(ctx)

    def _result(self, ctx: Context) -> Reply:
        scores: dict[str, float] = {}
        for pattern, grade in zip(QUIZ_SCORES, self.answers):
            scores[pattern] = scores.get(pattern, 0.0) + grade
        best = max(scores, key=scores.__getitem__)
        if scores[best] == 0:
            ctx.offer = Match("", "balance.tip", 1.0)
            return Reply(ctx.replies.say("quiz.none"))
        steps = dict(line.split("|", 1) for line in ctx.replies.variants["quiz.steps"])
        ctx.offer = Match("", "dynamic.deeper", 1.0, {"dynamic": best})
        ctx.more = f"dynamic.{best}.deeper"
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
