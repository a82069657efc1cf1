"""Apply a team glossary's "misheard -> correct" replacements to segment text and words."""

from __future__ import annotations

import re
from dataclasses import replace

from transcription.types import Glossary, Segment, Word

_EDGE = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


def _norm(token: str) -> str:
    return token.strip().lower().replace("ё", "е").strip(".,!?;:«»\"'()—–-…")


def replace_in_text(text: str, glossary: Glossary) -> str:
    """Replace each misheard phrase (whole words, any case, ё = е) in one pass over a string."""
    rules = sorted(glossary.replacements.items(), key=lambda rule: -len(rule[0]))
    if not rules:
        return text
    alternatives = []
    for i, (wrong, _right) in enumerate(rules):
        parts = [re.escape(p).replace("е", "[её]") for p in wrong.lower().replace("ё", "е").split()]
        alternatives.append(f"(?P<r{i}>" + r"[\s,]+".join(parts) + ")")
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)

    def fix(match: re.Match[str]) -> str:
        return rules[int(str(match.lastgroup)[1:])][1]

    # One pass, so a correction that contains its misheard form is not replaced again.
    return pattern.sub(fix, text)


def replace_in_words(words: tuple[Word, ...], glossary: Glossary) -> tuple[Word, ...]:
    """Replace misheard phrases in a word list; a multi-word phrase becomes one word spanning it."""
    rules = [
        ([_norm(p) for p in wrong.split()], right) for wrong, right in glossary.replacements.items()
    ]
    if not rules:
        return words
    rules.sort(key=lambda rule: -len(rule[0]))  # longest phrase first
    out: list[Word] = []
    i = 0
    while i < len(words):
        for keys, right in rules:
            window = words[i : i + len(keys)]
            if len(window) == len(keys) and [_norm(w.text) for w in window] == keys:
                lead = _EDGE.match(window[0].text)
                tail = _EDGE.match(window[-1].text)
                prefix = lead.group(1) if lead else ""
                suffix = tail.group(3) if tail else ""
                out.append(
                    Word(
                        start=window[0].start,
                        end=window[-1].end,
                        text=f"{prefix}{right}{suffix}",
                        probability=min(w.probability for w in window),
                    )
                )
                i += len(keys)
                break
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


def apply_glossary(segment: Segment, glossary: Glossary | None) -> Segment:
    """The segment with the glossary's replacements applied to its text and its words."""
    if glossary is None or not glossary.replacements:
        return segment
    if segment.words:
        # Text is rebuilt from the corrected words so the two never disagree.
        words = replace_in_words(segment.words, glossary)
        return replace(segment, words=words, text="".join(w.text for w in words).strip())
    return replace(segment, text=replace_in_text(segment.text, glossary))
