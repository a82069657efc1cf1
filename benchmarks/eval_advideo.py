"""Ad-video audit: accuracy per element on generated videos, and the time to audit 30 s of 720p.

The videos are made at run time (nothing is committed) by tests/data/make_video_fixtures.render,
with texts, fonts, colours, positions and backgrounds of their own (not the test fixtures'):
each element is said, shown, both or absent, the marking shown in full, in part, only said or
not at all, in Russian and English. Expected verdicts follow from how each video was made.

    .venv/bin/python benchmarks/eval_advideo.py [--count 36] [--seed 7] [--skip-timing]
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.adcopy.video import audit_video  # noqa: E402
from tests.data.make_video_fixtures import END, AdVideo, Caption, render  # noqa: E402
from transcription import load_transcriber  # noqa: E402
from transcription.video import read_video  # noqa: E402

TODAY = datetime.date(2026, 12, 6)
FONTS = (
    "DejaVuSerif-Bold.ttf",
    "DejaVuSansMono-Bold.ttf",
    "DejaVuSansCondensed-Bold.ttf",
    "DejaVuSans.ttf",
    "DejaVuSerif.ttf",
)
# (shown, said) per element and language.
TEXTS = {
    "ru": {
        "offer": [
            ("Скидка 30% на обувь", "Скидка тридцать процентов на обувь."),
            ("Второй кофе в подарок", "Второй кофе в подарок."),
            ("Доставка бесплатно", "Доставка бесплатно."),
        ],
        "deadline": [
            ("Только до 15 января", "Только до пятнадцатого января."),
            ("Акция до конца месяца", "Акция до конца месяца."),
            ("Осталось 3 дня", "Осталось всего три дня."),
        ],
        "cta": [
            ("Закажите на vector.ru", "Закажите прямо сейчас."),
            ("Звоните: 8 800 555-35-35", "Звоните нам сегодня."),
            ("Записывайтесь онлайн", "Записывайтесь онлайн."),
        ],
        "filler": "Мы работаем для вас каждый день.",
        "label": ("Реклама", "Реклама."),
        "advertiser": ("ООО «Вектор»", "Общество с ограниченной ответственностью Вектор."),
    },
    "en": {
        "offer": [
            ("Buy one, get one free", "Buy one, get one free."),
            ("40% off winter coats", "Forty percent off winter coats."),
            ("Free shipping on all orders", "Free shipping on all orders."),
        ],
        "deadline": [
            ("Offer ends Sunday", "The offer ends Sunday."),
            ("This weekend only", "This weekend only."),
            ("Ends January 15", "Ends January fifteenth."),
        ],
        "cta": [
            ("Shop now at acme.com", "Shop now."),
            ("Call 555-0199 today", "Call us today."),
            ("Book your table online", "Book your table online."),
        ],
        "filler": "We have been baking bread since morning.",
        "label": ("Ad", "Advertisement."),
        "advertiser": ("Acme Goods LLC", "By Acme Goods LLC."),
    },
}
MODES = ("speech", "screen", "both", "none")
MARKINGS = ("full", "partial", "spoken", "none")
BACKGROUNDS = ((25, 45, 90), (120, 30, 30), (20, 90, 60), (60, 60, 60), (90, 40, 110), (0, 0, 0))
COLOURS = ((255, 255, 255), (255, 230, 0), (180, 255, 255), (255, 200, 200))


def make_set(count: int, seed: int) -> list[tuple[AdVideo, dict[str, object]]]:
    """Videos with every mode of every element spread evenly, and what each should be found."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible data set, not a secret
    made = []
    for index in range(count):
        lang = ("ru", "en")[index % 2]
        texts = TEXTS[lang]
        modes = {
            name: MODES[(index // 2 + shift) % 4]
            for shift, name in enumerate(("offer", "deadline", "cta"))
        }
        marking = MARKINGS[(index // 2 + index // 8) % 4]
        shown: list[str] = []
        said: list[str] = []
        for name, mode in modes.items():
            screen_text, spoken = rng.choice(texts[name])
            if mode in ("screen", "both"):
                shown.append(screen_text)
            if mode in ("speech", "both"):
                said.append(spoken)
        erid = (
            "erid: "
            + "".join(
                rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789")
                for _ in range(10)
            )
            + str(rng.randint(1, 9))
        )
        expected_marking = {"label": "missing", "advertiser": "missing", "erid": "missing"}
        if marking == "full":
            shown += [f"{texts['label'][0]}. {texts['advertiser'][0]}", erid]
            expected_marking = {"label": "present", "advertiser": "present", "erid": "present"}
        elif marking == "partial":
            shown.append(texts["label"][0] + ". " + erid)
            expected_marking = {"label": "present", "advertiser": "missing", "erid": "present"}
        elif marking == "spoken":
            said.insert(0, texts["label"][1])
            expected_marking["label"] = "only_spoken"
        said = said or [texts["filler"]]
        height = rng.choice((0.07, 0.08, 0.09))
        font = rng.choice(FONTS)
        colour = rng.choice(COLOURS)
        x = rng.uniform(0.03, 0.12)
        top = rng.uniform(0.04, 0.12)
        captions = tuple(
            Caption(
                text,
                0.0,
                END,
                x=x,
                y=top + row * (height + 0.06),
                size=height,
                colour=colour,
                font=font,
            )
            for row, text in enumerate(shown)
        )
        video = AdVideo(
            f"eval_{index:02d}.{('mp4', 'webm', 'mkv', 'mov')[index % 4]}",
            lang,
            speech=" ".join(said),
            captions=captions,
            background=rng.choice(BACKGROUNDS),
            size=rng.choice(((640, 360), (854, 480))),
            stripes=rng.random() < 0.3,
            crf=28,
        )
        expected = {name: mode != "none" for name, mode in modes.items()} | expected_marking
        made.append((video, expected))
    return made


def timing_video() -> AdVideo:
    """30 s of 720p at 25 fps: six screens of text over a moving background, speech throughout."""
    lines = [
        "Скидка 25% на все курсы",
        "Только до 20 декабря",
        "Запишитесь на school.ru",
        "Бесплатный пробный урок",
        "Реклама. ООО «Школа»",
        "erid: 2Vtzqx7Kd9",
    ]
    captions = tuple(
        Caption(text, start * 5.0, start * 5.0 + 5.0, y=0.4, size=0.08)
        for start, text in enumerate(lines)
    )
    speech = (
        "Скидка двадцать пять процентов на все курсы. Только до двадцатого декабря. "
        "Запишитесь на пробный урок бесплатно. Наши преподаватели помогут вам. "
        "Мы работаем каждый день. Запишитесь сегодня."
    )
    return AdVideo(
        "timing.mp4",
        "ru",
        speech=speech,
        captions=captions,
        size=(1280, 720),
        fps=25,
        seconds=30.0,
        stripes=True,
        crf=26,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=36)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-timing", action="store_true")
    args = parser.parse_args()
    transcriber = load_transcriber()
    elements = ("offer", "deadline", "cta", "label", "advertiser", "erid")
    right = dict.fromkeys(elements, 0)
    misses: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dataset = make_set(args.count, args.seed)
        for video, expected in dataset:
            path = render(video, work / video.name, work)
            reading = read_video(path, transcriber, language=video.lang)
            line = audit_video(reading, video.lang, TODAY).to_line(video.name)
            for name in elements:
                got = line[name] if name in ("offer", "deadline", "cta") else line["marking"][name]
                if got == expected[name]:
                    right[name] += 1
                else:
                    misses.append(f"{video.name} {name}: expected {expected[name]}, got {got}")
        print(f"{len(dataset)} videos ({args.count // 2} ru, {args.count - args.count // 2} en)")
        print("| element | accuracy |")
        print("| --- | --- |")
        for name in elements:
            print(f"| {name} | {right[name]}/{len(dataset)} = {right[name] / len(dataset):.0%} |")
        for miss in misses:
            print("  miss:", miss)
        if not args.skip_timing:
            video = timing_video()
            path = render(video, work / video.name, work)
            read_video(path, transcriber, language="ru")  # warm-up: the model and Tesseract load
            started = time.perf_counter()
            reading = read_video(path, transcriber, language="ru")
            audit = audit_video(reading, "ru", TODAY)
            total = time.perf_counter() - started
            print(
                f"30 s 720p: {total:.1f} s in all; speech {reading.speech_seconds:.1f} s, "
                f"on-screen text {reading.screen_seconds:.1f} s "
                f"({reading.frames_read} frames read), "
                f"audit {total - reading.speech_seconds - reading.screen_seconds:.2f} s; "
                f"found {[n for n in elements[:3] if audit.elements[n].present]}"
            )


if __name__ == "__main__":
    main()
