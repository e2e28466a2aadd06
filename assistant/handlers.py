"""One plain function per intent: it reads the match and the context and returns a Reply. None speak."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from assistant.breathing import Coach
from assistant.content import Replies
from assistant.flows import BreathingFlow, Flow, QuizFlow, RephraseFlow, resource_text
from assistant.messages import Match, Reply
from assistant.rephrase import Rephraser
from assistant.settings import Settings
from assistant.storage import Cooldown, Store

MIN_BREAK_MINUTES = 20
"""Stress hormones need about twenty minutes to settle (domain brief §2); shorter breaks rarely help."""
DEFAULT_EXTENSION_MINUTES = 10
PRACTICES = ("honesty", "compromise", "boundaries", "interests", "fair_fighting", "trust")
MIN_MESSAGE_WORDS = 3
READ_BACK = 3
"""Agreements read aloud at most, newest first: a long list heard once is lost."""
FEELING_WORDS = {"unappreciated": "taken for granted", "overwhelmed": "overwhelming"}


@dataclass
class Context:
    """What handlers may use: content, settings, storage, the clock, and the state of the conversation."""

    replies: Replies
    settings: Settings
    store_factory: Callable[[], Store]
    clock: Callable[[], float] = time.time
    offer: Match | None = None
    """What to do if the person answers yes to the question just asked."""
    flow: Flow | None = None
    """A multi-turn flow that claims the turns that belong to it."""
    safety_mode: bool = False
    """Set after a disclosure: conflict coaching stays off for the rest of the session (kept in memory only)."""
    tips_given: list[str] = field(default_factory=list)
    topics_of: Callable[[str], dict[str, Any]] = lambda text: {}
    rephraser: Rephraser = field(default_factory=Rephraser)
    coach: Coach = field(default_factory=Coach)
    _store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = self.store_factory()
        return self._store

    def clock_time(self, at: float) -> str:
        """A time as people say it: "8:40"."""
        moment = time.localtime(at)
        return f"{(moment.tm_hour % 12) or 12}:{moment.tm_min:02d}"


Handler = Callable[[Match, Context], Reply]
HANDLERS: dict[str, Handler] = {}


def handles(intent: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[intent] = function
        return function

    return register


@handles("cooldown.start")
def start_cooldown(match: Match, ctx: Context) -> Reply:
    minutes = int(match.slots.get("minutes", ctx.settings.break_minutes))
    key = "cooldown.start"
    if minutes < MIN_BREAK_MINUTES:
        minutes, key = MIN_BREAK_MINUTES, "cooldown.short"
    now = ctx.clock()
    ends = now + minutes * 60
    ctx.store.save_cooldown(Cooldown(now, ends, False))
    ctx.offer = Match("", "breathing.start", 1.0)
    return Reply(ctx.replies.say(key, minutes=minutes, return_time=ctx.clock_time(ends)))


@handles("cooldown.extend")
def extend_cooldown(match: Match, ctx: Context) -> Reply:
    running = ctx.store.cooldown()
    if running is None and "minutes" in match.slots:
        return start_cooldown(match, ctx)
    if running is None:
        ctx.offer = Match("", "cooldown.start", 1.0)
        return Reply(ctx.replies.say("cooldown.none"))
    minutes = int(match.slots.get("minutes", DEFAULT_EXTENSION_MINUTES))
    ends = max(running.ends_at, ctx.clock()) + minutes * 60
    ctx.store.save_cooldown(Cooldown(running.started_at, ends, False))
    return Reply(ctx.replies.say("cooldown.extend", minutes=minutes, return_time=ctx.clock_time(ends)))


@handles("cooldown.end")
def end_cooldown(match: Match, ctx: Context) -> Reply:
    ctx.store.save_cooldown(None)
    return Reply(ctx.replies.say("cooldown.end"), voice="calm")


@handles("breathing.start")
def start_breathing(match: Match, ctx: Context) -> Reply:
    exercise, opening = ctx.coach.begin(ctx.clock(), ctx.coach.find(match.text) or ctx.settings.breathing_pattern)
    ctx.flow = BreathingFlow(exercise)
    return Reply(" ".join(opening), voice="calm")


@handles("rephrase.start")
def start_rephrase(match: Match, ctx: Context) -> Reply:
    flow = RephraseFlow()
    ctx.flow = flow
    words = str(match.slots.get("message", "")).strip()
    # "help me word this better" leaves "this better": too little to be the message itself
    if len(words.split()) >= MIN_MESSAGE_WORDS or ctx.rephraser.topic_of(words):
        reply = flow.handle(words, Match(words, None, 0.0), ctx)
        if reply is not None:
            return reply
    return Reply(ctx.replies.say("rephrase.start"))


@handles("validate.feeling")
def validate_feeling(match: Match, ctx: Context) -> Reply:
    feeling = match.slots.get("feeling")
    if not feeling:
        return Reply(ctx.replies.say("validate.general"))
    word = FEELING_WORDS.get(feeling, feeling)
    return Reply(ctx.replies.say("validate.feeling", feeling_word=word, feeling_word_cap=word.capitalize()))


@handles("dynamic.explain")
def explain_dynamic(match: Match, ctx: Context) -> Reply:
    dynamic = match.slots.get("dynamic")
    if not dynamic:
        return Reply(ctx.replies.say("dynamic.which"))
    ctx.offer = Match("", "dynamic.deeper", 1.0, {"dynamic": dynamic})
    return Reply(ctx.replies.say(f"dynamic.{dynamic}"))


@handles("dynamic.deeper")
def deepen_dynamic(match: Match, ctx: Context) -> Reply:
    return Reply(ctx.replies.say(f"dynamic.{match.slots['dynamic']}.deeper"))


@handles("dynamic.identify")
def identify_dynamic(match: Match, ctx: Context) -> Reply:
    ctx.flow = QuizFlow()
    return Reply(ctx.replies.say("dynamic.identify", question=ctx.replies.variants["quiz.questions"][0]))


@handles("theme.advice")
def advise_on_theme(match: Match, ctx: Context) -> Reply:
    theme = match.slots.get("theme")
    return Reply(ctx.replies.say(f"theme.{theme}" if theme else "theme.which"))


@handles("agreement.add")
def add_agreement(match: Match, ctx: Context) -> Reply:
    text = str(match.slots.get("text", "")).strip()
    if not text:
        return Reply(ctx.replies.say("agreement.what"))
    topic = str(ctx.topics_of(text).get("theme", ""))
    ctx.store.add_agreement(text, topic)
    return Reply(ctx.replies.say("agreement.saved", text=text))


@handles("agreement.list")
def list_agreements(match: Match, ctx: Context) -> Reply:
    agreements = ctx.store.agreements()
    topic = str(match.slots.get("topic", "")).strip()
    if topic:
        words = set(topic.split())
        agreements = [a for a in agreements if a.topic == topic or words & set(a.text.split())]
    if not agreements:
        return Reply(ctx.replies.say("agreement.none_about", topic=topic.replace("_", " ")) if topic else ctx.replies.say("agreement.none"))
    newest = agreements[-READ_BACK:]
    more = len(agreements) - len(newest)
    items = "; ".join(a.text for a in reversed(newest)) + (f"; and {more} more, listed by 'kindly agreements list'" if more else "")
    return Reply(ctx.replies.say("agreement.read", items=items))


@handles("balance.tip")
def give_balance_tip(match: Match, ctx: Context) -> Reply:
    practice = match.slots.get("practice")
    if not practice:
        unused = [p for p in PRACTICES if p not in ctx.tips_given] or [p for p in PRACTICES if p != ctx.tips_given[-1]]
        practice = unused[0]
    ctx.tips_given = [p for p in ctx.tips_given if p != practice] + [practice]
    ctx.offer = Match("", "balance.tip", 1.0)
    return Reply(ctx.replies.say(f"balance.{practice}"))


@handles("therapist.info")
def describe_therapy(match: Match, ctx: Context) -> Reply:
    if ctx.safety_mode:
        ctx.offer = Match("", "safety.resources", 1.0)
        return Reply(ctx.replies.say("therapist.individual"), private=True)
    return Reply(ctx.replies.say("therapist.info"))


@handles("safety.resources")
def repeat_resources(match: Match, ctx: Context) -> Reply:
    return Reply(ctx.replies.say("safety.resources", resources=resource_text(ctx)), private=True)


@handles("help")
def explain_help(match: Match, ctx: Context) -> Reply:
    return Reply(ctx.replies.say("help"))
