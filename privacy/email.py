"""E-mail addresses, written ("anna.lee@outlook.com") or spoken ("ivan точка p собака mail
точка ру", "anna dot lee at outlook dot com"): from the local part's first character to the
end of the domain, the spoken "собака/at" and "точка/dot" inside."""

from __future__ import annotations

import re

from privacy.lexicons import lexicon
from privacy.names import english_names, russian_name_score
from privacy.numbers import word_value
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
_STOP = lexicon("email_stop")
# "nina, нижнее подчёркивание, kovaleva, собака, yandex": dictated with pauses, the commas
# around a spoken joiner are inside the e-mail.
_DICTATED_JOINERS = _JOIN | _AT | {"нижнее"}


def _words(text: str) -> list[tuple[str, int, int]]:
    out = []
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        stripped = word.rstrip(".")
        if stripped:
            out.append((stripped.lower(), start, start + len(stripped)))
    return out


_TLDS = {
    "ру",
    "ru",
    "ком",
    "com",
    "рф",
    "нет",
    "net",
    "org",
    "орг",
    "уа",
    "бай",
    "by",
    "kz",
    "uk",
    "io",
    "de",
    "info",
    "биз",
    "biz",
    "edu",
    "us",
}


def _is_part(word: str) -> bool:
    return bool(re.fullmatch(r"[\w.-]+", word)) and word not in _STOP and word not in _AT


def _domain_part(word: str) -> bool:
    """A word of the domain: "me" and "a" are stop words before an e-mail, not after "at"."""
    return bool(re.fullmatch(r"[\w.-]+", word)) and word not in _AT and word not in _JOIN


def _letter(word: str) -> bool:
    return len(word) == 1 and word.isalpha()


def _spelled_on(word: str) -> bool:
    """A letter, digit or number word that a spelled-out letter before it joins: "k a t e 7"."""
    return _letter(word) or word.isdigit() or word_value(word) is not None


def _russian_name(word: str) -> bool:
    return bool(re.fullmatch(r"[а-яё]{3,}", word)) and russian_name_score(word) >= 0.5


# "Mail e dot orlova at ...": the word for e-mail said before it (though "proton mail" is a
# domain).
_MAIL = {"mail", "почта"}


def _loose_part(word: str, lang: str) -> bool:
    """A word that joins the local part without a spoken joiner: "smith eighty five",
    "mary jane", "ivanov ivan" (Latin words in a Russian turn)."""
    if not _is_part(word) or word in _JOIN or word in _MAIL:
        return False
    if len(word) == 1 or word_value(word) is not None:
        return True
    if lang == "ru":
        # "лейла точка гусейнова восемьдесят пять собака ...": a name heard in Cyrillic.
        return bool(re.fullmatch(r"[a-z0-9._-]+", word)) or _russian_name(word)
    firsts, lasts = english_names()
    return word in firsts or word in lasts


def detect_emails(text: str, lang: str = "en") -> list[Span]:
    spans = [Span(m.start(), m.end(), "EMAIL") for m in _WRITTEN.finditer(text)]
    words = _words(text)

    def apart(i: int, j: int) -> bool:  # a comma or full stop between words i and j
        if words[i][0] in _DICTATED_JOINERS or words[j][0] in _DICTATED_JOINERS:
            return bool(re.search(r"[;:!?]|\.\s", text[words[i][2] : words[j][1]]))
        # ("... eight three six. Mail e dot orlova at ...": a sentence ends before the e-mail.)
        return bool(re.search(r"[,;:!?]|\.\s+[A-ZА-ЯЁ]", text[words[i][2] : words[j][1] + 1]))

    for k, (word, _start, _end) in enumerate(words):
        if word not in _AT or k == 0 or k + 1 >= len(words):
            continue
        # Domain: one or two words (or letters spelled out: "a o l"), then ("dot" word)+, words
        # joined by "dash" inside; or a dotted word; or "mail ру".
        j = k + 1
        if not _domain_part(words[j][0]):
            continue
        while j + 1 < len(words) and _letter(words[j][0]) and _letter(words[j + 1][0]):
            j += 1
        if (
            j + 2 < len(words)
            and words[j + 1][0] not in _DOT
            and _is_part(words[j + 1][0])
            and words[j + 2][0] in _DOT
        ):
            j += 1
        dotted = "." in words[j][0]
        while (
            j + 2 < len(words)
            and words[j + 1][0] in _JOIN
            and _domain_part(words[j + 2][0])
            # ("at gmail, dot com": a pause before the last "dot" keeps the domain going.)
            and (not apart(j, j + 2) or (words[j + 1][0] in _DOT and words[j + 2][0] in _TLDS))
        ):
            dotted = dotted or words[j + 1][0] in _DOT
            j += 2
        if not dotted and j + 1 < len(words) and words[j + 1][0] in _TLDS and not apart(j, j + 1):
            j += 1
            dotted = True
        if not dotted or not re.search(r"[^\W\d_]", text[words[k + 1][1] : words[j][2]]):
            continue
        # Local part: a word, extended back over joiners and loose parts.
        i = k - 1
        # "oluwaseun dot a at yahoo dot com": a letter after a joiner, though "a" is a stop word.
        # So is the last of letters spelled one by one ("k a t i e dash l o w e at").
        joined_letter = _letter(words[i][0]) and (
            (i >= 2 and words[i - 1][0] in _JOIN) or (i >= 1 and _letter(words[i - 1][0]))
        )
        if (not _is_part(words[i][0]) and not joined_letter) or words[i][0] in _JOIN:
            continue
        if apart(i, k):
            continue
        while i >= 1 and not apart(i - 1, i) and len(range(i, k)) < 10:
            # A letter spelled out before a joiner or another letter ("a точка kovalev",
            # "d a n dot okafor") belongs to the local part even when it is a stop word.
            spelled = i >= 2 and _letter(words[i - 2][0]) and not apart(i - 2, i - 1)
            if i >= 2 and words[i - 1][0] in _JOIN and (_is_part(words[i - 2][0]) or spelled):
                i -= 2
            elif (_letter(words[i - 1][0]) and _spelled_on(words[i][0])) or _loose_part(
                words[i - 1][0], lang
            ):
                i -= 1
            else:
                break
        spans.append(Span(words[i][1], words[j][2], "EMAIL"))
    return spans
