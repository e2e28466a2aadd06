"""The dialogue engine: one turn of text in, one Reply out, with the state that makes follow-ups work.

Text chat, voice and the tests all use this class. Order of a turn: a disclosure (before anything else); a
running flow's claim on the turn; the answer to a pending question; then the intent's handler. After a
disclosure, safety mode holds for the rest of the session: no reply offers a break, rephrasing toward the
partner or couples work.
"""

from __future__ import annotations

import dataclasses
import logging

from assistant.conversation import cooldown, heat, helplines
from assistant.conversation.context import Context
from assistant.conversation.crisis import SLOW_VOICE, SafetyFlow, path_of
from assistant.conversation.handlers import HANDLERS
from assistant.errors import StorageError
from assistant.messages import Match, Reply
from assistant.understanding import answers
from assistant.understanding.matcher import SAFETY_INTENT, Matcher

_LOGGER = logging.getLogger(__name__)
ANSWERS = ("control.yes", "control.no")
COACHING = frozenset({"cooldown.start", "cooldown.extend", "cooldown.end", "cooldown.status", "rephrase.start",
                      "dynamic.explain", "dynamic.identify", "theme.advice", "balance.tip", "agreement.add"})
"""Conflict coaching, switched off for the session after a disclosure (domain brief §4)."""
NUMBERS_AGAIN = "safety.resources"
"""The offer, in safety mode, to say the support numbers again."""


class Dialogue:
    """Holds the conversation: what was last said, the running flow, and the question waiting for an answer."""

    def __init__(self, matcher: Matcher, context: Context) -> None:
        self.matcher = matcher
        self.ctx = context
        self.ctx.topics_of = matcher.slot_values
        self.last_reply: Reply | None = None
        """Kept in memory only, so "say that again" works, safety turns included."""
        self.safety: SafetyFlow | None = None
        self._confirming: Match | None = None
        self._unclear = 0
        self._storage_warned = False

    def turn(self, text: str) -> tuple[Match, Reply]:
        """Understand one sentence and answer it."""
        match = self.matcher.match(text)
        reply = self._answer(text, match)
        if match.intent != "control.repeat":
            self.last_reply = reply
        return match, reply

    def tick(self, now: float | None = None) -> list[Reply]:
        """Replies due by the clock: breathing cues, the break's check-in and return."""
        now = self.ctx.clock() if now is None else now
        due = self.ctx.flow.tick(now, self.ctx) if self.ctx.flow is not None else []
        try:
            return due + cooldown.due(self.ctx, now)
        except StorageError as error:
            if not self._storage_warned:
                _LOGGER.error("%s", error)
                self._storage_warned = True
            return due

    def resume(self) -> Reply | None:
        """At start-up: pick up a break that was running when Kindly stopped."""
        try:
            return cooldown.resume(self.ctx, self.ctx.clock())
        except StorageError as error:
            _LOGGER.error("%s", error)
            return None

    def interrupt(self) -> None:
        """Someone said "stop" while Kindly was speaking: drop the question it was asking."""
        self._forget_questions()

    def _answer(self, text: str, match: Match) -> Reply:
        if match.intent == SAFETY_INTENT:
            return self._disclosed(match)
        if self.ctx.flow is not None:
            claimed = self.ctx.flow.handle(text, match, self.ctx)
            if claimed is not None:
                return claimed
        pending = self._answer_pending(text, match)
        if pending is not None:
            return pending
        unsure = match.intent is not None and match.confidence < self.matcher.thresholds.accept and match.intent not in ANSWERS
        if (match.intent is None or unsure) and not self.ctx.safety_mode and heat.is_heated(text):
            self.ctx.offer = Match("", "cooldown.start", 1.0)
            return Reply(self.ctx.replies.say("heat.offer_break"), voice="calm")
        if match.intent is None:
            return self._fallback()
        if unsure:
            if self.ctx.safety_mode and match.intent in COACHING:
                return self._coaching_off()
            self._confirming = match
            what = self.ctx.replies.descriptions.get(match.intent, match.intent)
            return Reply(self.ctx.replies.say("did_you_mean", what=what))
        return self._control(match) or self._run(match)

    def _disclosed(self, match: Match) -> Reply:
        """A disclosure: any break ends (its return never plays), and the safety conversation starts."""
        self._forget_questions()
        try:
            self.ctx.store.save_cooldown(None)
        except StorageError as error:
            _LOGGER.error("%s", error)
        self.safety = SafetyFlow(helplines.country_for(self.ctx.settings), path_of(match.disclosure))
        self.ctx.flow = self.safety
        return self.safety.start(self.ctx, agreement=match.candidate == "agreement.add")

    def _answer_pending(self, text: str, match: Match) -> Reply | None:
        """A yes or no to "Did you mean …?" or to an offer; an unclear answer is asked once more, then dropped."""
        question = self._confirming or self.ctx.offer
        if question is None:
            return None
        answer = answers.read(text) or {"control.yes": answers.YES, "control.no": answers.NO, "control.more": answers.YES}.get(match.intent or "")
        if answer == answers.UNSURE:
            self._forget_questions()
            return Reply(self.ctx.replies.say("unsure_answer"), private=self.ctx.safety_mode)
        if answer in (answers.YES, answers.NO):
            confirming = self._confirming is not None
            self._forget_questions()
            if answer == answers.YES:
                return self._control(question) or self._run(question)
            return Reply(self.ctx.replies.say("confirm_declined" if confirming else "offer_declined"), private=self.ctx.safety_mode)
        if match.intent is None:
            self._unclear += 1
            if self._unclear == 1:
                return Reply(self.ctx.replies.say("unclear_answer"), private=self.ctx.safety_mode)
            self._forget_questions()
            return Reply(self.ctx.replies.say("unclear_dropped"), private=self.ctx.safety_mode)
        self._forget_questions()
        return None

    def _control(self, match: Match) -> Reply | None:
        if match.intent == "control.stop":
            self._forget_questions()
            self.ctx.flow = None
            return Reply(self.ctx.replies.say("stopped"), private=self.ctx.safety_mode)
        if match.intent == "control.repeat":
            if self.last_reply is None:
                return Reply(self.ctx.replies.say("nothing_to_repeat"))
            slower = "slow" in match.text.lower()
            voice = SLOW_VOICE if self.last_reply.private else "calm"
            return dataclasses.replace(self.last_reply, voice=voice) if slower or self.last_reply.private else self.last_reply
        if match.intent in ANSWERS:
            return self._fallback()
        return None

    def _run(self, match: Match) -> Reply:
        self.ctx.offer = None
        if match.intent == NUMBERS_AGAIN and self.safety is not None:
            return self.safety.numbers_again(self.ctx)
        if self.ctx.safety_mode and match.intent in COACHING:
            return self._coaching_off()
        handler = HANDLERS.get(match.intent or "")
        if handler is None:
            _LOGGER.warning("no handler for intent %s", match.intent)
            return self._fallback()
        try:
            return handler(match, self.ctx)
        except StorageError as error:
            _LOGGER.error("%s", error)  # nothing was acknowledged: the reply says it was not saved
            return Reply(self.ctx.replies.say("storage_failed"))

    def _fallback(self) -> Reply:
        if self.ctx.safety_mode:
            return Reply(self.ctx.replies.say("safety.fallback"), private=True)
        return Reply(self.ctx.replies.say("not_understood"))

    def _coaching_off(self) -> Reply:
        self.ctx.offer = Match("", NUMBERS_AGAIN, 1.0)
        return Reply(self.ctx.replies.say("safety.coaching_off"), private=True)

    def _forget_questions(self) -> None:
        self._confirming = None
        self.ctx.offer = None
        self._unclear = 0
