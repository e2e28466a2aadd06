"""One plain function per intent: it reads the match and the context and returns a Reply. None speak."""

from __future__ import annotations

from typing import Callable

from assistant.conversation.context import Context
from assistant.conversation.flows import BreathingFlow, QuizFlow, RephraseFlow
from assistant.messages import Match, Reply
from assistant.storage import Cooldown

MIN_BREAK_MINUTES = 20
"""Stress hormones need about twenty minutes to settle (domain brief §2); shorter breaks rarely help."""
DEFAULT_EXTENSION_MINUTES = 10
PRACTICES = ("honesty", "compromise", "boundaries", "interests", "fair_fighting", "trust")
MIN_MESSAGE_WORDS = 3
READ_BACK = 3
"""Agreements read aloud at most, newest first: a long list heard once is lost."""
FEELING_WORDS = {"unappreciated": "taken for granted", "overwhelmed": "overwhelming"}


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
    words = str(match.slots.get("message", "")).strip()
    # "help me word this better" leaves "this better": too little to be the message itself
    # the turn as said (its punctuation and capitals help); the rephraser drops "help me say this kindly" itself
    if len(words.split()) >= MIN_MESSAGE_WORDS and ctx.rephraser.draft(match.text) is not None:
        return RephraseFlow().start(match.text, ctx)
    ctx.flow = RephraseFlow()
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
    ctx.more = f"dynamic.{dynamic}.deeper"
    return Reply(ctx.replies.say(f"dynamic.{dynamic}"))


@handles("dynamic.deeper")
def deepen_dynamic(match: Match, ctx: Context) -> Reply:
    ctx.more = f"dynamic.{match.slots['dynamic']}.deeper"
    return tell_more(match, ctx)


@handles("dynamic.identify")
def identify_dynamic(match: Match, ctx: Context) -> Reply:
    ctx.flow = QuizFlow()
    return Reply(ctx.replies.say("dynamic.identify", question=ctx.replies.variants["quiz.questions"][0]))


@handles("theme.advice")
def advise_on_theme(match: Match, ctx: Context) -> Reply:
    theme = match.slots.get("theme")
    ctx.more = f"theme.{theme}.deeper" if theme else None
    return Reply(ctx.replies.say(f"theme.{theme}" if theme else "theme.which"))


@handles("agreement.add")
def add_agreement(match: Match, ctx: Context) -> Reply:
    """Read the agreement back first: a noisy room must not store words nobody said."""
    text = str(match.slots.get("text", "")).strip()
    if not text:
        return Reply(ctx.replies.say("agreement.what"))
    ctx.offer = Match("", "agreement.save", 1.0, {"text": text})
    return Reply(ctx.replies.say("agreement.confirm", text=text))


@handles("agreement.save")
def save_agreement(match: Match, ctx: Context) -> Reply:
    text = match.slots["text"]
    ctx.store.add_agreement(text, str(ctx.topics_of(text).get("theme", "")))
    return Reply(ctx.replies.say("agreement.saved", text=text))


@handles("agreement.remove")
def remove_agreement(match: Match, ctx: Context) -> Reply:
    """Find the agreement meant (by topic, or the newest), read it back, and forget it only after a yes."""
    agreements = ctx.store.agreements()
    topic = str(match.slots.get("topic", "")).strip()
    chosen = _about(agreements, topic) if topic else agreements
    if not chosen:
        return Reply(ctx.replies.say("agreement.none_about", topic=topic.replace("_", " ")) if topic else ctx.replies.say("agreement.none"))
    newest = chosen[-1]
    ctx.offer = Match("", "agreement.forget", 1.0, {"id": newest.id, "text": newest.text})
    return Reply(ctx.replies.say("agreement.confirm_remove", text=newest.text))


@handles("agreement.forget")
def forget_agreement(match: Match, ctx: Context) -> Reply:
    ctx.store.remove_agreement(int(match.slots["id"]))
    return Reply(ctx.replies.say("agreement.removed", text=match.slots["text"]))


def _about(agreements: list, topic: str) -> list:
    """Agreements about a topic: its theme, or a word of it in their text."""
    words = set(topic.split())
    return [a for a in agreements if a.topic == topic or words & set(a.text.split())]


@handles("agreement.list")
def list_agreements(match: Match, ctx: Context) -> Reply:
    agreements = ctx.store.agreements()
    topic = str(match.slots.get("topic", "")).strip()
    if topic:
        agreements = _about(agreements, topic)
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


@handles("cooldown.status")
def cooldown_status(match: Match, ctx: Context) -> Reply:
    running = ctx.store.cooldown()
    if running is None:
        ctx.offer = Match("", "cooldown.start", 1.0)
        return Reply(ctx.replies.say("cooldown.none"))
    minutes = max(1, round((running.ends_at - ctx.clock()) / 60))
    return Reply(ctx.replies.say("cooldown.status", minutes=minutes, return_time=ctx.clock_time(running.ends_at)), voice="calm")


@handles("greeting")
def greet(match: Match, ctx: Context) -> Reply:
    return Reply(ctx.replies.say("greeting"))


@handles("thanks")
def welcome(match: Match, ctx: Context) -> Reply:
    return Reply(ctx.replies.say("thanks"))


@handles("control.more")
def tell_more(match: Match, ctx: Context) -> Reply:
    """One step deeper into the last pattern or topic ("….deeper", then "….deeper2"), then a tip."""
    key = ctx.more
    if key is None or not ctx.replies.has(key):
        ctx.more = None
        ctx.offer = Match("", "balance.tip", 1.0)
        return Reply(ctx.replies.say("more_none"))
    ctx.more = f"{key}2" if key.endswith(".deeper") and ctx.replies.has(f"{key}2") else None
    return Reply(ctx.replies.say(key))


@handles("help")
def explain_help(match: Match, ctx: Context) -> Reply:
    if ctx.safety_mode:
        return Reply(ctx.replies.say("safety.help"), private=True)
    return Reply(ctx.replies.say("help"))
