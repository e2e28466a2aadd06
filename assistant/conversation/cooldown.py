"""The timed break: its state lives in the database, so a break survives a crash or a reboot.

Kindly stays quiet during the break, checks in once shortly before the end, and guides the return when the
time is up. After a restart it resumes with the time that is left, or goes straight to the return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.messages import Reply
from assistant.storage import Cooldown

if TYPE_CHECKING:
    from assistant.conversation.handlers import Context

CHECK_IN_BEFORE_S = 120.0
"""The one check-in comes this long before the end of the break."""


def due(ctx: "Context", now: float) -> list[Reply]:
    """The check-in or the return, if one is due now."""
    running = ctx.store.cooldown()
    if running is None:
        return []
    if now >= running.ends_at:
        ctx.store.save_cooldown(None)
        return [Reply(ctx.replies.say("cooldown.return"), voice="calm")]
    if not running.checked_in and now >= running.ends_at - CHECK_IN_BEFORE_S:
        ctx.store.save_cooldown(Cooldown(running.started_at, running.ends_at, True))
        return [Reply(ctx.replies.say("cooldown.check_in"), voice="calm")]
    return []


def resume(ctx: "Context", now: float) -> Reply | None:
    """What to say at start-up about a break that was running when Kindly stopped."""
    running = ctx.store.cooldown()
    if running is None:
        return None
    if now >= running.ends_at:
        return due(ctx, now)[0]
    return Reply(ctx.replies.say("cooldown.resumed", return_time=ctx.clock_time(running.ends_at)), voice="calm")
