"""Make the short ad videos used by the ad-video tests (and, with other texts, the benchmark).

Speech is Debian's festival voices (through make_audio_fixtures.synthesize); on-screen text is
drawn on each frame with Pillow in DejaVu fonts; PyAV encodes (H.264/AAC, or VP9/Opus for WebM).

    .venv/bin/python tests/data/make_video_fixtures.py     # write tests/data/video/*
    .venv/bin/python tests/data/make_video_fixtures.py ru_deadline_both.mp4   # only these
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.data.make_audio_fixtures import RATE, synthesize  # noqa: E402

VIDEO_DIR = ROOT / "tests" / "data" / "video"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
# A caption ending at END stays until the video ends.
END = 999.0


@dataclass(frozen=True)
class Caption:
    """A line of text drawn from ``start`` to ``end`` s at (x, y), as fractions of the frame."""

    text: str
    start: float
    end: float
    x: float = 0.05
    y: float = 0.1
    size: float = 0.09  # of the frame's height
    colour: tuple[int, int, int] = (255, 255, 255)
    font: str = "DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class AdVideo:
    """One generated ad video: what is said (from ``speech_at`` s) and what is shown."""

    name: str
    lang: str
    speech: str = ""
    captions: tuple[Caption, ...] = ()
    background: tuple[int, int, int] = (25, 45, 90)
    size: tuple[int, int] = (384, 216)
    fps: int = 8
    seconds: float = 0.0  # 0: long enough for the speech and the captions
    speech_at: float = 0.3
    audio: bool = True
    stripes: bool = False  # a moving pattern behind the text (a busier background)
    crf: int = 32
    extra: dict[str, str] = field(default_factory=dict)


def _frame(video: AdVideo, moment: float, fonts: dict[tuple[str, int], ImageFont.FreeTypeFont]):
    width, height = video.size
    image = Image.new("RGB", video.size, video.background)
    draw = ImageDraw.Draw(image)
    if video.stripes:
        shift = int(moment * 40) % 80
        darker = tuple(max(c - 35, 0) for c in video.background)
        for x in range(-80, width + 80, 80):
            draw.rectangle((x + shift, 0, x + shift + 30, height), fill=darker)
    for caption in video.captions:
        if caption.start <= moment < caption.end:
            key = (caption.font, max(8, round(caption.size * height)))
            font = fonts.setdefault(key, ImageFont.truetype(str(FONTS / key[0]), key[1]))
            xy = (caption.x * width, caption.y * height)
            draw.text(xy, caption.text, font=font, fill=caption.colour)
    return image


def render(video: AdVideo, path: Path, workdir: Path) -> Path:
    """Write ``video`` to ``path`` (the suffix picks the container) and return the path."""
    voice = synthesize(video.speech, video.lang, "agent", workdir) if video.speech else None
    spoken_end = video.speech_at + (len(voice) / RATE if voice is not None else 0.0)
    shown_end = max((c.end for c in video.captions if c.end < END), default=0.0)
    seconds = video.seconds or round(max(spoken_end, shown_end, 1.0) + 0.4, 2)
    webm = path.suffix.lower() == ".webm"
    fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libvpx-vp9" if webm else "libx264", rate=video.fps)
        stream.width, stream.height = video.size
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": str(video.crf), "b:v": "0"} if webm else {"crf": str(video.crf)}
        audio_stream = None
        if video.audio:
            audio_rate = 48_000 if webm else 24_000
            audio_stream = container.add_stream("libopus" if webm else "aac", rate=audio_rate)
            audio_stream.layout = "mono"
        for index in range(round(seconds * video.fps)):
            frame = av.VideoFrame.from_image(_frame(video, index / video.fps, fonts))
            frame.pts = index
            frame.time_base = Fraction(1, video.fps)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
        if audio_stream is not None:
            track = np.zeros(round(seconds * RATE), dtype=np.float32)
            if voice is not None:
                at = round(video.speech_at * RATE)
                track[at : at + len(voice)] = voice[: len(track) - at]
            source = av.AudioFrame.from_ndarray(track[None, :], format="flt", layout="mono")
            source.sample_rate = RATE
            resampler = av.AudioResampler(
                format=audio_stream.codec_context.format.name, layout="mono", rate=audio_rate
            )
            pts = 0
            for chunk in [*resampler.resample(source), *resampler.resample(None)]:
                chunk.pts = pts
                pts += chunk.samples
                container.mux(audio_stream.encode(chunk))
            container.mux(audio_stream.encode(None))
    return path


RU_MARKING = (
    Caption("Реклама. ООО «Уютный дом»", 0.0, END, y=0.72, size=0.075),
    Caption("erid: 2VtzqwXYZ1", 0.0, END, y=0.84, size=0.075),
)

# The fixtures: each element spoken only, shown only, both and absent; marking present (shown),
# partial, only spoken and missing; Russian and English; an expired spoken deadline; a video
# without an audio track and one without text.
FIXTURES = (
    # offer both, deadline shown, cta spoken; marking shown in full.
    AdVideo(
        "ru_both.mp4",
        "ru",
        speech="Скидка двадцать процентов на все диваны. Звоните прямо сейчас.",
        captions=(
            Caption("Скидка 20% на диваны", 0.0, 2.5, y=0.12),
            Caption("Только до 31 декабря", 1.5, END, y=0.32),
            *RU_MARKING,
        ),
    ),
    # offer shown; an expired deadline and the label spoken only; no advertiser or erid.
    AdVideo(
        "ru_spoken_marking.mkv",
        "ru",
        speech="Реклама. Акция действует до первого ноября.",
        captions=(Caption("Доставка бесплатно", 0.0, END, y=0.2, colour=(255, 230, 0)),),
        background=(120, 30, 30),
    ),
    # English, everything shown only; partial marking (label and advertiser, no erid).
    AdVideo(
        "en_shown.webm",
        "en",
        speech="Welcome to Cozy Home.",
        captions=(
            Caption("20% off all sofas", 0.0, END, y=0.08),
            Caption("Ends December 31", 0.0, END, y=0.28),
            Caption("Order at cozyhome.com", 0.0, END, y=0.48),
            Caption("Ad. Cozy Home LLC", 0.0, END, y=0.8, size=0.07),
        ),
        background=(20, 90, 60),
        seconds=2.5,
    ),
    # No audio track: the screen alone.
    AdVideo(
        "en_no_audio.mov",
        "en",
        captions=(
            Caption("Free delivery", 0.0, 3.0, y=0.15),
            Caption("This week only. Call now", 0.0, 3.0, y=0.4),
        ),
        audio=False,
        seconds=2.0,
    ),
    # No text on screen: the speech alone; no marking at all.
    AdVideo(
        "ru_no_text.mp4",
        "ru",
        speech="Скидка десять процентов для новых клиентов. Приходите сегодня.",
        stripes=True,
    ),
    # The deadline both said and shown (and the offer): evidence from both sources.
    AdVideo(
        "ru_deadline_both.mp4",
        "ru",
        speech="Скидка двадцать процентов. Акция действует до первого марта.",
        captions=(
            Caption("Скидка 20%", 0.0, END, y=0.12),
            Caption("До 1 марта", 0.0, END, y=0.4),
        ),
    ),
    # The ERID token only said (spelled out); label and advertiser shown.
    AdVideo(
        "en_erid_spoken.mp4",
        "en",
        speech="Cozy Home sofas. E R I D A B 1 2 3 4 5 6.",
        captions=(Caption("Ad. Cozy Home LLC", 0.0, END, y=0.8, size=0.07),),
    ),
    # English, none of the elements (a claim and a name only).
    AdVideo(
        "en_absent.mp4",
        "en",
        speech="We make sofas in our own workshop.",
        captions=(Caption("Cozy Home", 0.0, END, y=0.4, size=0.14),),
    ),
)


def main(names: list[str]) -> None:
    unknown = set(names) - {video.name for video in FIXTURES}
    if unknown:
        raise SystemExit(f"No such fixture: {', '.join(sorted(unknown))}")
    VIDEO_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for video in FIXTURES:
            if names and video.name not in names:
                continue
            path = render(video, VIDEO_DIR / video.name, Path(tmp))
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
