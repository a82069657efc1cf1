"""check_ad: find the offer, the deadline and the call to action in one ad text."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import phonenumbers
from spacy.tokens import Doc, Token

from scoring.adcopy.dates import Period, mark_dates
from scoring.adcopy.lengths import length_report
from scoring.adcopy.messages import (
    cta_text,
    deadline_text,
    marking_text,
    offer_text,
    vague_text,
)
from scoring.adcopy.rules import (
    DECISION_ORDER,
    MARKING_LABELS,
    Lexicon,
    annotate,
    clause_of,
    load_lexicon,
)
from scoring.adcopy.types import AdAudit, ElementVerdict, Evidence, MarkingAudit, VagueClaim
from scoring.nlp import SUPPORTED_LANGS, detect_language, shared_pipeline

# Words that turn a Russian infinitive into a statement ("Записаться можно по телефону").
_MODAL_RU = frozenset(
    {
        "можно",
        "нельзя",
        "нужно",
        "надо",
        "необходимо",
        "легко",
        "просто",
        "удобно",
        "сложно",
        "возможно",
        "реально",
        "несложно",
        "проще",
        "стало",
        "стоит",
        "можете",
        "сможете",
        "хотите",
        "как",
        "где",
        "чтобы",
    }
)
_BUTTON_MAX_WORDS = 5
_CLOSING_QUOTES = frozenset({"»", "”"})


@dataclass(frozen=True)
class _Hit:
    label: str
    rule_id: str
    start: int
    end: int

    def overlaps(self, other: _Hit) -> bool:
        return self.start < other.end and other.start < self.end

    def encloses(self, other: _Hit) -> bool:
        """True when ``other`` lies inside this hit and is shorter."""
        inside = self.start <= other.start and other.end <= self.end
        return inside and self.end - self.start > other.end - other.start


def _hits(doc: Doc, lexicon: Lexicon) -> list[_Hit]:
    hits = [
        _Hit(lexicon.labels[doc.vocab.strings[key]], doc.vocab.strings[key], start, end)
        for key, start, end in lexicon.elements(doc)
    ]
    if lexicon.lang == "ru":
        hits.extend(_button_infinitives(doc, frozenset(lexicon.lists["action_verbs_ru"])))
    return hits


def _button_infinitives(doc: Doc, actions: frozenset[str]) -> list[_Hit]:
    """Find stand-alone infinitives used as a button or label ("Купить: shop.ru")."""
    found = []
    for token in doc:
        if not token._.adcopy_start or token._.adcopy_inf not in actions:
            continue
        clause = clause_of(doc, token.i)
        words = [t for t in clause if t.is_alpha]
        # A modal word anywhere in the sentence makes it a statement ("Можно ... или написать").
        sentence = [t for t in doc if t._.adcopy_sent == token._.adcopy_sent]
        if len(words) <= _BUTTON_MAX_WORDS and not any(t.lower_ in _MODAL_RU for t in sentence):
            found.append(_Hit("cta", "cta.button_infinitive", token.i, token.i + 1))
    return found


def _filter(hits: list[_Hit], doc: Doc) -> dict[str, list[_Hit]]:
    """Drop hits vetoed by a "not_*" pattern or sharing a sentence with an opt-out line.

    A hit that encloses a whole veto span was matched with more context than the veto and
    stands ("Сегодня с 18:00 до 21:00" is a one-off window, "с 18:00 до 21:00" alone is hours).
    """
    blocks = {
        label: [h for h in hits if h.label == f"not_{label}"]
        for label in ("offer", "deadline", "cta", *MARKING_LABELS)
    }
    optout_sentences = {doc[h.start]._.adcopy_sent for h in hits if h.label == "optout"}
    kept: dict[str, list[_Hit]] = {}
    for hit in hits:
        if hit.label.startswith("not_") or hit.label == "optout":
            continue
        if any(
            hit.overlaps(block) and not hit.encloses(block) for block in blocks.get(hit.label, [])
        ):
            continue
        if hit.label == "cta" and doc[hit.start]._.adcopy_sent in optout_sentences:
            continue
        kept.setdefault(hit.label, []).append(hit)
    return kept


def _decide(found: dict[str, list[_Hit]], doc: Doc, lexicon: Lexicon) -> dict[str, list[_Hit]]:
    """Keep a conditional hit only when a hit it needs is in its sentence (or in the ad).

    Labels are decided in ``DECISION_ORDER``, so a date range that needs an offer is judged
    against the offers that survived their own conditions.
    """
    decided: dict[str, list[_Hit]] = {}

    def sentences(names: tuple[str, ...]) -> set[int]:
        return {doc[other.start]._.adcopy_sent for name in names for other in decided.get(name, [])}

    for label in DECISION_ORDER:
        kept = []
        for hit in found.get(label, []):
            need = lexicon.needs.get(hit.rule_id)
            if need is None:
                kept.append(hit)
                continue
            sentence = doc[hit.start]._.adcopy_sent
            if need.scope == "sentence" and sentence in sentences(need.unless):
                continue
            needed = sentences(need.any)
            in_ad = need.scope == "ad" and bool(needed) and sentence not in sentences(need.unless)
            if sentence in needed or in_ad:
                kept.append(hit)
        decided[label] = kept
    for label, hits in found.items():
        decided.setdefault(label, hits)
    return decided


def _outermost(hits: list[_Hit]) -> list[_Hit]:
    """Keep the longest of overlapping hits, in text order."""
    chosen: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if not any(hit.overlaps(other) for other in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def _trailing(token: Token) -> bool:
    """Punctuation or space that may end a pattern but not its evidence (a closing quote may)."""
    return token.is_space or (token.is_punct and token.text not in _CLOSING_QUOTES)


def _evidence(doc: Doc, hits: list[_Hit]) -> tuple[Evidence, ...]:
    spans = []
    for hit in _outermost(hits):
        end = hit.end
        # A pattern may end on the punctuation that closes a phrase ("New Student Special |").
        while end - 1 > hit.start and _trailing(doc[end - 1]):
            end -= 1
        span = doc[hit.start : end]
        spans.append(Evidence(span.start_char, span.end_char, span.text, hit.rule_id))
    return tuple(spans)


def _days_within(
    doc: Doc, hit: _Hit, values: dict[tuple[int, int], datetime.date | None]
) -> list[datetime.date]:
    """The days a deadline names; a time of day counts only when no date is given with it.

    "Ends 11:59 PM on 12/2" ends on 2 December, not on the day of the audit.
    """
    span = doc[hit.start : hit.end]
    inside = [ent for ent in doc.ents if ent.start >= span.start and ent.end <= span.end]
    dated = [ent for ent in inside if ent.label_ != "TIME"]
    if not dated and inside:
        # "ends 11:59 PM PT on 12/2": the date may follow the time in the same sentence.
        sentence = doc[hit.start]._.adcopy_sent
        dated = [
            ent
            for ent in doc.ents
            if ent.label_ in {"DATE", "DRANGE"}
            and span.end <= ent.start <= span.end + 3
            and ent[0]._.adcopy_sent == sentence
        ]
    dated = dated or inside
    return [day for ent in dated if (day := values.get((ent.start, ent.end))) is not None]


def _contacts(doc: Doc, lang: str) -> tuple[str | None, str | None]:
    region = "RU" if lang == "ru" else "US"
    phone = next((m.raw_string for m in phonenumbers.PhoneNumberMatcher(doc.text, region)), None)
    url = next((t.text for t in doc if t.like_url or t.like_email), None)
    return phone, url


def check_ad(
    text: str,
    lang: str | None = None,
    today: datetime.date | None = None,
    campaign_period: Period | None = None,
    online: bool = False,
) -> AdAudit:
    """Audit one ad text for an offer, a deadline and a call to action.

    ``today`` is the day of the audit (expired deadlines are judged against it).
    ``campaign_period`` is the (first day, last day) of the campaign the ad belongs to, either
    end possibly None: a date written without a year is then read inside that period.
    ``online``: the ad runs online in Russia, so its marking (label, advertiser, erid) is checked.
    """
    if not isinstance(text, str):
        raise TypeError(f"ad text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise ValueError("ad text is empty")
    lang = lang or detect_language(text)
    if lang not in SUPPORTED_LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED_LANGS}")
    today = today or datetime.date.today()
    nlp = shared_pipeline(lang)
    lexicon = load_lexicon(lang, nlp)
    doc = nlp(text)
    annotate(doc, lang, lexicon)
    date_values = mark_dates(doc, lexicon, today, campaign_period)
    found = _decide(_filter(_hits(doc, lexicon), doc), doc, lexicon)

    offer_ev = _evidence(doc, found.get("offer", []))
    vague_hits = found.get("vague", []) + ([] if offer_ev else found.get("vague_promo", []))
    offer_hits = found.get("offer", [])
    vague_hits = [h for h in vague_hits if not any(h.overlaps(o) for o in offer_hits)]
    vague = tuple(
        VagueClaim(
            e.start,
            e.end,
            e.text,
            e.rule_id,
            vague_text(e.text, e.rule_id == "vague.unnamed_promo", lang),
        )
        for e in _evidence(doc, vague_hits)
    )
    explanation, suggestion = offer_text([e.text for e in offer_ev], [v.text for v in vague], lang)
    offer = ElementVerdict(bool(offer_ev), offer_ev, explanation, suggestion)

    deadline_hits = _outermost(found.get("deadline", []))
    deadline_ev = _evidence(doc, deadline_hits)
    ends: list[datetime.date] = []
    open_ended = False
    for hit in deadline_hits:
        days = _days_within(doc, hit, date_values)
        ends.extend(days)
        open_ended = open_ended or not days
    ends_on = max(ends) if ends else None
    expired = bool(deadline_ev) and not open_ended and ends_on is not None and ends_on < today
    explanation, suggestion = deadline_text(
        [e.text for e in deadline_ev], ends_on, expired, today, lang
    )
    deadline = ElementVerdict(
        bool(deadline_ev), deadline_ev, explanation, suggestion, expired, ends_on
    )

    cta_ev = _evidence(doc, found.get("cta", []))
    phone, url = _contacts(doc, lang)
    explanation, suggestion = cta_text([e.text for e in cta_ev], phone, url, lang)
    cta = ElementVerdict(bool(cta_ev), cta_ev, explanation, suggestion)

    marking = _marking(doc, found, lang) if online else None
    return AdAudit(lang, offer, deadline, cta, length_report(text), vague, marking)


def _marking(doc: Doc, found: dict[str, list[_Hit]], lang: str) -> MarkingAudit:
    """The three parts of the marking, each with its evidence and explanation."""
    verdicts = {}
    for name in MARKING_LABELS:
        evidence = _evidence(doc, found.get(name, []))
        explanation, suggestion = marking_text(name, [e.text for e in evidence], lang)
        verdicts[name] = ElementVerdict(bool(evidence), evidence, explanation, suggestion)
    return MarkingAudit(**verdicts)
