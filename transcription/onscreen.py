"""Read the text shown on video frames with Tesseract (tesserocr), each line with its time span.

Debian's tesseract-ocr-rus and tesseract-ocr-eng hold the language data; where it or the
binding is missing, `default_reader` returns None and callers say that on-screen text was not
read.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any

from transcription.types import ScreenText

TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
)
LANGUAGES = {"ru": "rus+eng", "en": "eng", None: "rus+eng"}
# Lines Tesseract reads with less confidence than this (0..100) are noise, not text.
MIN_CONFIDENCE = 55.0
# Two lines this similar on consecutive frames are the same text still on screen.
SAME_LINE = 0.8
# Frames narrower than this are enlarged before reading: Tesseract wants letters ~30 px tall.
MIN_WIDTH = 960


def tessdata_dir(languages: str) -> str | None:
    """The first folder that holds every language of ``languages`` ("rus+eng"), or None."""
    for folder in TESSDATA_DIRS:
        if all((Path(folder) / f"{name}.traineddata").is_file() for name in languages.split("+")):
            return folder
    return None


class ScreenReader:
    """One Tesseract engine for a language set; `read` turns key frames into timed lines."""

    def __init__(self, languages: str, folder: str) -> None:
        import tesserocr

        self.languages = languages
        self._api = tesserocr.PyTessBaseAPI(path=folder + "/", lang=languages)
        self._lock = threading.Lock()

    def lines(self, image: Any) -> list[tuple[str, float]]:
        """The lines of text on one picture with their confidence, noise dropped."""
        import tesserocr

        grey = image.convert("L")
        if grey.width < MIN_WIDTH:
            scale = MIN_WIDTH / grey.width
            grey = grey.resize((MIN_WIDTH, round(grey.height * scale)))
        found: list[tuple[str, float]] = []
        with self._lock:
            self._api.SetImage(grey)
            self._api.Recognize()
            iterator = self._api.GetIterator()
            level = tesserocr.RIL.TEXTLINE
            for item in tesserocr.iterate_level(iterator, level) if iterator else ():
                try:
                    text = " ".join((item.GetUTF8Text(level) or "").split())
                except RuntimeError:  # an empty block
                    continue
                confidence = float(item.Confidence(level))
                if confidence >= MIN_CONFIDENCE and _wordy(text):
                    found.append((text, confidence))
        return found

    def read(self, frames: Iterable[Any]) -> list[ScreenText]:
        """Timed lines from key frames (objects with start, end and image), merged over time."""
        shown: list[ScreenText] = []
        current: list[int] = []  # indices in ``shown`` of the lines on the frame before
        for frame in frames:
            now: list[int] = []
            for text, confidence in self.lines(frame.image):
                same = _same_line(text, [shown[i] for i in current])
                if same is not None:
                    index = current[same]
                    line = shown[index]
                    best = text if confidence > line.confidence else line.text
                    shown[index] = ScreenText(
                        line.start, frame.end, best, max(confidence, line.confidence)
                    )
                else:
                    index = len(shown)
                    shown.append(ScreenText(frame.start, frame.end, text, confidence))
                now.append(index)
            current = now
        return sorted(shown, key=lambda line: (line.start, shown.index(line)))


@lru_cache(maxsize=4)
def default_reader(language: str | None = None) -> ScreenReader | None:
    """A reader for "ru" (Russian and English), "en" or None (both), or None without Tesseract."""
    languages = LANGUAGES.get(language, "rus+eng")
    folder = tessdata_dir(languages)
    if folder is None:
        return None
    try:
        return ScreenReader(languages, folder)
    except (ImportError, RuntimeError):
        return None


def _wordy(text: str) -> bool:
    """A line with at least two letters or digits in a row (not a smear read as "|" or "~")."""
    return re.search(r"\w\w", text) is not None


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _same_line(text: str, candidates: Sequence[ScreenText]) -> int | None:
    key = _key(text)
    best, best_ratio = None, SAME_LINE
    for index, line in enumerate(candidates):
        ratio = SequenceMatcher(None, key, _key(line.text)).ratio()
        if ratio >= best_ratio:
            best, best_ratio = index, ratio
    return best
