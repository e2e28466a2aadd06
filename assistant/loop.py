"""The hands-free loop: audio chunks in, spoken replies out, one synchronous pipeline.

    AudioChunk → Endpointer → Utterance → Recognizer → Transcript → Dialogue → Reply → Synthesizer → Speaker

While a reply plays, every incoming chunk goes to the stop spotter only (Kindly does not transcribe its own
voice) and one chunk's worth of reply is played per chunk heard, so playback and listening share one clock.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from assistant.audio import CHUNK_BYTES, AudioSource
from assistant.conversation.dialogue import Dialogue
from assistant.endpoint import Endpointer
from assistant.memory import release_free_memory
from assistant.messages import SAMPLE_RATE, AudioChunk, Match, Reply, Transcript, Utterance
from assistant.speaker import Speaker
from assistant.spotter import StopSpotter
from assistant.stt import Recognizer
from assistant.stt.frontend import FrontEnd
from assistant.tts import SpeechError, Synthesizer
from assistant.wake import FOLLOW_UP_S, WAIT_FOR_REQUEST_S, Waker, earcon

_LOGGER = logging.getLogger(__name__)
KEEP_HISTORY = 200
"""Turns and spoken replies kept for callers and tests; bounded so a days-long session does not grow."""
RETRY_FIRST_S = 1.0
"""First pause before reopening a lost microphone; it doubles up to RETRY_MAX_S."""
RETRY_MAX_S = 30.0


SUGGESTION_PAUSE_S = 0.7
"""Silence around words Kindly suggests saying, so they stand apart from its own."""


def spoken_parts(reply: Reply, default_voice: str) -> list[tuple[str, str]]:
    """(text, voice) in speaking order; an empty text is a pause. A suggestion ("You could say: …") is spoken
    after a pause in the calm voice, or the slow one when the whole reply is slow."""
    voice = default_voice if reply.voice == "default" else reply.voice
    if not reply.suggestion or reply.suggestion not in reply.text:
        return [(reply.text, voice)]
    before, _, after = reply.text.partition(reply.suggestion)
    said = "slow" if reply.voice == "slow" else "calm"
    parts = [(before.strip(' "'), voice), ("", ""), (reply.suggestion, said), ("", ""), (after.strip(' "'), voice)]
    while parts and not parts[-1][0]:
        parts.pop()
    while parts and not parts[0][0]:
        parts.pop(0)
    return parts


@dataclass(frozen=True)
class Turn:
    """One spoken turn and what came of it."""

    transcript: Transcript
    match: Match
    reply: Reply
    latency_ms: float
    """From the end of the speech to the first reply audio being ready (endpoint silence included)."""
    endpoint_ms: float = 0.0
    """The part of the latency spent waiting for the trailing silence that ends a turn."""
    stopped_at_s: float | None = None
    """Stream time at which a spoken "stop" cut the reply, if it did."""
    spoken: bool = True
    """False when the speech synthesiser failed and the reply could only be shown."""


class VoiceLoop:
    """Holds the conversation by voice until the audio source runs out or is closed."""

    def __init__(self, source: AudioSource, recognizer: Recognizer, endpointer: Endpointer, dialogue: Dialogue,
                 synthesizer: Synthesizer, speaker: Speaker, spotter: StopSpotter | None = None,
                 on_turn: Callable[[Turn], None] | None = None, clock: Callable[[], float] = time.perf_counter,
                 wall: Callable[[], float] = time.time, on_reply: Callable[[Reply], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.source = source
        self.recognizer = recognizer
        self.endpointer = endpointer
        self.dialogue = dialogue
        self.synthesizer = synthesizer
        self.speaker = speaker
        self.spotter = spotter
        self.on_turn = on_turn
        self._clock = clock
        self._wall = wall
        self._sleep = sleep
        self.on_reply = on_reply
        """Called with replies that come by the clock (breathing cues, the break's check-in and return)."""
        self.waker = Waker(mode="always")
        """Whether a turn is meant for Kindly (wake phrase, always, or push to talk)."""
        self.default_voice = "default"
        """The voice profile for ordinary replies (the `voice` setting)."""
        self.clock_replies = True
        """Speak what comes by the clock: a break that was running at start-up, breathing cues, the break's
        check-in and return. `kindly respond` turns this off: it answers the one turn in its file, and a cue
        played first would use up the file's audio while only "stop" is listened for."""
        self._epoch = wall()
        self._stream_s = 0.0
        self._failed = False
        self.turns: deque[Turn] = deque(maxlen=KEEP_HISTORY)
        """The latest turns (a service runs for days: older ones are dropped)."""
        self.answered = 0
        self.spoken: deque[tuple[float, str]] = deque(maxlen=KEEP_HISTORY)
        """(stream time, text) of every reply as it started playing."""

    def now(self) -> float:
        """The loop's clock: wall time at the start plus the audio heard since, so timed cues follow the
        stream (and run accelerated, without drift, when the source is a file)."""
        return self._epoch + self._stream_s

    def run(self, max_turns: int | None = None) -> list[Turn]:
        """Listen and answer until the source runs out, `max_turns` were answered, or the session ends. A lost
        microphone is retried with growing pauses, and listening resumes when it is back."""
        self._epoch = self._wall()
        self.dialogue.ctx.clock = self.now
        resumed = self.dialogue.resume() if self.clock_replies else None
        delay = RETRY_FIRST_S
        while True:
            try:
                chunks = self._conditioned(self.source.chunks())
                if resumed is not None:
                    self._timed(resumed, chunks)
                    resumed = None
                self._serve(chunks, max_turns)
                return list(self.turns)
            except Exception as error:  # noqa: BLE001 - sounddevice raises its own PortAudioError
                if not _is_device_error(error):
                    raise
                _LOGGER.error("the microphone stopped (%s); trying again in %.0f s", str(error).splitlines()[0] if str(error) else type(error).__name__, delay)
                self._recover()
                self._sleep(delay)
                delay = min(delay * 2, RETRY_MAX_S)

    def _conditioned(self, chunks: Iterable[AudioChunk]) -> Iterator[AudioChunk]:
        """The source's audio through the front end (stt/frontend.py), which everything after it hears."""
        front = FrontEnd()
        for chunk in chunks:
            yield dataclasses.replace(chunk, pcm=front.process(chunk.pcm))

    def _serve(self, chunks: Iterator[AudioChunk], max_turns: int | None) -> None:
        for chunk in chunks:
            self._stream_s = chunk.start_s + chunk.seconds
            if self.waker.pushed():
                self._chime(chunks)
                self.waker.awake_until = self.now() + WAIT_FOR_REQUEST_S
            utterance = self._listen(chunk)
            if utterance is None:
                if self.clock_replies and not self.endpointer.in_speech:
                    for reply in self.dialogue.tick():
                        self._timed(reply, chunks)
                continue
            turn = self._answer(utterance, chunk, chunks)
            release_free_memory()
            if turn is None:
                continue
            self.turns.append(turn)
            self.answered += 1
            if self.on_turn:
                self.on_turn(turn)
            if max_turns is not None and self.answered >= max_turns or turn.reply.end_session:
                return

    def _recover(self) -> None:
        """Drop the half-heard utterance after a device error."""
        if self.endpointer.in_speech:
            try:
                self.recognizer.finish()
            except Exception:  # noqa: BLE001 - whatever state the engine was left in, start clean
                _LOGGER.debug("recogniser could not finish the interrupted utterance", exc_info=True)
        self.endpointer.reset()

    def close(self) -> None:
        """Release the synthesiser's temporary folder and the audio devices."""
        self.source.close()
        self.synthesizer.close()
        self.speaker.close()

    def __enter__(self) -> "VoiceLoop":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _listen(self, chunk: AudioChunk) -> Utterance | None:
        started, utterance = self.endpointer.feed(chunk)
        if started:
            self.recognizer.start()
            self.recognizer.accept(self.endpointer.buffered())
        elif self.endpointer.in_speech:
            partial = self.recognizer.accept(chunk.pcm)
            self.endpointer.complete = self._is_complete(partial)
        return utterance

    def _is_complete(self, partial: str) -> bool:
        """The words so far already make a request Kindly would act on."""
        if not partial:
            return False
        match = self.dialogue.matcher.match(partial)
        return match.intent is not None and match.confidence >= self.dialogue.matcher.thresholds.accept

    def _answer(self, utterance: Utterance, chunk: AudioChunk, chunks: Iterator[AudioChunk]) -> Turn | None:
        detected = self._clock()
        transcript = self.recognizer.finish()
        if not transcript.text:
            return None
        text, woke = self.waker.hear(transcript.text, self.now())
        if not text:
            if woke:  # the wake phrase alone: chime, then listen for the request
                self._chime(chunks)
                self.waker.awake_until = self.now() + WAIT_FOR_REQUEST_S
            return None
        match, reply = self.dialogue.turn(text)
        if not reply.private:  # safety turns are never logged
            _LOGGER.debug("heard: %s", transcript.text)
        endpoint_delay_s = chunk.start_s + chunk.seconds - utterance.speech_end_s
        latency_ms, stopped_at = self._say(reply, chunks, detected)
        latency_ms += endpoint_delay_s * 1000
        self.waker.awake_until = self.now() + FOLLOW_UP_S
        return Turn(transcript, match, reply, latency_ms, endpoint_delay_s * 1000, stopped_at, spoken=not self._failed)

    def _chime(self, chunks: Iterator[AudioChunk]) -> None:
        self._play(earcon(), iter(()), chunks)

    def _timed(self, reply: Reply, chunks: Iterator[AudioChunk]) -> None:
        if self.on_reply:
            self.on_reply(reply)
        self._say(reply, chunks)

    def _say(self, reply: Reply, chunks: Iterator[AudioChunk], since: float | None = None) -> tuple[float, float | None]:
        """Speak a reply while listening for stop; (ms until its first audio was ready, stream time of a stop)."""
        since = self._clock() if since is None else since
        self._failed = False
        self.spoken.append((self._stream_s, reply.text))
        parts = self._synthesize(reply)
        first = next(parts, b"")
        ready_ms = (self._clock() - since) * 1000
        return ready_ms, self._play(first, parts, chunks)

    def _synthesize(self, reply: Reply) -> Iterator[bytes]:
        try:
            for text, voice in spoken_parts(reply, self.default_voice):
                if text:
                    yield from self.synthesizer.synthesize(text, voice)
                else:
                    yield bytes(int(SUGGESTION_PAUSE_S * SAMPLE_RATE) * 2)
        except SpeechError as error:
            _LOGGER.error("%s", error)
            self._failed = True

    def _play(self, first: bytes, rest: Iterator[bytes], chunks: Iterator[AudioChunk]) -> float | None:
        """Play the reply one chunk per chunk heard; return the stream time of a spoken stop, if any."""
        if self.spotter:
            self.spotter.start()
        listening = True
        try:
            for pcm in _chain(first, rest):
                for offset in range(0, len(pcm), CHUNK_BYTES):
                    self.speaker.write(pcm[offset : offset + CHUNK_BYTES])
                    heard = next(chunks, None) if listening else None
                    if heard is None:
                        listening = False  # the source ran out: play the rest unheard
                        continue
                    self._stream_s = heard.start_s + heard.seconds
                    if self.spotter and self.spotter.accept(heard.pcm):
                        self.speaker.stop()
                        self.dialogue.interrupt()
                        return heard.start_s + heard.seconds
            self.speaker.drain()
            return None
        finally:
            if self.spotter:
                self.spotter.end()
            self.endpointer.reset()


def _is_device_error(error: BaseException) -> bool:
    from assistant.errors import AudioError

    return isinstance(error, AudioError) or type(error).__name__ == "PortAudioError"


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest
