"""The mystery-shop scenario check on real speech: are the scripted objections found?

    python benchmarks/eval_scenario_check.py              # generate, transcribe, check, report
    python benchmarks/eval_scenario_check.py --show       # also print each call's transcript
    python benchmarks/eval_scenario_check.py --keep DIR   # keep the generated recordings in DIR

Each call below is a mystery call as a shopper would record it: the seller on the left
channel, the shopper (customer) on the right, both voiced by festival (the voices of
``tests/data/make_audio_fixtures.py``, with sox) and encoded as Ogg/Opus into a temporary
folder; nothing is committed but this script. The scenario scripts a price and an assortment
objection, worded as the labelling rules define them (an assortment objection rejects what is
on offer: "a blue one isn't there?", not the neutral "do you have it in blue?"); in some calls
the shopper forgets one. Every call goes through what the app does
with a shopper's recording: faster-whisper (the default engine and settings, language
detected), the objection detector on the customer's turns (``scoring.find_objections``, the
shipped model), and the scenario check of the editor's page
(:func:`qa.services.mystery.checks.scripted_handling`).

Reported, overall and per language:
- found: the share of objections the shopper said that the check marks as raised;
- false finds: objections the shopper forgot that the check marks as raised anyway;
- verdict: calls whose scenario verdict (pass only when both were raised) is right;
- seller: raised objections whose handling suggestion (alternative, value, gave up) matches
  how the seller was scripted to answer.
The same check on the scripts' own text (no speech recognition) is printed beside, so errors
of the recogniser and of the detector can be told apart.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.services.mystery.checks import scripted_handling  # noqa: E402
from scoring import find_objections  # noqa: E402
from tests.data import make_audio_fixtures as voices  # noqa: E402
from transcription import load_transcriber  # noqa: E402

LABELS = ("price", "assortment")


@dataclass(frozen=True)
class MysteryCall:
    name: str
    lang: str
    turns: list[tuple[str, str]]
    # What the shopper really said, and how the seller was scripted to answer it.
    said: dict[str, str]  # label -> alternative | value | gave_up


def ru(
    name: str,
    price: tuple[str, str] | None,
    assortment: tuple[str, str] | None,
    ask: str = "Добрый день. Сколько стоит диван Комфорт?",
) -> MysteryCall:
    turns = [
        ("agent", "Добрый день! Салон Уютный дом, меня зовут Ольга."),
        ("customer", ask),
        ("agent", "Этот диван стоит сорок тысяч рублей."),
    ]
    said = {}
    for label, pair in (("price", price), ("assortment", assortment)):
        if pair is None:
            continue
        words, (kind, answer) = pair[0], REPLIES_RU[pair[1]]
        turns += [("customer", words), ("agent", answer)]
        said[label] = kind
    if len(said) < 2:
        turns += [("customer", "Хорошо, спасибо, я подумаю."), ("agent", "Всего доброго!")]
    return MysteryCall(name, "ru", turns, said)


def en(
    name: str,
    price: tuple[str, str] | None,
    assortment: tuple[str, str] | None,
    ask: str = "Hi. How much is the Comfort sofa?",
) -> MysteryCall:
    turns = [
        ("agent", "Hello, this is Anna from Cozy Home. How can I help you?"),
        ("customer", ask),
        ("agent", "The Comfort sofa costs five hundred dollars."),
    ]
    said = {}
    for label, pair in (("price", price), ("assortment", assortment)):
        if pair is None:
            continue
        words, (kind, answer) = pair[0], REPLIES_EN[pair[1]]
        turns += [("customer", words), ("agent", answer)]
        said[label] = kind
    if len(said) < 2:
        turns += [("customer", "Okay, thank you, I will think about it."), ("agent", "Goodbye!")]
    return MysteryCall(name, "en", turns, said)


REPLIES_RU = {
    "value": ("value", "Зато у него гарантия пять лет, и есть рассрочка без переплаты."),
    "value2": ("value", "Он окупится: качественный каркас служит много лет."),
    "alt": ("alternative", "Могу предложить похожую модель, она дешевле."),
    "alt2": ("alternative", "Можем заказать нужный цвет, привезём через неделю."),
    "gave_up": ("gave_up", "Нет. Ничем не могу помочь."),
    "gave_up2": ("gave_up", "Ну, как хотите."),
}
REPLIES_EN = {
    "value": ("value", "It is worth it: the frame has a ten year warranty."),
    "alt": ("alternative", "We have a similar model instead, and it costs less."),
    "alt2": ("alternative", "We can order it for you in a week."),
    "gave_up": ("gave_up", "Sorry, there is nothing I can do."),
    "gave_up2": ("gave_up", "Well, it is up to you."),
}

CALLS = [
    ru(
        "ru-01",
        ("Это слишком дорого. У конкурентов дешевле.", "value"),
        ("Синего цвета у вас нет?", "gave_up"),
    ),
    ru(
        "ru-02",
        ("Дороговато, в другом салоне видел дешевле.", "alt"),
        ("Серого цвета у вас нет?", "alt2"),
    ),
    ru(
        "ru-03",
        ("Сорок тысяч? Мне это не по карману.", "gave_up2"),
        ("Мне нужен диван поменьше. Такого размера нет?", "alt"),
    ),
    ru("ru-04", ("Ого, за такие деньги? Слишком дорого.", "value2"), None),
    ru("ru-05", None, ("Мне нужна модель с ящиком для белья. Такой нет?", "gave_up")),
    ru(
        "ru-06",
        ("Цена кусается. Я рассчитывал на меньшую сумму.", "alt"),
        ("Зелёного цвета у вас нет?", "gave_up2"),
    ),
    ru(
        "ru-07",
        ("Это очень дорого для дачного дивана.", "gave_up"),
        ("Угловой модели у вас нет в наличии?", "alt2"),
        ask="Здравствуйте. Я ищу диван для дачи, сколько он стоит?",
    ),
    ru("ru-08", None, ("Бежевого цвета нет?", "alt2")),
    en(
        "en-01",
        ("That is too expensive. Your competitors are cheaper.", "value"),
        ("No blue one? I really wanted it in blue.", "gave_up"),
    ),
    en(
        "en-02",
        ("Hmm, that's more than I wanted to spend.", "alt"),
        ("You don't have a smaller size? This one won't fit.", "alt2"),
    ),
    en(
        "en-03",
        ("Five hundred? That's way over my budget.", "gave_up2"),
        ("The corner version is sold out? I can't wait two months.", "alt"),
    ),
    en("en-04", ("That's a bit pricey for me.", "value"), None),
    en("en-05", None, ("Only two colours? That is a very limited choice.", "gave_up")),
    en(
        "en-06",
        ("I saw the same sofa much cheaper online.", "gave_up"),
        ("You don't carry one with a storage box at all?", "alt2"),
        ask="Good morning. I am looking for a sofa for my country house. What does it cost?",
    ),
]


def check(turns: list[tuple[str, str]], segments: list[dict[str, object]], lang: str):  # type: ignore[no-untyped-def]
    """The app's analysis of a transcript: objections on the customer's turns, then the check."""
    found = find_objections(segments, lang=lang)
    flags = [
        (f.segment_index, f.label)
        for f in found
        if segments[f.segment_index]["speaker"] in ("customer", "unknown")
    ]
    return {h.label: h for h in scripted_handling(turns, flags, LABELS)}


@dataclass
class Tally:
    said: int = 0
    found: int = 0
    forgotten: int = 0
    false_found: int = 0
    calls: int = 0
    verdicts: int = 0
    handled: int = 0
    handled_right: int = 0

    def add(self, call: MysteryCall, handling: dict[str, object]) -> list[str]:
        self.calls += 1
        notes = []
        for label in LABELS:
            h = handling[label]
            if label in call.said:
                self.said += 1
                if h.raised:  # type: ignore[attr-defined]
                    self.found += 1
                    self.handled += 1
                    if h.suggestion == call.said[label]:  # type: ignore[attr-defined]
                        self.handled_right += 1
                    else:
                        notes.append(f"{label}: seller {h.suggestion}, scripted {call.said[label]}")  # type: ignore[attr-defined]
                else:
                    notes.append(f"{label}: said, not found")
            else:
                self.forgotten += 1
                if h.raised:  # type: ignore[attr-defined]
                    self.false_found += 1
                    notes.append(f"{label}: forgotten, found anyway")
        verdict = all(handling[label].raised for label in LABELS)  # type: ignore[attr-defined]
        self.verdicts += verdict == (len(call.said) == len(LABELS))
        return notes

    def row(self, name: str) -> str:
        def share(a: int, b: int) -> str:
            return f"{a}/{b} = {100 * a / b:.0f} %" if b else "-"

        return (
            f"| {name} | {share(self.found, self.said)} | "
            f"{share(self.false_found, self.forgotten)} | {share(self.verdicts, self.calls)} "
            f"| {share(self.handled_right, self.handled)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each call's transcript")
    parser.add_argument("--keep", type=Path, help="write the recordings here instead of a temp dir")
    args = parser.parse_args()
    transcriber = load_transcriber()
    speech = {"all": Tally(), "ru": Tally(), "en": Tally()}
    text = {"all": Tally(), "ru": Tally(), "en": Tally()}
    audio_seconds = 0.0
    spent = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        for call in CALLS:
            rec = voices.Recording(
                out / f"{call.name}.ogg", call.lang, call.turns, "stereo", "opus", bitrate=24_000
            )
            samples, _timeline = voices.render(rec, Path(tmp))
            voices.encode(samples, rec)
            started = time.perf_counter()
            transcript = transcriber.transcribe(rec.path, language=None, agent_channel="left")
            heard = [
                {"speaker": s.speaker, "start": s.start, "end": s.end, "text": s.text}
                for s in transcript.segments
            ]
            lang = transcript.language if transcript.language in ("ru", "en") else call.lang
            handling = check([(s["speaker"], s["text"]) for s in heard], heard, lang)
            spent += time.perf_counter() - started
            audio_seconds += transcript.duration
            scripted = [{"speaker": r, "start": 0.0, "end": 0.0, "text": t} for r, t in call.turns]
            by_text = check(list(call.turns), scripted, call.lang)
            notes = [*speech["all"].add(call, handling)]
            speech[call.lang].add(call, handling)
            text["all"].add(call, by_text)
            text[call.lang].add(call, by_text)
            print(
                f"{call.name}: said {sorted(call.said)}; "
                f"raised {[k for k, h in handling.items() if h.raised]}; "
                f"seller {[(k, h.suggestion) for k, h in handling.items() if h.raised]}"
                + (f"  <- {'; '.join(notes)}" if notes else "")
            )
            if args.show:
                for s in heard:
                    print(f"    {s['speaker']:8s} {s['text']}")
    print(
        f"\n{len(CALLS)} calls, {audio_seconds:.0f} s of audio, transcription and check "
        f"{spent:.0f} s (RTF {spent / audio_seconds:.3f})\n"
    )
    header = (
        "| set | scripted objections found | false finds (forgotten ones found) "
        "| scenario verdict right | seller handling right |"
    )
    print(header)
    print("| --- | --- | --- | --- | --- |")
    for lang in ("ru", "en", "all"):
        print(speech[lang].row(f"speech, {lang}"))
    for lang in ("ru", "en", "all"):
        print(text[lang].row(f"script text, {lang}"))


if __name__ == "__main__":
    main()
