"""What the line before asked for: a customer often answers "а серия и номер?" with the bare
number, its cue left in the agent's question."""

from __future__ import annotations

import re

from privacy.cues import CUES
from privacy.dates import BIRTH
from privacy.numbers import is_number_token
from privacy.tokens import tokenize

# How far back a cue is read before a value.
_QUESTION_CHARS = 80
# A value already replaced by its type ("[PASSPORT]") ends a question as a spoken value does.
_VALUE_END = re.compile(r"\d|\]")
_DATA_KINDS = ("PHONE", "CARD", "PASSPORT", "SNILS", "INN")


def question_asked(line: str) -> str:
    """The end of ``line`` after the last value said in it ("Записала. А серия и номер?",
    "and your date of birth?")."""
    tail = line[-_QUESTION_CHARS:]
    last_value = max((m.end() for m in _VALUE_END.finditer(tail)), default=0)
    # Number words two or more in a row are a value said; one ("ten-digit", "ещё один") is not.
    tokens = tokenize(tail)
    for left, right in zip(tokens, tokens[1:], strict=False):
        if right.start >= last_value and is_number_token(left) and is_number_token(right):
            last_value = right.end
    if last_value == 0 and len(line) > _QUESTION_CHARS:
        last_value = tail.find(" ") + 1  # the first word was cut
    return tail[last_value:].strip()


def asked_kinds(line: str) -> frozenset[str]:
    """The kinds of value the end of ``line`` asks for: "PHONE", "CARD", "PASSPORT", "SNILS",
    "INN" or "BIRTHDATE"; a bare "номер" asks for a phone when nothing else is named."""
    question = _after_trailer(line, question_asked(line)).lower().replace("ё", "е")
    kinds = {kind for kind in _DATA_KINDS if CUES[kind].search(question)}
    if BIRTH.search(question):
        kinds.add("BIRTHDATE")
    if not kinds and CUES["NUMBER"].search(question) and not CUES["NONE"].search(question):
        kinds.add("PHONE")
    return frozenset(kinds)


# The words that close a value's sentence ("1985 года рождения.", "…, это СНИЛС."): a cue said
# after the value, not a question.
_TRAILER = re.compile(r"[^.!?]*[.!]\s*")


def _after_trailer(line: str, question: str) -> str:
    """``question`` without the words that close the sentence of the value said before it."""
    if len(question) == len(line.strip()):
        return question  # no value before it
    trailer = _TRAILER.match(question)
    if trailer:
        return question[trailer.end() :]
    return question if "?" in question or len(question) >= 25 else ""
