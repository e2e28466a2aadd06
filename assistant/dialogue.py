"""The dialogue engine: one turn of text in, one Reply out, with the state that makes follow-ups work.

Text chat, voice and the tests all use this class. Order of a turn: the safety rule; a running flow's claim
on the turn; the answer to a pending question; then the intent's handler.
"""

from __future__ import annotations

import dataclasses
import logging

from assistant import cooldown
from assistant.flows import SafetyFlow
from assistant.errors import StorageError
from assistant.handlers import HANDLERS, Context
from assistant.matcher import SAFETY_INTENT, Matcher
from assistant.messages import Match, Reply

_LOGGER = logging.getLogger(__name__)
ANSWERS = ("control.yes", "control.no")
COACHING = frozenset({"cooldown.start", "cooldown.extend", "rephrase.start", "dynamic.explain", "dynamic.identify",
                      "theme.advice", "balance.tip", "agreement.add"})
"""Conflict coaching, switched off for the session after a disclosure (domain brief §4)."""


class Dialogue:
    """Holds the conversation: what was last said, the running flow, and the question waiting for an answer."""

    def __init__(self, matcher: Matcher, context: Context) -> None:
        self.matcher = matcher
        self.ctx = context
        self.ctx.topics_of = matcher.slot_values
        self.last_reply: Reply | None = None
        self._confirming: Match | None = None
        self._unclear = 0
        self._storage_warned = False

    def turn(self, text: str) -> tuple[Match, Reply]:
        """Understand one sentence and answer it."""
        match = self.matcher.match(text)
        reply = self._answer(text, match)
        if reply.private:
            self.last_reply = None
        elif match.intent != "control.repeat":
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
            self._forget_questions()
            flow = SafetyFlow()
            self.ctx.flow = flow
            return flow.start(self.ctx)
        if self.ctx.flow is not None:
            claimed = self.ctx.flow.handle(text, match, self.ctx)
            if claimed is not None:
                return claimed
        pending = self._answer_pending(match)
        if pending is not None:
            return pending
        if match.intent is None:
            return Reply(self.ctx.replies.say("not_understood"))
        if match.confidence < self.matcher.thresholds.accept and match.intent not in ANSWERS:
            self._confirming = match
            what = self.ctx.replies.descriptions.get(match.intent, match.intent)
            return Reply(self.ctx.replies.say("did_you_mean", what=what))
        return self._control(match) or self._run(match)

    def _answer_pending(self, match: Match) -> Reply | None:
        """A yes or no to "Did you mean …?" or to an offer; an unclear answer is asked once more, then dropped."""
        question = self._confirming or self.ctx.offer
        if question is None:
            return None
        if match.intent in ANSWERS:
            confirming = self._confirming is not None
            self._forget_questions()
            if match.intent == "control.yes":
                return self._control(question) or self._run(question)
            return Reply(self.ctx.replies.say("confirm_declined" if confirming else "offer_declined"))
        if match.intent is None:
            self._unclear += 1
            if self._unclear == 1:
                return Reply(self.ctx.replies.say("unclear_answer"))
            self._forget_questions()
            return Reply(self.ctx.replies.say("unclear_dropped"))
        self._forget_questions()
        return None

    def _control(self, match: Match) -> Reply | None:
        if match.intent == "control.stop":
            self._forget_questions()
            self.ctx.flow = None
            return Reply(self.ctx.replies.say("stopped"))
        if match.intent == "control.repeat":
            if self.last_reply is None:
                return Reply(self.ctx.replies.say("nothing_to_repeat"))
            slower = "slow" in match.text.lower()
            return dataclasses.replace(self.last_reply, voice="calm") if slower else self.last_reply
        if match.intent in ANSWERS:
            return Reply(self.ctx.replies.say("not_understood"))
        return None

    def _run(self, match: Match) -> Reply:
        self.ctx.offer = None
        if self.ctx.safety_mode and match.intent in COACHING:
            self.ctx.offer = Match("", "safety.resources", 1.0)
            return Reply(self.ctx.replies.say("safety.coaching_off"), private=True)
        handler = HANDLERS.get(match.intent or "")
        if handler is None:
            _LOGGER.warning("no handler for intent %s", match.intent)
            return Reply(self.ctx.replies.say("not_understood"))
        try:
            return handler(match, self.ctx)
        except StorageError as error:
            _LOGGER.error("%s", error)  # nothing was acknowledged: the reply says it was not saved
            return Reply(self.ctx.replies.say("storage_failed"))

    def _forget_questions(self) -> None:
        self._confirming = None
        self.ctx.offer = None
        self._unclear = 0
