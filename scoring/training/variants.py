"""Label-preserving variants of training turns: ASR-style noise and joined turns.

Whisper output differs from written text: no capitals or punctuation, fillers, reduced
vowels and devoiced consonants in Russian, dropped apostrophes and homophones in English.
The variants teach the classifier those surfaces without hand-writing them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Turn", "asr_variant", "joined_turns"]

_PUNCT = re.compile(r"[^\w\s₽$€£%-]+")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+|\W+")

_RU_FILLERS = ("ну", "эээ", "короче", "как бы", "вот", "слушайте", "это", "так", "ммм")
_EN_FILLERS = ("um", "uh", "like", "you know", "so", "I mean", "well", "okay")
_RU_COLLOQUIAL = {
    "сейчас": "щас",
    "что": "чё",
    "тысяч": "тыщ",
    "тысячи": "тыщи",
    "ничего": "ничё",
    "вообще": "ваще",
    "только": "тока",
    "конечно": "конешно",
    "здравствуйте": "здрасьте",
    "пожалуйста": "пожалуста",
    "скидку": "скитку",
    "магазине": "магазини",
    "сегодня": "севодня",
    "наличии": "наличи",
}
_EN_SLIPS = {
    "too": "to",
    "don't": "dont",
    "doesn't": "doesnt",
    "isn't": "isnt",
    "can't": "cant",
    "won't": "wont",
    "that's": "thats",
    "it's": "its",
    "there": "their",
    "going to": "gonna",
    "want to": "wanna",
    "kind of": "kinda",
    "pricey": "pricy",
    "you": "ya",
    "a lot": "alot",
}
_DEVOICE = {"д": "т", "г": "к", "з": "с", "б": "п", "в": "ф", "ж": "ш"}


@dataclass(frozen=True)
class Turn:
    """A labelled training turn."""

    id: str
    text: str
    lang: str
    labels: tuple[str, ...]


def _ru_slip(word: str, rng: random.Random) -> str:
    """Spell one Russian word the way it sounds: akanye or final devoicing."""
    if len(word) < 4 or not word.isalpha():
        return word
    if rng.random() < 0.6:
        positions = [i for i, ch in enumerate(word) if ch == "о" and i > 0]
        if positions:
            i = rng.choice(positions)
            return word[:i] + "а" + word[i + 1 :]
    last = word[-1]
    if last in _DEVOICE:
        return word[:-1] + _DEVOICE[last]
    return word


def _insert_filler(words: list[str], fillers: Sequence[str], rng: random.Random) -> list[str]:
    position = rng.randrange(0, len(words) + 1)
    return [*words[:position], rng.choice(fillers), *words[position:]]


def asr_variant(text: str, lang: str, rng: random.Random) -> str:
    """Rewrite a turn as a speech recogniser might have transcribed it."""
    lowered = text.lower()
    if lang == "en":
        for written, heard in _EN_SLIPS.items():
            if rng.random() < 0.5:
                lowered = re.sub(rf"\b{re.escape(written)}\b", heard, lowered)
    lowered = lowered.replace("ё", "е") if rng.random() < 0.7 else lowered
    if rng.random() < 0.5:
        lowered = lowered.replace("-", " ")
    plain = _SPACES.sub(" ", _PUNCT.sub(" ", lowered)).strip() if rng.random() < 0.8 else lowered
    words = plain.split()
    if not words:
        return text
    if lang == "ru":
        words = [_RU_COLLOQUIAL.get(w, w) if rng.random() < 0.5 else w for w in words]
        if rng.random() < 0.5:
            i = rng.randrange(len(words))
            words[i] = _ru_slip(words[i], rng)
    fillers = _RU_FILLERS if lang == "ru" else _EN_FILLERS
    for _ in range(rng.choice((0, 1, 1, 2))):
        words = _insert_filler(words, fillers, rng)
    return " ".join(words)


def joined_turns(turns: Sequence[Turn], count: int, rng: random.Random) -> list[Turn]:
    """Join two customer turns into one longer turn labelled with the union of labels."""
    joined: list[Turn] = []
    if len(turns) < 2:
        return joined
    for n in range(count):
        first, second = rng.sample(list(turns), 2)
        labels = tuple(
            label for label in ("price", "assortment") if label in {*first.labels, *second.labels}
        )
        separator = rng.choice((" ", ". ", ", ", "... "))
        joined.append(
            Turn(
                id=f"join-{first.lang}-{n:05d}",
                text=f"{first.text.rstrip()}{separator}{second.text.lstrip()}",
                lang=first.lang,
                labels=labels,
            )
        )
    return joined
