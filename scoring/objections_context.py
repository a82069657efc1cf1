"""Context of a customer turn: the agent's turn before it, neutral content and seller cues.

A short answer is an objection only after some agent turns ("маловато" after a discount
offer, "too long" after a lead time) and nothing after others. The lexicon
``scoring/lexicons/objection_context.<lang>.jsonl`` holds, one spaCy Matcher pattern a line:

* ``kind: "agent"``, id ``ctx.<tag>``: what the agent's turn is about (``price``,
  ``discount``, ``stock``, ``unavailable``, ``wait``, ``question``). The tags of the previous
  agent turn
  reach the classifier as features (``ctx_<tag>`` tokens) and gate the reply rules.
* ``kind: "reply"``, id ``reply.<name>``, ``label``, ``after`` (tags, or ``any``),
  ``max_tokens``, ``questions`` (``drop``, the default, or ``keep``): a customer answer of at
  most ``max_tokens`` words that is an objection of ``label`` after an agent turn with one of
  the tags (``any``: wherever it is said, such as a rival's price with a figure). Unless
  ``keep``, not in a neutral question. Its matches join the rule spans of the turn.
* ``kind: "neutral"``: words that carry no objection (pleasantries, confirmations, fillers,
  identifiers such as number, name, mileage). A turn whose content is only these, numbers
  and stop words is neutral: the classifier alone does not flag it.
* ``kind: "question"``: a neutral question (price, stock, when, where, how much). A turn
  with such a question and no negation is neutral too; so is a turn that reads out a number
  (four number words in a row) with little else.
* ``kind: "opener"``: a greeting that opens the customer's first turn ("здравствуйте, мне
  нужен…"); such a turn without negation is a request, judged like a neutral question.
* ``kind: "stall"``: stalling with no reason ("я подумаю, может подожду", "let me sleep on
  it"); a turn of at most ten words whose content words are all such words is neutral.
* ``kind: "seller"``: what a seller says (offers, "у нас есть", quotes, "I can offer",
  introductions). When roles are unknown, such a turn is not judged as the customer's.

The component writes ``doc.user_data``: ``qa_context`` (the previous turn's tags),
``qa_neutral`` (the kind of neutral turn, or ""), ``qa_off_topic`` (labels a short answer
cannot raise on the classifier alone, given the agent's topic) and ``qa_seller`` (bool).
The previous turn is read from ``doc.user_data["qa_previous"]``, set before the pipeline
runs: its text, or its Doc when that is an earlier doc of the same ``nlp.pipe`` call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from scoring.nlp import shared_pipeline
from scoring.objections_rules import (
    LEXICON_DIR,
    OBJECTION_SPANS_KEY,
    AnchoredRuler,
    LexiconError,
    doc_words,
)
from scoring.types import BUILTIN_LABELS

__all__ = [
    "CONTEXT_KEY",
    "NEUTRAL_KEY",
    "OFF_TOPIC_KEY",
    "PREVIOUS_KEY",
    "SELLER_KEY",
    "add_context",
    "context_tags",
    "load_context_lexicon",
]

PREVIOUS_KEY = "qa_previous"
CONTEXT_KEY = "qa_context"
NEUTRAL_KEY = "qa_neutral"
SELLER_KEY = "qa_seller"
OFF_TOPIC_KEY = "qa_off_topic"

_KINDS = ("agent", "reply", "neutral", "seller", "question", "opener", "stall")
_KEYS = {"id", "kind", "pattern", "label", "after", "max_tokens", "questions", "note"}
# A turn with at most this many content words (not neutral, not numbers, not stop words)
# is neutral: greetings, confirmations, numbers read out, names.
MAX_NEUTRAL_CONTENT = 1
_EMPTY_WORDS = 6
# Negations are content: "а синего нету?" rejects what is on offer.
_NEGATIONS = {"не", "нет", "нету", "ни", "без", "not", "n't", "no", "never", "without", "none"}


@dataclass(frozen=True)
class ReplyRule:
    id: str
    label: str
    # Tags of the agent turn after which the rule holds; "any": after any turn or none.
    after: frozenset[str]
    max_tokens: int
    # "drop": not in a neutral question (default); "keep": also there ("…, а у вас сколько?").
    questions: str = "drop"


@dataclass(frozen=True)
class ContextLexicon:
    agent: tuple[dict[str, Any], ...]
    reply: tuple[dict[str, Any], ...]
    neutral: tuple[dict[str, Any], ...]
    seller: tuple[dict[str, Any], ...]
    question: tuple[dict[str, Any], ...]
    opener: tuple[dict[str, Any], ...]
    stall: tuple[dict[str, Any], ...]
    replies: dict[str, ReplyRule]


@lru_cache(maxsize=4)
def load_context_lexicon(lang: str, directory: Path = LEXICON_DIR) -> ContextLexicon:
    """Read objection_context.<lang>.jsonl (see the module docstring)."""
    path = directory / f"objection_context.{lang}.jsonl"
    if not path.is_file():
        raise LexiconError(f"no objection context lexicon for language {lang!r} at {path}")
    by_kind: dict[str, list[dict[str, Any]]] = {kind: [] for kind in _KINDS}
    replies: dict[str, ReplyRule] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            entry = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise LexiconError(f"{where}: not valid JSON ({exc.msg})") from exc
        if not isinstance(entry, dict) or set(entry) - _KEYS:
            raise LexiconError(f"{where}: a JSON object with keys from {sorted(_KEYS)}")
        kind, rule_id, pattern = entry.get("kind"), entry.get("id"), entry.get("pattern")
        if kind not in _KINDS:
            raise LexiconError(f"{where}: kind must be one of {_KINDS}")
        if not isinstance(rule_id, str) or not rule_id.startswith(
            {
                "agent": "ctx.",
                "reply": "reply.",
                "neutral": "neutral.",
                "seller": "seller.",
                "question": "question.",
                "opener": "opener.",
                "stall": "stall.",
            }[kind]
        ):
            raise LexiconError(f"{where}: id {rule_id!r} does not fit kind {kind!r}")
        if not isinstance(pattern, list) or not pattern:
            raise LexiconError(f"{where}: pattern must be a token list")
        if kind == "reply":
            rule = ReplyRule(
                rule_id,
                str(entry.get("label")),
                frozenset(entry.get("after") or ()),
                int(entry.get("max_tokens", 10)),
                str(entry.get("questions", "drop")),
            )
            if rule.label not in BUILTIN_LABELS or not rule.after:
                raise LexiconError(f"{where}: a reply rule needs a label and 'after' tags")
            if rule.questions not in ("keep", "drop"):
                raise LexiconError(f"{where}: questions must be 'keep' or 'drop'")
            if replies.get(rule_id, rule) != rule:
                raise LexiconError(f"{where}: id {rule_id} reused with other settings")
            replies[rule_id] = rule
        by_kind[kind].append({"id": rule_id, "pattern": pattern})
    return ContextLexicon(
        agent=tuple(by_kind["agent"]),
        reply=tuple(by_kind["reply"]),
        neutral=tuple(by_kind["neutral"]),
        seller=tuple(by_kind["seller"]),
        question=tuple(by_kind["question"]),
        opener=tuple(by_kind["opener"]),
        stall=tuple(by_kind["stall"]),
        replies=replies,
    )


class _Matcher:
    """The lexicon's patterns of one kind, each run only on turns with its anchor word."""

    def __init__(self, nlp: Language, entries: tuple[dict[str, Any], ...]) -> None:
        self.ruler = AnchoredRuler(nlp, [{**entry, "label": "CTX"} for entry in entries])

    def __call__(self, doc: Doc, words: set[str] | None = None) -> list[tuple[str, int, int]]:
        """(id, start, end) of each match."""
        return [(span.id_, span.start, span.end) for span in self.ruler.spans(doc, words)]


def _matcher(nlp: Language, entries: tuple[dict[str, Any], ...]) -> _Matcher:
    return _Matcher(nlp, entries)


@lru_cache(maxsize=4)
def _agent_matchers(lang: str) -> tuple[Any, Any]:
    lexicon = load_context_lexicon(lang)
    nlp = shared_pipeline(lang)
    return _matcher(nlp, lexicon.agent), _matcher(nlp, lexicon.question)


@lru_cache(maxsize=4096)
def context_tags(text: str, lang: str) -> tuple[str, ...]:
    """Tags of an agent turn: ``price``, ``discount``, ``stock``, ``wait`` (what it is about,
    from the lexicon) and ``question`` (it asks something)."""
    if not text or not text.strip():
        return ()
    return _tags(shared_pipeline(lang)(text), *_agent_matchers(lang))


def _tags(doc: Doc, topics: _Matcher, questions: _Matcher) -> tuple[str, ...]:
    forms = doc_words(doc)
    tags = {rule_id.split(".", 1)[1] for rule_id, _, _ in topics(doc, forms)}
    if "?" in doc.text or questions(doc, forms):
        tags.add("question")
    return tuple(sorted(tags))


# A run of this many number words is a number read out (phone, account, zip, plate); a turn
# with such a run and at most _READ_OUT_CONTENT other content words is neutral.
_READ_OUT_RUN = 4
# Context tags that make a short answer a possible objection; other agent questions do not.
_PRICE_TOPICS = frozenset({"price", "discount"})
_STOCK_TOPICS = frozenset({"stock", "wait", "unavailable"})
_TOPICS = _PRICE_TOPICS | _STOCK_TOPICS
_ANSWER_WORDS = 10
_FIGURE_CONTENT = 3
# An answer this short speaks only to the agent's topic ("нет, дороговато").
_OFF_TOPIC_WORDS = 10
_STALL_WORDS = 10
_READ_OUT_CONTENT = 3


def _is_number(token: Any) -> bool:
    return bool(token.like_num) or any(c.isdigit() for c in token.text)


def _longest_number_run(words: list[Any]) -> int:
    best = run = 0
    for token in words:
        run = run + 1 if _is_number(token) else 0
        best = max(best, run)
    return best


def _words(doc: Doc) -> list[Any]:
    return [t for t in doc if not t.is_punct and not t.is_space]


class ObjectionContext:
    """spaCy component: context tags, reply-rule spans, neutral and seller flags."""

    def __init__(self, nlp: Language, lang: str) -> None:
        self.lang = lang
        lexicon = load_context_lexicon(lang)
        self.replies = lexicon.replies
        self.reply = _matcher(nlp, lexicon.reply)
        self.neutral = _matcher(nlp, lexicon.neutral)
        self.seller = _matcher(nlp, lexicon.seller)
        self.question = _matcher(nlp, lexicon.question)
        self.opener = _matcher(nlp, lexicon.opener)
        self.stall = _matcher(nlp, lexicon.stall)
        self.topics = _matcher(nlp, lexicon.agent)

    def _stalls(self, doc: Doc, forms: set[str], content: list[Any]) -> bool:
        """Stalling and nothing else: every content word is a stalling word."""
        stalling = {i for _, start, end in self.stall(doc, forms) for i in range(start, end)}
        return bool(stalling) and all(t.i in stalling for t in content)

    def __call__(self, doc: Doc) -> Doc:
        previous = doc.user_data.get(PREVIOUS_KEY)
        if isinstance(previous, Doc):
            # A segment of the same transcript, already through this pipeline's tokenizer and
            # lemmatizer (find_objections with roles unknown): no second analysis.
            tags = _tags(previous, self.topics, self.question) if previous.text.strip() else ()
        elif isinstance(previous, str):
            tags = context_tags(previous, self.lang)
        else:
            tags = ()
        doc.user_data[CONTEXT_KEY] = tags
        words = _words(doc)
        forms = doc_words(doc)
        negated = any(t.lower_ in _NEGATIONS for t in words)
        neutral_question = not negated and bool(self.question(doc, forms))
        if self.replies:
            added = []
            for rule_id, start, end in self.reply(doc, forms):
                rule = self.replies[rule_id]
                if (
                    (rule.after & {*tags, "any"})
                    and len(words) <= rule.max_tokens
                    and (rule.questions == "keep" or not neutral_question)
                ):
                    added.append(Span(doc, start, end, label=rule.label, span_id=rule.id))
            if added:
                kept = (
                    list(doc.spans[OBJECTION_SPANS_KEY]) if OBJECTION_SPANS_KEY in doc.spans else []
                )
                doc.spans[OBJECTION_SPANS_KEY] = sorted(
                    [*kept, *added], key=lambda s: (s.start, s.end)
                )
        neutral_tokens = {
            i for _, start, end in self.neutral(doc, forms) for i in range(start, end)
        }
        content = [
            t
            for t in words
            if t.i not in neutral_tokens
            and (not t.is_stop or t.lower_ in _NEGATIONS)
            and not _is_number(t)
        ]
        read_out = _longest_number_run(words) >= _READ_OUT_RUN
        # A short answer to an agent's question about something other than price, stock or
        # waiting ("Вы у нас уже были?" – "нет, первый раз") objects only on rule evidence.
        # So does a figure given in answer to any agent question (a budget, a price asked
        # for, a year): a number and few other words.
        asked = "question" in tags
        answer = (asked and not set(tags) & _TOPICS and len(words) <= _ANSWER_WORDS) or (
            asked and any(_is_number(t) for t in words) and len(content) <= _FIGURE_CONTENT
        )
        if len(content) <= MAX_NEUTRAL_CONTENT and len(words) <= _EMPTY_WORDS:
            kind = "empty"
        elif read_out and len(content) <= _READ_OUT_CONTENT:
            kind = "read_out"
        elif neutral_question:
            kind = "question"
        elif answer:
            kind = "answer"
        elif not negated and self._stalls(doc, forms, content) and len(words) <= _STALL_WORDS:
            kind = "stall"
        elif not negated and self.opener(doc, forms):
            kind = "opener"
        else:
            kind = ""
        doc.user_data[NEUTRAL_KEY] = kind
        # A short answer speaks to the agent's topic: after a turn about price only, the
        # classifier alone does not find an assortment objection in it, and the reverse.
        off_topic: set[str] = set()
        if len(words) <= _OFF_TOPIC_WORDS and set(tags) & _TOPICS:
            if not set(tags) & _PRICE_TOPICS:
                off_topic.add("price")
            if not set(tags) & _STOCK_TOPICS:
                off_topic.add("assortment")
        doc.user_data[OFF_TOPIC_KEY] = tuple(sorted(off_topic))
        doc.user_data[SELLER_KEY] = bool(self.seller(doc, forms))
        return doc


@Language.factory("qa_objection_context", default_config={"lang": "ru"})
def _make_context(nlp: Language, name: str, lang: str) -> ObjectionContext:
    return ObjectionContext(nlp, lang)


def add_context(nlp: Language, lang: str) -> None:
    """Add the context component (after the rules, before the classifier)."""
    nlp.add_pipe("qa_objection_context", config={"lang": lang})
