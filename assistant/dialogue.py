"""The dialogue engine: one turn of text in, one Reply out, with the state that makes follow-ups work.

Text chat, voice and the tests all use this class.
"""

from __future__ import annotations

import dataclasses
import logging

from assistant.handlers import HANDLERS, Context
from assistant.matcher import SAFETY_INTENT, Matcher
from assistant.messages import Match, Reply

_LOGGER = logging.getLogger(__name__)
ANSWERS = ("control.yes", "control.no")


class Dialogue:
    """Holds the conversation: what was last said, and the question waiting for a yes or no."""

    def __init__(self, matcher: Matcher, context: Context) -> None:
        self.matcher = matcher
        self.ctx = context
        self.ctx.topics_of = lambda text: matcher.slot_values(text)
        self.last_reply: Reply | None = None
        self._confirming: Match | None = None

    def turn(self, text: str) -> tuple[Match, Reply]:
        """Understand one sentence and answer it."""
        match = self.matcher.match(text)
        reply = self._answer(match)
        if not reply.private and match.intent != "control.repeat":
            self.last_reply = reply
        if reply.private:
            self.last_reply = None
        return match, reply

    def interrupt(self) -> None:
        """Someone said "stop" while Kindly was speaking: drop the question it was asking."""
        self._forget_questions()

    def _answer(self, match: Match) -> Reply:
        if match.intent == SAFETY_INTENT:
            self._forget_questions()
            return self._run(match)
        if self._confirming is not None and match.intent in ANSWERS:
            candidate, self._confirming = self._confirming, None
            if match.intent == "control.yes":
                return self._run(candidate)
            return Reply(self.ctx.replies.say("confirm_declined"))
        self._confirming = None
        if self.ctx.offer is not None and match.intent in ANSWERS:
            offered, self.ctx.offer = self.ctx.offer, None
            if match.intent == "control.yes":
                return self._run(Match(match.text, offered, 1.0))
            return Reply(self.ctx.replies.say("offer_declined"))
        if match.intent is None:
            return Reply(self.ctx.replies.say("not_understood"))
        if match.confidence < self.matcher.thresholds.accept and match.intent not in ANSWERS:
            self._confirming = match
            what = self.ctx.replies.descriptions.get(match.intent, match.intent)
            return Reply(self.ctx.replies.say("did_you_mean", what=what))
        return self._control(match) or self._run(match)

    def _control(self, match: Match) -> Reply | None:
        if match.intent == "control.stop":
            self._forget_questions()
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
        handler = HANDLERS.get(match.intent or "")
        if handler is None:
            _LOGGER.warning("no handler for intent %s", match.intent)
            return Reply(self.ctx.replies.say("not_understood"))
        return handler(match, self.ctx)

    def _forget_questions(self) -> None:
        self._confirming = None
        self.ctx.offer = None
