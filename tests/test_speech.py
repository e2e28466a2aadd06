"""Speech end to end with real parts: espeak-ng and festival voices, PocketSphinx, pyttsx3 replies."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
import yaml

from assistant import wavfile
from assistant.messages import Transcript
from assistant.understanding import intents
from assistant.session import build_matcher
from assistant.settings import Settings, load as load_settings
from assistant.understanding.matcher import SAFETY_INTENT, Matcher
from assistant.stt import transcribe
from assistant.resources import shipped
from tests.conftest import recogniser_cache, run_kindly
from tests.speech import join, silence, speak

pytestmark = pytest.mark.speech
SPOKEN = yaml.safe_load((Path(__file__).parent / "golden" / "spoken.yaml").read_text())


def test_a_word_added_to_a_training_file_is_heard_after_the_next_start(tmp_path: Path) -> None:
    """The cached language model is keyed on the sentence files' bytes (so a start-up need not read them all),
    and still follows an edit to one of them."""
    import shutil

    from assistant.stt.sphinx_engine import SphinxRecognizer

    folder = tmp_path / "intents"
    shutil.copytree(shipped("intents"), folder)
    catalog = intents.load(folder)
    before = SphinxRecognizer(catalog, tmp_path / "cache", remember_mean=False, folder=folder).known_words()
    (folder / "training" / "fruit.yaml").write_text('sentences:\n  cooldown.start:\n    - "a break please, I need a kumquat"\n')
    after = SphinxRecognizer(catalog, tmp_path / "cache", remember_mean=False, folder=folder).known_words()
    assert "kumquat" not in before and "kumquat" in after


def test_transcribe_json_for_each_file_and_an_error_for_a_broken_one(tmp_path: Path, speech_env: dict) -> None:
    good = speak("I need a break", "festival")
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"not audio at all")
    result = run_kindly("transcribe", str(good), str(broken), str(good), "--json", env=speech_env)
    assert result.returncode == 1
    objects = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o["file"] for o in objects] == [str(good), str(good)]
    assert objects[0]["text"] == "i need a break" and objects[0]["engine"] == "pocketsphinx"
    assert objects[0]["audio_seconds"] > 0.5 and 0 < objects[0]["decode_seconds"] < objects[0]["audio_seconds"]
    errors = result.stderr.decode().strip().splitlines()
    assert len(errors) == 1 and str(broken) in errors[0] and "not a WAV" in errors[0]


def test_respond_answers_and_writes_a_real_spoken_reply(tmp_path: Path, speech_env: dict) -> None:
    from assistant.stt.sphinx_engine import SphinxRecognizer

    reply_wav = tmp_path / "reply.wav"
    env = {**speech_env, "KINDLY_DATA_DIR": str(tmp_path / "data")}
    result = run_kindly("respond", str(speak("can we take a break for thirty minutes", "festival")), "--out", str(reply_wav), "--json", env=env)
    assert result.returncode == 0, result.stderr
    turn = json.loads(result.stdout)
    assert set(turn) == {"heard", "intent", "confidence", "slots", "reply", "latency_ms", "private"}
    assert turn["intent"] == "cooldown.start" and turn["slots"] == {"minutes": 30}
    assert "30 minutes" in turn["reply"] and turn["latency_ms"] > 0
    sphinx = SphinxRecognizer(intents.load(), Path(speech_env["KINDLY_CACHE_DIR"]), remember_mean=False)  # a fresh start
    spoken_back = transcribe(sphinx, wavfile.read(reply_wav)).text
    assert len(wavfile.read(reply_wav)) / 32000 > 2.0
    key_words = {w for w in re.findall(r"[a-z]+", turn["reply"].lower()) if len(w) >= 4}
    assert key_words & set(spoken_back.split()), (turn["reply"], spoken_back)


def test_respond_hears_its_turn_while_a_break_is_running(tmp_path: Path, speech_env: dict) -> None:
    """Each `kindly respond` is a run of its own. A break started by one used to be announced by the next
    ("your break is running…") over that file's audio, so its turn was never heard."""
    env = {**speech_env, "KINDLY_DATA_DIR": str(tmp_path / "data")}
    first = run_kindly("respond", str(speak("I need a break", "festival")), "--json", env=env)
    assert json.loads(first.stdout)["intent"] == "cooldown.start", first.stderr
    second = run_kindly("respond", str(speak("can I get ten more minutes", "festival")), "--json", env=env)
    assert second.returncode == 0, second.stderr
    turn = json.loads(second.stdout)
    assert turn["intent"] == "cooldown.extend" and turn["slots"] == {"minutes": 10}, turn
    assert "10" in turn["reply"] or "ten" in turn["reply"], turn["reply"]


def test_a_new_run_hears_like_one_long_run(tmp_path: Path) -> None:
    """The recogniser's cepstral mean (how it has adapted to the voice, microphone and room) is saved after
    each utterance and the next run starts from it, instead of starting each file from the model's default
    (from which this voice's "i am ready to talk again" is heard as "i am ready to tell can you")."""
    from assistant.stt.sphinx_engine import MEAN_FILE, SphinxRecognizer

    transcribe(SphinxRecognizer(intents.load(), tmp_path / "runs"), wavfile.read(speak("I feel completely ignored", "en-us", 150)))
    saved = (tmp_path / "runs" / "pocketsphinx" / MEAN_FILE).read_text()
    assert len(saved.split(",")) == 13 and all(math.isfinite(float(x)) for x in saved.split(","))
    right = {"default": 0, "saved": 0}
    for text in MEAN_SENTENCES:  # each a run of its own
        pcm = wavfile.read(speak(text, "en-us", 150))
        right["default"] += transcribe(SphinxRecognizer(intents.load(), tmp_path / "default", remember_mean=False), pcm).text == text
        right["saved"] += transcribe(SphinxRecognizer(intents.load(), tmp_path / "runs"), pcm).text == text
    assert right["saved"] >= right["default"] + 2, right


MEAN_SENTENCES = ("help me say this kindly", "i need a break", "how much time is left", "can we do some breathing",
                  "remind me what we agreed", "what is the pursuer distancer pattern", "we keep fighting about money",
                  "i am ready to talk again")


@pytest.mark.parametrize("damage", ["garbage", "directory"])
def test_a_damaged_saved_mean_is_ignored(tmp_path: Path, speech_env: dict, damage: str) -> None:
    from assistant.stt.sphinx_engine import MEAN_FILE

    mean = recogniser_cache(tmp_path / "cache") / "pocketsphinx" / MEAN_FILE
    mean.parent.mkdir(parents=True)
    if damage == "garbage":
        mean.write_bytes(b"\xff\xfe not numbers,1,2")
    else:
        mean.mkdir()
    env = {**speech_env, "KINDLY_CACHE_DIR": str(tmp_path / "cache")}
    result = run_kindly("transcribe", str(speak("I need a break", "festival")), "--json", env=env)
    notices = result.stderr.decode().splitlines()  # no warning: at most the notice that Kindly is learning
    assert result.returncode == 0 and all("learning its sentences" in line for line in notices), result.stderr
    assert json.loads(result.stdout)["text"] == "i need a break"
    if damage == "garbage":
        assert len(mean.read_text().split(",")) == 13  # replaced by a good one


def _cases() -> list[tuple[str, str | None]]:
    return ([(c["say"], c["intent"]) for c in SPOKEN["in_scope"]] + [(s, None) for s in SPOKEN["out_of_scope"]]
            + [(s, SAFETY_INTENT) for s in SPOKEN["crisis"]])


def _fresh_recogniser(cache: Path, judge: Matcher | None = None):
    """Kindly's recogniser from the acoustic model's default state: its noise normalisation adapts as it hears,
    and no saved mean is read, so a test hears the same whatever ran before. With a judge, commands are decoded
    with the grammar too."""
    from assistant.stt.sphinx_engine import SphinxRecognizer

    return SphinxRecognizer(intents.load(), cache, remember_mean=False, folder=shipped("intents"), judge=judge)


def _first_heard(words: str, voice: str, matcher: Matcher, speech_env: dict) -> Transcript:
    """The words in a voice, as the first thing a fresh recogniser with the matcher as its judge hears."""
    recogniser = _fresh_recogniser(Path(speech_env["KINDLY_CACHE_DIR"]), judge=matcher)
    return transcribe(recogniser, wavfile.read(speak(words, voice)))


def _accuracy(cache: Path, voice: str, speed: int = 150, noise: float = 0.0) -> dict[str, float]:
    """Intent accuracy from audio, with a fresh recogniser, so each voice starts from the same state."""
    matcher = build_matcher(load_settings())
    sphinx = _fresh_recogniser(cache, judge=matcher)
    right: dict[str, list[bool]] = {"in_scope": [], "out_of_scope": [], "crisis": []}
    for text, want in _cases():
        heard = transcribe(sphinx, wavfile.read(speak(text, voice, speed, noise))).text
        group = "crisis" if want == SAFETY_INTENT else "out_of_scope" if want is None else "in_scope"
        right[group].append(matcher.match(heard).intent == want)
    return {group: sum(values) / len(values) for group, values in right.items()}


def test_festival_voice_intents_from_audio(speech_env: dict) -> None:
    accuracy = _accuracy(Path(speech_env["KINDLY_CACHE_DIR"]), "festival")
    assert accuracy["in_scope"] >= 0.9 and accuracy["out_of_scope"] >= 0.8 and accuracy["crisis"] == 1.0, accuracy


def test_festival_voice_with_noise(speech_env: dict) -> None:
    accuracy = _accuracy(Path(speech_env["KINDLY_CACHE_DIR"]), "festival", noise=0.02)
    assert accuracy["in_scope"] >= 0.8 and accuracy["out_of_scope"] >= 0.8 and accuracy["crisis"] >= 0.8, accuracy


@pytest.mark.parametrize(("voice", "speed"), [("en-us", 150), ("en-us+klatt", 140), ("en-us+f3", 170)])
def test_espeak_voices_intents_from_audio(speech_env: dict, voice: str, speed: int) -> None:
    """espeak-ng's formant voices are far from the speech PocketSphinx was trained on; these floors are
    what it reaches today (see the closing note of the speech issue), kept so it cannot quietly get worse."""
    accuracy = _accuracy(Path(speech_env["KINDLY_CACHE_DIR"]), voice, speed)
    assert accuracy["in_scope"] >= 0.55 and accuracy["out_of_scope"] >= 0.6 and accuracy["crisis"] >= 0.5, accuracy


def test_a_pause_mid_sentence_does_not_end_the_turn(tmp_path: Path) -> None:
    from assistant.audio import WavSource
    from assistant.endpoint import Endpointer

    wav = join([speak("I feel like", "festival"), silence(0.9), speak("nobody listens to me", "festival"), silence(2.5)], tmp_path / "pause.wav")
    endpointer = Endpointer()
    utterances = [u for chunk in WavSource(wav).chunks() if (u := endpointer.feed(chunk)[1])]
    assert len(utterances) == 1
    assert utterances[0].seconds > 2.5


def test_a_complete_request_ends_sooner(tmp_path: Path, speech_env: dict) -> None:
    from assistant.audio import WavSource
    from assistant.session import build_voice_loop
    from assistant.settings import Settings
    from assistant.speaker import NullSpeaker

    wav = join([silence(0.5), speak("I need a break", "festival"), silence(2.5)], tmp_path / "complete.wav")
    settings = Settings(country="US", data_dir=str(tmp_path / "data"))
    import os

    os.environ["KINDLY_CACHE_DIR"] = speech_env["KINDLY_CACHE_DIR"]
    with build_voice_loop(settings, WavSource(wav), NullSpeaker(), listen_mode="always") as loop:
        turns = loop.run(max_turns=1)
    assert turns[0].match.intent == "cooldown.start"
    assert turns[0].latency_ms < 1000  # the short silence (0.5 s) applied, not the long one (1.5 s)


def test_spoken_stop_cuts_the_reply_within_300_ms(tmp_path: Path, speech_env: dict) -> None:
    import subprocess

    from assistant.audio import WavSource
    from assistant.session import build_voice_loop
    from assistant.settings import Settings
    from assistant.speaker import WavSpeaker

    stop = tmp_path / "stop.wav"
    # trim the clip to the word itself, so "the end of the word" is the end of the clip
    subprocess.run(["sox", str(speak("stop", "en-us")), "-r", "16000", str(stop), "silence", "1", "0.02", "1%", "reverse",
                    "silence", "1", "0.02", "1%", "reverse"], check=True)
    wav = join([silence(0.5), speak("I need a break", "festival"), silence(2.0), stop, silence(2.0)], tmp_path / "barge.wav")
    stop_end = (len(wavfile.read(wav)) / 32000) - 2.0
    import os

    os.environ["KINDLY_CACHE_DIR"] = speech_env["KINDLY_CACHE_DIR"]
    speaker = WavSpeaker(tmp_path / "played.wav")
    with build_voice_loop(Settings(country="US", data_dir=str(tmp_path / "data")), WavSource(wav), speaker, listen_mode="always") as loop:
        turns = loop.run(max_turns=1)
    assert turns[0].stopped_at_s is not None, "the spoken stop was not heard"
    assert 0 <= turns[0].stopped_at_s - stop_end <= 0.3
    assert speaker.seconds < 5.0  # the reply (about 7 s) was cut


def test_say_writes_speech_and_unknown_voice_is_named(tmp_path: Path) -> None:
    out = tmp_path / "say.wav"
    result = run_kindly("say", "Let's take a breath together.", "--voice", "calm", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert len(wavfile.read(out)) / 32000 > 1.0
    bad = run_kindly("say", "hi", "--voice", "clam", "--out", str(out))
    assert bad.returncode == 2 and "did you mean 'calm'" in bad.stderr.decode().lower()


def test_no_microphone_says_so_and_offers_chat(tmp_path: Path) -> None:
    result = run_kindly("listen", env={"KINDLY_DATA_DIR": str(tmp_path)})
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "microphone" in lines[0] and "kindly chat" in lines[0]


def test_listen_from_a_file_runs_the_microphone_path(tmp_path: Path, speech_env: dict) -> None:
    wav = join([silence(0.3), speak("I need a break", "festival"), silence(2.0), speak("yes please", "festival"), silence(1.0)], tmp_path / "two.wav")
    env = {**speech_env, "KINDLY_DATA_DIR": str(tmp_path / "data")}
    result = run_kindly("listen", "-v", "--input", str(wav), "--out", str(tmp_path / "replies.wav"), "--listen-mode", "always", env=env)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert "you: i need a break" in text and "breath" in text.split("you: yes please")[-1].lower()


def test_each_reply_is_spoken_with_its_own_profile_when_they_alternate() -> None:
    """The calm profile is slower than the default one every time, however quickly replies alternate."""
    from assistant.tts import Synthesizer

    synthesizer = Synthesizer()
    text = "Let's slow down and breathe together for a little while."
    seconds: dict[str, list[float]] = {"default": [], "calm": []}
    for voice in ("default", "calm") * 4:
        seconds[voice].append(sum(len(pcm) for pcm in synthesizer.synthesize(text, voice)) / 32000)
    synthesizer.close()
    assert max(seconds["default"]) - min(seconds["default"]) < 0.05 * min(seconds["default"]), seconds
    assert min(seconds["calm"]) > 1.15 * max(seconds["default"]), seconds


def _heard(recognizer: object, pcm: bytes) -> str:
    return transcribe(recognizer, pcm).text


def test_the_front_end_copes_with_digital_silence_dc_offset_and_8_khz(speech_env: dict) -> None:
    """Noise-gated audio (exact zeros between words), a DC offset and telephone-band audio are heard as the
    clean recording is."""
    import numpy as np

    sphinx = _fresh_recogniser(Path(speech_env["KINDLY_CACHE_DIR"]))
    clean = np.frombuffer(wavfile.read(speak("can we take a break for thirty minutes", "flite:awb")), dtype="<i2")
    expected = _heard(sphinx, clean.tobytes())
    assert expected == "can we take a break for thirty minutes"
    gated = np.where(np.abs(clean) < 300, 0, clean).astype("<i2")  # a noise gate: exact zeros wherever it is quiet
    assert _heard(sphinx, gated.tobytes()) == expected
    offset = np.clip(clean.astype(np.int32) + 4000, -32768, 32767).astype("<i2")
    assert _heard(sphinx, offset.tobytes()) == expected
    import soxr

    telephone = soxr.resample(clean.astype(np.float64) / 32768.0, 16000, 8000)  # read back at 16 kHz, as wavfile does
    assert _heard(sphinx, wavfile.to_pcm16(telephone, 8000)) == expected


def test_real_people_ordering_coffee_in_a_noisy_kitchen_are_understood(tmp_path: Path) -> None:
    """Four real speakers on their own microphones, kitchen noise at 12 dB (tests/data/barista): each order is
    heard and parsed completely against the coffee grammar, as scripts/eval_realspeech.py counts it. A cache of
    its own, so the recogniser starts from its default state whatever ran before."""
    folder = Path(__file__).parent / "data" / "barista"
    coffee = Path(__file__).parent / "data" / "coffee"
    env = {"KINDLY_CACHE_DIR": str(recogniser_cache(tmp_path / "cache"))}
    labels = yaml.safe_load((folder / "labels.yaml").read_text())
    heard = run_kindly("--intents-dir", str(coffee), "transcribe", *(str(folder / name) for name in labels), "--json", env=env, timeout=300)
    texts = [json.loads(line)["text"] for line in heard.stdout.decode().splitlines()]
    parsed = run_kindly("--intents-dir", str(coffee), "parse", "--json", stdin="".join(f"{t}\n" for t in texts), env=env)
    results = [json.loads(line) for line in parsed.stdout.decode().splitlines()]
    assert len(results) == len(labels), heard.stderr.decode()
    for (name, slots), text, result in zip(labels.items(), texts, results):
        assert result["intent"] == "orderDrink" and {k: result["slots"].get(k) for k in slots} == slots, (name, text, result)


def test_a_noisy_kitchen_is_told_from_a_quiet_room() -> None:
    """What the recogniser hears is measured per utterance (stt/snr.py): the four real orders with kitchen noise at
    12 dB (tests/data/barista) count as a noisy room, where the grammar is trusted more; a voice in a quiet room
    does not."""
    from assistant.stt.choice import NOISY_DB
    from assistant.stt.frontend import FrontEnd
    from assistant.stt.snr import SignalToNoise

    def measured(pcm: bytes) -> float:
        front, meter = FrontEnd(), SignalToNoise()
        for offset in range(0, len(pcm), 9600):
            meter.add(front.process(pcm[offset : offset + 9600]))
        return meter.db()

    kitchen = sorted((Path(__file__).parent / "data" / "barista").glob("*.wav"))
    assert kitchen and all(measured(wavfile.read(path)) < NOISY_DB for path in kitchen)
    assert measured(wavfile.read(speak("can i get a large latte with oat milk", "festival"))) > NOISY_DB + 10


def test_commands_are_decoded_with_the_grammar_too_and_the_matcher_chooses(speech_env: dict) -> None:
    matcher = build_matcher(load_settings())
    sphinx = _fresh_recogniser(Path(speech_env["KINDLY_CACHE_DIR"]), judge=matcher)
    command = transcribe(sphinx, wavfile.read(speak("make it half an hour", "festival")))
    assert command.alternatives["grammar"] and matcher.match(command.text).slots.get("minutes") == 30
    free = transcribe(sphinx, wavfile.read(speak("add milk to the shopping list", "flite:slt")))
    assert matcher.match(free.text).intent is None, free.alternatives  # not forced into a command
    words = transcribe(sphinx, wavfile.read(speak("help me say this kindly you forgot my birthday", "flite:awb")))
    assert "birthday" in words.text  # the words to soften stay as said


def test_a_spoken_disclosure_reaches_safety_and_prints_nothing_of_it(tmp_path: Path, speech_env: dict) -> None:
    env = {**speech_env, "KINDLY_DATA_DIR": str(tmp_path / "data")}
    result = run_kindly("respond", str(speak("he grabbed my wrist so hard it bruised", "flite:rms")), "--json", env=env)
    assert result.returncode == 0, result.stderr
    turn = json.loads(result.stdout)
    assert turn["private"] is True and turn["heard"] is None and turn["reply"] is None
    assert "wrist" not in result.stderr.decode() and "bruised" not in result.stdout.decode()


@pytest.mark.parametrize(("words", "voice"), [
    ("I don't want to wake up tomorrow", "festival"), ("he said he'd kill me if I left", "festival"),
    ("she won't let me see my family anymore", "flite:rms"),
])
def test_a_disclosure_the_recogniser_half_heard_reaches_safety(speech_env: dict, matcher: Matcher, words: str, voice: str) -> None:
    """The best guess of a fresh recogniser misses a word ("i both want to wake up tomorrow", "he said i need kill
    me", "she wants let me see my family"), but leans toward a disclosure, and one of its next guesses has it
    (stt/choice.py disclosed())."""
    heard = _first_heard(words, voice, matcher, speech_env)
    assert matcher.match(heard.text).intent == SAFETY_INTENT, heard.alternatives


@pytest.mark.parametrize(("words", "voice", "intent"), [
    ("no", "flite:awb", "control.no"), ("no", "flite:slt", "control.no"), ("no", "festival", "control.no"),
    ("hey", "festival", "greeting"), ("um, hello", "flite:awb", "greeting"),
    ("um, keep going", "festival:cmu_us_slt_arctic_hts", "control.more"),
])
def test_a_short_answer_is_heard_as_said(speech_env: dict, matcher: Matcher, words: str, voice: str, intent: str) -> None:
    """People answer in a word or two: the language model expects short answers often enough that "no" is not
    heard as "know" or "yo", nor "hey" as "bed" (stt/corpus.py weighted()); and a hesitation is heard as one, not
    as a word ("um hello" as "them whole": stt/corpus.py natural()). Each answer is the first thing a fresh
    recogniser hears, so no earlier sentence has tuned it."""
    heard = _first_heard(words, voice, matcher, speech_env)
    assert matcher.match(heard.text).intent == intent, heard.alternatives
    assert "um" not in heard.text.split()  # heard, but not reported
