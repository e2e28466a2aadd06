"""The safety conversation after a disclosure (domain brief §4): two paths, and numbers a person can use.

- Self-harm: thank them, ask directly whether they are thinking about ending their life; the crisis line first,
  the emergency number if they are in danger now.
- Violence, threats, control, fear: thank them, not their fault, is it safe to talk, are you in danger; in
  danger the emergency number first, then the domestic-abuse line.
- A partner's self-harm: is your partner in danger; the emergency number, and the crisis line.
An unclear answer to a question about danger counts as yes. "Say that again" repeats the numbers slower, "more
numbers" gives the rest, "quiet" puts them on screen. Every reply is private: never logged or stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.conversation.context import Context
from assistant.conversation.helplines import Country, Line
from assistant.messages import Match, Reply
from assistant.understanding import answers

SELF_HARM, PARTNER, ABUSE = "selfharm", "partner_selfharm", "abuse"
SLOW_VOICE = "slow"
"""The voice profile for numbers said again: slower, for someone writing them down."""
QUIET_WORDS = ("quiet", "not safe", "can not talk", "cannot talk", "on screen", "on the screen", "shh")
MORE_WORDS = ("more numbers", "another number", "other numbers", "more number", "other number", "what else",
              "any others", "anyone else", "more lines", "another line", "other lines")
LINES_PER_REPLY = 2
"""At most two numbers in one reply (domain brief §4)."""
DANGER_ANSWERS = (answers.YES, answers.PARTLY, answers.UNSURE, None)
"""Answers to "are you in danger?" that are taken as yes: anything but a clear no."""


def path_of(kinds: tuple[str, ...]) -> str:
    """Which conversation a disclosure's kinds call for."""
    if set(kinds) == {SELF_HARM}:
        return SELF_HARM
    if set(kinds) == {PARTNER}:
        return PARTNER
    return ABUSE


@dataclass
class SafetyFlow:
    country: Country
    path: str
    stage: str = "asked"
    """asked (the first question), danger (are you in danger?), told (numbers given)."""
    queue: list[Line] = field(default_factory=list)
    """Numbers not said yet, for "more numbers"."""
    last: Reply | None = None
    """What the flow said last (the numbers, or the question), for "say that again"."""
    numbers: Reply | None = None
    """The numbers said last, for "want the numbers again?"."""
    lines: str = ""
    """Just the numbers said last, for "say that again": repeated slower, without the words around them."""

    def start(self, ctx: Context, agreement: bool = False) -> Reply:
        ctx.safety_mode = True
        key = {SELF_HARM: "safety.ask_suicide", PARTNER: "safety.partner_check"}.get(self.path, "safety.check")
        return self._keep(_private(ctx.replies.say("safety.agreement_refused" if agreement else key)))

    def handle(self, text: str, match: Match, ctx: Context) -> Reply | None:
        words = " ".join(text.lower().replace("'", " ").split())
        answer = answers.read(text) or {"control.yes": answers.YES, "control.no": answers.NO}.get(match.intent or "")
        if match.intent == "control.repeat":
            return self._repeat(ctx)
        if answer is None and any(w in words for w in QUIET_WORDS):
            return self._quiet(ctx)
        if any(w in words for w in MORE_WORDS) or words.strip(" .?!") == "more":
            return self._more(ctx)
        if self.stage == "told" or (answer is None and match.intent is not None):
            return None  # another request: answered normally, with coaching off
        return self._answer(answer, ctx)

    def tick(self, now: float, ctx: Context) -> list[Reply]:
        return []

    def _answer(self, answer: str | None, ctx: Context) -> Reply:
        danger = answer in DANGER_ANSWERS
        if self.path == SELF_HARM:
            return self._numbers(ctx, "safety.crisis_now" if danger else "safety.crisis_later", self.country.crisis, danger)
        if self.path == PARTNER:
            return self._numbers(ctx, "safety.partner_now" if danger else "safety.partner_later", self.country.crisis, danger)
        if self.stage == "asked":
            if answer == answers.NO:
                return self._quiet(ctx)
            self.stage = "danger"
            return self._keep(_private(ctx.replies.say("safety.danger")))
        return self._numbers(ctx, "safety.urgent" if danger else "safety.resources", self.country.abuse, danger)

    def _numbers(self, ctx: Context, key: str, lines: tuple[Line, ...], danger: bool) -> Reply:
        """The path's lines, the emergency number first when in danger, at most two numbers a reply."""
        self.stage = "told"
        emergency = self.country.emergency
        said = list(lines[: LINES_PER_REPLY - 1 if danger and emergency else LINES_PER_REPLY])
        others = (*self.country.abuse, *self.country.crisis) if self.path == ABUSE else self.country.crisis
        rest = [l for l in others if l not in said]
        self.queue = rest if danger or emergency is None else rest + [emergency]
        if not said and emergency is None:
            return self._told(_private(ctx.replies.say("safety.no_country")))
        if not said:  # a country with an emergency number only
            return self._told(_private(ctx.replies.say("safety.emergency_only", emergency=emergency.say), [emergency]))
        first = ([emergency] if danger and emergency else []) + said
        text = ctx.replies.say(key, lines=_spoken(said, ctx), emergency=emergency.say if emergency else "your local emergency number")
        self.lines = _spoken(first, ctx)
        return self._told(_private(text, first))

    def numbers_again(self, ctx: Context) -> Reply:
        """The numbers last said (or the path's first ones), at the usual pace: the answer to "want them again?"."""
        if self.numbers is not None:
            return self.numbers
        return self._numbers(ctx, "safety.resources", self.country.crisis if self.path != ABUSE else self.country.abuse, danger=False)

    def _more(self, ctx: Context) -> Reply:
        if self.numbers is None:  # before any number: as if the answer were unclear (possibly in danger)
            return self._answer(None, ctx) if self.stage == "danger" or self.path != ABUSE else self.numbers_again(ctx)
        if not self.queue:
            return _private(ctx.replies.say("safety.no_more"))
        now, self.queue = self.queue[:LINES_PER_REPLY], self.queue[LINES_PER_REPLY:]
        self.lines = _spoken(now, ctx)
        return self._told(_private(ctx.replies.say("safety.more", lines=self.lines), now))

    def _repeat(self, ctx: Context) -> Reply:
        if self.last is None:
            return _private(ctx.replies.say("safety.fallback"))
        if self.last is self.numbers and self.lines:
            return Reply(self.lines, voice=SLOW_VOICE, private=True, printed=self.last.printed)
        return Reply(self.last.text, voice=SLOW_VOICE, private=True, printed=self.last.printed)

    def _quiet(self, ctx: Context) -> Reply:
        self.stage = "told"
        country = self.country
        lines = [*([country.emergency] if country.emergency else []), *(country.abuse if self.path == ABUSE else ()), *country.crisis]
        text = ctx.replies.say("safety.quiet" if lines else "safety.quiet_no_country")
        return self._keep(Reply(text, voice="quiet", private=True, printed=_printed(lines)))

    def _keep(self, reply: Reply) -> Reply:
        self.last = reply
        return reply

    def _told(self, reply: Reply) -> Reply:
        self.numbers = reply
        return self._keep(reply)


def _private(text: str, lines: list[Line] | None = None) -> Reply:
    return Reply(text, private=True, printed=_printed(lines or []))


def _spoken(lines: list[Line], ctx: Context) -> str:
    return " ".join(ctx.replies.say("safety.line", name=l.name[0].upper() + l.name[1:], how=l.how, number=l.say) for l in lines)


def _printed(lines: list[Line]) -> str:
    """The numbers as written, for the screen (quiet mode, and the chat)."""
    return "\n".join(f"  {l.name}: {l.how} {l.number}" for l in lines)
