"""E-mail addresses, written ("anna.lee@outlook.com") or spoken ("ivan точка p собака mail
точка ру", "anna dot lee at outlook dot com"): from the local part's first character to the
end of the domain, the spoken "собака/at" and "точка/dot" inside."""

from __future__ import annotations

import re

from privacy.types import Span

_WRITTEN = re.compile(r"[\w.+-]*\w@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_WORD = re.compile(r"[^\s,;:!?()\"«»]+")
_AT = {"собака", "собачка", "at", "эт", "@"}
_DOT = {"точка", "dot", "period"}
_JOIN = _DOT | {
    "underscore",
    "подчеркивание",
    "подчёркивание",
    "дефис",
    "тире",
    "dash",
    "hyphen",
    "минус",
}
_STOP = {
    "is",
    "это",
    "мой",
    "моя",
    "my",
    "email",
    "почта",
    "адрес",
    "address",
    "e",
    "и",
    "and",
    "or",
    "или",
    "me",
    "на",
    "to",
    "write",
    "пишите",
    "напишите",
    "the",
    "a",
    "электронная",
    "электронной",
    "почту",
    "почты",
    "ящик",
    "её",
    "его",
    "your",
    "ваш",
    "ваша",
    "send",
    "отправьте",
    "it's",
    "its",
    "it",
    "so",
    "так",
    "вот",
    "да",
    "yes",
}


def _words(text: str) -> list[tuple[str, int, int]]:
    out = []
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        stripped = word.rstrip(".")
        if stripped:
            out.append((stripped.lower(), start, start + len(stripped)))
    return out


def _is_part(word: str) -> bool:
    return bool(re.fullmatch(r"[\w.-]+", word)) and word not in _STOP and word not in _AT


def detect_emails(text: str) -> list[Span]:
    spans = [Span(m.start(), m.end(), "EMAIL") for m in _WRITTEN.finditer(text)]
    words = _words(text)
    for k, (word, _start, _end) in enumerate(words):
        if word not in _AT or k == 0 or k + 1 >= len(words):
            continue
        # Domain: a word, then ("dot" word)+, or a word with a dot in it.
        j = k + 1
        if not _is_part(words[j][0]) or words[j][0] in _JOIN:
            continue
        dotted = "." in words[j][0]
        while j + 2 < len(words) and words[j + 1][0] in _DOT and _is_part(words[j + 2][0]):
            j += 2
            dotted = True
        if not dotted:
            continue
        # Local part: a word, extended back over joiners.
        i = k - 1
        if not _is_part(words[i][0]) or words[i][0] in _JOIN:
            continue
        while i - 2 >= 0 and words[i - 1][0] in _JOIN and _is_part(words[i - 2][0]):
            i -= 2
        spans.append(Span(words[i][1], words[j][2], "EMAIL"))
    return spans
