"""Make the synthetic call recordings used by tests and by the demo data.

Voices are Debian's festival voices (festvox-ru: msu_ru_nsh_clunits; festvox-us-slt-hts:
cmu_us_slt_arctic_hts); sox resamples and shifts the customer's pitch; PyAV encodes. Stereo calls
put the agent on the left channel and the customer on the right, alternating with silences.

    .venv/bin/python tests/data/make_audio_fixtures.py            # write all files
    .venv/bin/python tests/data/make_audio_fixtures.py --check    # write, then transcribe each
    .venv/bin/python tests/data/make_audio_fixtures.py --only ru_mystery_call.ogg --check

Phrases the Russian voice garbles were rephrased after checking each file's transcript
(the voice slurs a leading "А с...": "А синего нету?" became "Синего цвета у вас нет?").
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
TEST_AUDIO = ROOT / "tests" / "data" / "audio"
DEMO = ROOT / "qa" / "demo" / "recordings"
RATE = 16_000
VOICES = {"ru": "voice_msu_ru_nsh_clunits", "en": "voice_cmu_us_slt_arctic_hts"}
# The customer's voice is shifted (cents) so the two parties sound like different people.
CUSTOMER_PITCH = {"ru": 300, "en": -350}
LEAD, GAP, TAIL = 0.5, 0.8, 0.6
NOISE = 0.002  # a faint line hiss, so silences are not digital zero

RU_GREETING = ("agent", "Добрый день! Меня зовут Ольга, магазин Уютный дом.")
RU_SOFA_PRICE = ("agent", "Этот диван стоит сорок тысяч рублей.")
RU_TOO_EXPENSIVE = ("customer", "Это слишком дорого. У конкурентов дешевле.")
RU_NO_BLUE = ("customer", "Синего цвета у вас нет?")
RU_GOODBYE = ("agent", "Спасибо за звонок, до свидания!")
RU_DELIVERY = [
    RU_GREETING,
    ("customer", "Сколько стоит доставка?"),
    ("agent", "Доставка по городу стоит три тысячи рублей."),
    ("customer", "Дороговато. В другом магазине доставка бесплатная."),
]
EN_CALL = [
    ("agent", "Hello, this is Anna from Cozy Home. How can I help you?"),
    ("customer", "Hi. How much is the Comfort sofa?"),
    ("agent", "The Comfort sofa costs five hundred dollars."),
    ("customer", "That is too expensive. Your competitors are cheaper."),
    ("agent", "I can offer you a ten percent discount."),
    ("customer", "Do you have it in blue?"),
]


@dataclass(frozen=True)
class Recording:
    """One file to write: its turns, channel layout and encoding."""

    path: Path
    language: str
    turns: list[tuple[str, str]]
    layout: str  # "stereo" (agent left), "mono" or "dual_mono"
    codec: str  # "opus", "mp3", "aac", "flac", "pcm_mulaw", "pcm_alaw"
    bitrate: int | None = None
    rate: int = RATE
    telephone: bool = False  # 300-3400 Hz band, as a phone line passes it


FIXTURES = [
    Recording(
        TEST_AUDIO / "ru_call_stereo.ogg",
        "ru",
        [
            RU_GREETING,
            ("customer", "Добрый день. Сколько стоит диван Комфорт?"),
            RU_SOFA_PRICE,
            RU_TOO_EXPENSIVE,
            ("agent", "Могу предложить скидку пять процентов."),
            RU_NO_BLUE,
        ],
        "stereo",
        "opus",
        bitrate=24_000,
    ),
    # A mystery call: the seller meets the price objection with the sofa's value and gives up
    # on the assortment one.
    Recording(
        TEST_AUDIO / "ru_mystery_call.ogg",
        "ru",
        [
            RU_GREETING,
            ("customer", "Добрый день. Сколько стоит диван Комфорт?"),
            RU_SOFA_PRICE,
            RU_TOO_EXPENSIVE,
            ("agent", "Зато у него гарантия пять лет, и есть рассрочка без переплаты."),
            RU_NO_BLUE,
            ("agent", "Нет. Ничем не могу помочь."),
        ],
        "stereo",
        "opus",
        bitrate=24_000,
    ),
    Recording(TEST_AUDIO / "en_call_stereo.mp3", "en", EN_CALL, "stereo", "mp3", bitrate=32_000),
    Recording(TEST_AUDIO / "ru_call_mono.m4a", "ru", RU_DELIVERY, "mono", "aac", bitrate=32_000),
    Recording(
        TEST_AUDIO / "ru_call_8k_mulaw.wav",
        "ru",
        [RU_SOFA_PRICE, RU_TOO_EXPENSIVE],
        "stereo",
        "pcm_mulaw",
        rate=8_000,
        telephone=True,
    ),
    Recording(
        TEST_AUDIO / "en_mono_8k_alaw.wav",
        "en",
        [EN_CALL[3]],
        "mono",
        "pcm_alaw",
        rate=8_000,
        telephone=True,
    ),
    Recording(
        TEST_AUDIO / "ru_dual_mono.flac", "ru", [RU_GREETING, RU_SOFA_PRICE], "dual_mono", "flac"
    ),
]

DEMO_CALLS = [
    (
        Recording(
            DEMO / "ru_sofa_price.ogg",
            "ru",
            [
                RU_GREETING,
                ("customer", "Добрый день. Сколько стоит диван Комфорт?"),
                RU_SOFA_PRICE,
                RU_TOO_EXPENSIVE,
                ("agent", "Могу предложить скидку пять процентов."),
                ("customer", "Нет, спасибо, я подумаю."),
                RU_GOODBYE,
            ],
            "stereo",
            "opus",
            bitrate=24_000,
        ),
        {
            "title": "Диван Комфорт: клиенту дорого",
            "agent": "Ольга Смирнова",
            "campaign": "Яндекс Директ: диваны, ноябрь",
            "phone": "+79161234567",
            "called_at": "2026-11-02T11:15:00",
        },
    ),
    (
        Recording(
            DEMO / "ru_kitchen_colour.ogg",
            "ru",
            [
                RU_GREETING,
                ("customer", "Я хочу заказать кухню Модерн."),
                ("agent", "Есть белый, серый и бежевый."),
                RU_NO_BLUE,
                ("agent", "Синий будет на складе через неделю."),
                ("customer", "А другого размера нет?"),
                ("agent", "Есть модель побольше, на три метра."),
                ("customer", "Хорошо, я согласен."),
                RU_GOODBYE,
            ],
            "stereo",
            "opus",
            bitrate=24_000,
        ),
        {
            "title": "Кухня Модерн: нет синего цвета",
            "agent": "Ольга Смирнова",
            "campaign": "ВКонтакте: кухни на заказ",
            "phone": "+79257654321",
            "called_at": "2026-11-03T16:40:00",
        },
    ),
    (
        Recording(
            DEMO / "en_sofa_price.ogg",
            "en",
            [
                *EN_CALL[:5],
                ("customer", "Okay, I will think about it and call you back."),
                ("agent", "Thank you for calling. Goodbye!"),
            ],
            "stereo",
            "opus",
            bitrate=24_000,
        ),
        {
            "title": "Comfort sofa: customer finds it too expensive",
            "agent": "Anna Miller",
            "campaign": "Google Ads: sofas, November",
            "phone": "+74955550123",
            "called_at": "2026-11-04T10:05:00",
        },
    ),
    (
        Recording(
            DEMO / "ru_delivery_mono.ogg",
            "ru",
            [
                *RU_DELIVERY,
                ("agent", "Мы можем привезти бесплатно, если заказ больше пятидесяти тысяч."),
                ("customer", "Подскажите, когда вы работаете?"),
                ("agent", "Мы работаем каждый день с десяти до девяти."),
            ],
            "mono",
            "opus",
            bitrate=20_000,
        ),
        {
            "title": "Доставка: в другом магазине бесплатно",
            "agent": "Игорь Петров",
            "campaign": "Авито: доставка мебели",
            "phone": "+79032223344",
            "called_at": "2026-11-05T13:20:00",
        },
    ),
]


def tool(name: str) -> str:
    """Absolute path of a command-line tool, or a clear error naming its Debian package."""
    path = shutil.which(name)
    if path is None:
        package = {"text2wave": "festival festvox-ru festvox-us-slt-hts", "sox": "sox"}[name]
        raise SystemExit(f"{name} is not installed: apt-get install {package}")
    return path


def synthesize(text: str, language: str, role: str, workdir: Path) -> np.ndarray:
    """Speak one turn with festival, resampled to 16 kHz mono float32 (customer pitch-shifted)."""
    source = workdir / "turn.txt"
    raw = workdir / "turn_raw.wav"
    out = workdir / "turn.wav"
    source.write_text(text + "\n", encoding="utf-8")
    subprocess.run(  # noqa: S603 (fixed arguments, local tools)
        [tool("text2wave"), "-eval", f"({VOICES[language]})", str(source), "-o", str(raw)],
        check=True,
        capture_output=True,
    )
    effects = ["pitch", str(CUSTOMER_PITCH[language])] if role == "customer" else []
    subprocess.run(  # noqa: S603
        [
            tool("sox"),
            str(raw),
            "-r",
            str(RATE),
            "-c",
            "1",
            "-b",
            "16",
            str(out),
            *effects,
            "norm",
            "-3",
        ],
        check=True,
        capture_output=True,
    )
    with av.open(str(out)) as container:
        frames = [f.to_ndarray() for f in container.decode(audio=0)]
    samples = np.concatenate(frames, axis=1)[0].astype(np.float32)
    return samples / 32768.0 if np.abs(samples).max() > 1.5 else samples


def render(rec: Recording, workdir: Path) -> tuple[np.ndarray, list[dict[str, object]]]:
    """Lay the turns out in time; returns (channels, samples) and the turn timings."""
    clips = [
        (role, text, synthesize(text, rec.language, role, workdir)) for role, text in rec.turns
    ]
    total = LEAD + sum(len(c) / RATE for _, _, c in clips) + GAP * (len(clips) - 1) + TAIL
    tracks = np.zeros((2, int(total * RATE) + 1), dtype=np.float32)
    timeline = []
    t = LEAD
    for role, text, clip in clips:
        start = int(t * RATE)
        tracks[0 if role == "agent" else 1, start : start + len(clip)] += clip
        timeline.append({"speaker": role, "start": round(t, 2), "text": text})
        t += len(clip) / RATE + GAP
    rng = np.random.default_rng(7)
    if rec.layout == "stereo":
        tracks += rng.normal(0.0, NOISE, tracks.shape).astype(np.float32)
        return tracks, timeline
    mono = tracks.sum(axis=0, keepdims=True) + rng.normal(0, NOISE, tracks.shape[1]).astype(
        np.float32
    )
    if rec.layout == "dual_mono":
        return np.repeat(mono, 2, axis=0), timeline
    return mono, timeline


def telephone(samples: np.ndarray, workdir: Path) -> np.ndarray:
    """Band-limit to 300-3400 Hz with sox, like a phone line."""
    src, dst = workdir / "line_in.f32", workdir / "line_out.f32"
    channels = samples.shape[0]
    samples.T.astype(np.float32).tofile(src)
    fmt = ["-t", "f32", "-r", str(RATE), "-c", str(channels)]
    command = [tool("sox"), *fmt, str(src), *fmt, str(dst), "sinc", "300-3400"]
    subprocess.run(command, check=True)  # noqa: S603
    return np.fromfile(dst, dtype=np.float32).reshape(-1, channels).T.copy()


def encode(samples: np.ndarray, rec: Recording) -> None:
    """Write samples (channels, n) at 16 kHz in the recording's codec and sample rate."""
    rec.path.parent.mkdir(parents=True, exist_ok=True)
    layout = "mono" if samples.shape[0] == 1 else "stereo"
    out_rate = 48_000 if rec.codec == "opus" else rec.rate
    container_format = {"opus": "ogg", "aac": "mp4"}.get(rec.codec)
    codec = {"opus": "libopus", "mp3": "libmp3lame"}.get(rec.codec, rec.codec)
    with av.open(str(rec.path), "w", format=container_format) as out:
        stream = out.add_stream(codec, rate=out_rate, layout=layout)
        if rec.bitrate:
            stream.bit_rate = rec.bitrate
        frame = av.AudioFrame.from_ndarray(
            np.clip(samples, -1.0, 1.0).astype(np.float32), format="fltp", layout=layout
        )
        frame.sample_rate = RATE
        frame.pts = 0
        frame.time_base = Fraction(1, RATE)
        resampler = av.AudioResampler(
            format=stream.codec_context.format,
            layout=layout,
            rate=out_rate,
            frame_size=stream.codec_context.frame_size or None,
        )
        for piece in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(piece):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def write_bad_files() -> None:
    """Files that must be refused: corrupt, empty and not audio at all."""
    good = (TEST_AUDIO / "ru_call_stereo.ogg").read_bytes()
    noise = np.random.default_rng(11).integers(0, 256, 24_000, dtype=np.uint8).tobytes()
    # Keep the Ogg/Opus headers, then garbage where the audio pages were.
    (TEST_AUDIO / "corrupt.ogg").write_bytes(good[:1200] + noise)
    (TEST_AUDIO / "empty.wav").write_bytes(b"")
    (TEST_AUDIO / "not_audio.mp3").write_text(
        "<!doctype html><html><body><h1>404 Not Found</h1>"
        "<p>The recording you asked for is not on this server.</p></body></html>\n",
        encoding="utf-8",
    )


def make(recordings: list[Recording], workdir: Path) -> dict[Path, list[dict[str, object]]]:
    """Render and encode each recording; returns its turn timeline by path."""
    timelines = {}
    for rec in recordings:
        samples, timeline = render(rec, workdir)
        if rec.telephone:
            samples = telephone(samples, workdir)
        encode(samples, rec)
        timelines[rec.path] = timeline
        print(
            f"{rec.path.relative_to(ROOT)}: {samples.shape[1] / RATE:.1f} s, "
            f"{rec.path.stat().st_size // 1024} KB"
        )
    return timelines


def write_manifest() -> None:
    """qa/demo/recordings/manifest.json: what the demo data loader needs per call."""
    entries = [
        {
            "file": rec.path.name,
            "title": meta["title"],
            "language": rec.language,
            "agent_channel": "left" if rec.layout == "stereo" else None,
            "agent": meta["agent"],
            "campaign": meta["campaign"],
            "phone": meta["phone"],
            "called_at": meta["called_at"],
        }
        for rec, meta in DEMO_CALLS
    ]
    text = json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
    (DEMO / "manifest.json").write_text(text, encoding="utf-8")


def check(recordings: list[Recording]) -> None:
    """Transcribe every file with the default engine and print it beside the script."""
    sys.path.insert(0, str(ROOT))
    from transcription import load_transcriber

    transcriber = load_transcriber()
    for rec in recordings:
        agent = "left" if rec.layout == "stereo" else None
        result = transcriber.transcribe(rec.path, language=rec.language, agent_channel=agent)
        print(f"\n== {rec.path.name} ({result.duration:.1f} s, dual_mono={result.dual_mono})")
        for role, text in rec.turns:
            print(f"   script  {role:8s} {text}")
        for seg in result.segments:
            print(f"   heard   {seg.speaker:8s} {seg.start:5.1f}-{seg.end:5.1f} {seg.text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="transcribe each file afterwards")
    parser.add_argument(
        "--only", metavar="NAME", action="append", help="write only this file (repeatable)"
    )
    args = parser.parse_args()
    recordings = FIXTURES + [rec for rec, _ in DEMO_CALLS]
    if args.only:
        recordings = [rec for rec in recordings if rec.path.name in args.only]
        if not recordings:
            raise SystemExit(f"no fixture is named {', '.join(args.only)}")
    with tempfile.TemporaryDirectory() as tmp:
        make(recordings, Path(tmp))
    if not args.only:
        write_bad_files()
        write_manifest()
    if args.check:
        check(recordings)


if __name__ == "__main__":
    main()
