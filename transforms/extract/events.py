"""Event mentions: typed triggers in their sentence, with the syntax that decides whether they are events.

Every trigger match becomes an `EventMention` with a `status`: `event` when it reports something that
happened (or will), otherwise why not (`negated`, `hypothetical`, `state`, `modifier`, `subsumed`).
Dates are *attached* here (which date expression of the sentence belongs to which trigger, by distance in
the dependency tree) but *resolved* later, in `transforms.resolve.timeline`, once each article's reference date
is known (it may come from other articles of the story). Nothing here reads the clock.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from transforms import lexicon
from transforms.extract.doctext import doc_text
from transforms.dates import DateMention, find_dates
from transforms.extract.mentions import Mention

TRIGGERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (event_type, re.compile(pattern, re.IGNORECASE))
    for event_type, pattern in (
        ("ceasefire", r"\bcease-?fires?\b|\btruces?\b|\barmistice\b"),
        ("airstrike", r"\bair[- ]?strikes?\b|\bair raids?\b|\bdrone (?:strikes?|attacks?)\b|\baerial (?:bombing|attacks?)\b"),
        ("explosion", r"\bexplosions?\b|\bblasts?\b|\bbombings?\b|\bexploded\b|\bdetonat\w+"),
        ("border_closure", r"\b(?:border|crossings?|frontier)\b[^.;]{0,60}?\b(?:closed|shut|sealed)\b|"
                           r"\b(?:closed|shut|sealed|closure of)\b[^.;]{0,40}?\b(?:borders?|crossings?|frontier)\b"),
        ("border_reopening", r"\breopen(?:ed|ing|s)?\b[^.;]{0,60}?\b(?:borders?|crossings?|frontier|them)\b|"
                             r"\b(?:borders?|crossings?)\b[^.;]{0,40}?\breopened\b"),
        ("power_change", r"\b(?:return(?:ed|s)?|came|come|rise|rose) to power\b|\b(?:took|seized|assumed|seize|take) "
                         r"(?:over )?power\b|\bcoup\b|\bousted\b|\btoppled\b|\bsworn in\b"),
        ("killing", r"\bkill(?:ed|ing|s)?\b|\bneutrali[sz]ed\b|\bassassinat\w+|\bslain\b|\bdeath of\b|\bexecuted\b"),
        ("military_operation", r"\b(?:military |security |counter-?terrorism )?operations?\b|\boffensive\b|"
                               r"\braids?\b|\bcrackdown\b|\btargeted\b[^.;]{0,40}?\bhideouts?\b"),
        ("clash", r"\bclash(?:es|ed)?\b|\bfighting\b|\bskirmish\w*|\bexchanges? of fire\b|\bfirefights?\b|"
                  r"\bhostilities\b|\bretaliat(?:ion|ory attacks?|ed)\b|\bfought\b"),
        ("talks", r"\b(?:peace |high-stakes |emergency )?talks\b|\bnegotiations?\b|\bdiscussions\b|\bsummit\b"),
    )
)
# The word of a multi-word trigger that carries the syntax (the verb of "crossings ... were shut").
_TRIGGER_HEADS = re.compile(r"^(?:clos\w*|shut|sealed|reopen\w*|power|coup|ousted|toppled|sworn|death|kill\w*|"
                            r"targeted|\w*fires?|truces?|talks|strikes?|raids?|attacks?|bombing|exchanges?)$",
                            re.IGNORECASE)
# "due to" before a noun phrase is a cause ("closed due to the explosion"), before a verb a schedule.
_FUTURE = re.compile(r"\b(?:will|shall|expected to|set to|scheduled|plans? to|is to|are to|due to(?!\s+(?:the|a|an|"
                     r"this|that|these|those|his|her|its|their|our|heavy|high|low|poor|bad)\b))\b", re.IGNORECASE)
_SIMULTANEOUS = {"when", "as", "while"}  # a clause of these words happens at the time of the event it modifies
_LOCATION_PREPS = {"in", "at", "near", "on", "into", "inside", "across", "along", "from", "to"}
# Prepositions that place a mention in the background of another event ("despite the ceasefire").
BACKGROUND_PREPS = {"despite", "during", "since", "amid", "amidst", "after", "following", "before", "until",
                    "throughout", "for"}
# Determiners and adjectives that point back to an event already reported.
ANAPHORIC_WORDS = {"this", "these", "that", "those", "previous", "ongoing", "same", "latest", "such", "stalled",
                   "further", "last", "earlier", "prior", "past"}
# Nouns that group events ("this series of clashes", "a round of talks").
GROUP_NOUNS = {"series", "round", "wave", "string", "spate", "cycle", "days", "weeks", "day", "week"}
# Verbs (and nouns) that make what they govern a goal rather than a fact: "aimed at securing a ceasefire".
IRREALIS_GOVERNORS = {"aim", "seek", "intend", "hope", "want", "try", "attempt", "strive", "push", "press", "urge",
                      "demand", "propose", "plan", "need", "wish", "call", "goal", "effort", "bid", "threaten",
                      "warn", "risk", "prevent", "avoid", "depend", "vow", "pledge", "decision", "decide", "request",
                      "offer", "proposal", "ready", "willing"}
# Verbs whose object is an existing state, not a new event: "maintain the ceasefire", "the truce held".
STATE_VERBS = {"maintain", "extend", "respect", "uphold", "violate", "breach", "monitor", "observe", "honor",
               "honour", "remain", "keep", "verify", "hold"}
STATE_TYPES = {"ceasefire", "border_closure"}
# Where the search for a governing goal verb stops: a background phrase or another clause.
_SCOPE_BREAKS = {"advcl", "relcl", "acl"}
PAST_TENSES = {"past", "pluperfect"}
NOT_REAL = {"negated", "hypothetical"}  # statuses that are also the mention's modality
NAME_TYPES = {"ORG", "PERSON", "WORK_OF_ART", "FAC", "PRODUCT", "LAW"}
_ATTACK_NOUNS = {"strike", "strikes", "attack", "attacks", "airstrike", "airstrikes", "raid", "raids", "bombing",
                 "operation", "operations", "clash", "clashes", "fighting"}
_REPORT_VERBS = lexicon.SPEECH_VERBS | {"report", "announce", "confirm", "say", "tell"}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "a dozen": 12, "dozens": None, "hundreds": None}
_NUMBER = r"(?P<n>\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
ATTRIBUTE_PATTERNS: dict[str, re.Pattern[str]] = {
    "duration_days": re.compile(_NUMBER + r"(?:-| )days?(?: long)?\b(?:\s+(?:of|round|session|meeting))?", re.IGNORECASE),
    "killed": re.compile(r"\bkill(?:ed|ing)\s+(?:at least\s+|some\s+|about\s+)?" + _NUMBER + r"\b|"
                         + _NUMBER.replace("?P<n>", "?P<n2>") + r"\s+(?:\w+\s+){0,3}(?:were|was|have been|had been)\s+killed\b",
                         re.IGNORECASE),
}


@dataclass
class EventMention:
    """One trigger in one sentence, with what the syntax says about it. Offsets are body offsets."""

    event_type: str
    trigger: str
    trigger_start: int
    trigger_end: int
    start: int  # evidence sentence
    end: int
    evidence: str
    paragraph_no: int
    status: str = "event"  # event | negated | hypothetical | state | modifier | name | subsumed
    modality: str = "happened"  # happened | planned | negated | hypothetical (the last two: status says why)
    tense: str = "none"  # past | perfect | present | progressive | future | none
    background: bool = False
    anaphoric: bool = False
    date: DateMention | None = None  # attached date expression (body offsets)
    date_via: str | None = None  # own | report (the date of the statement that reports it)
    actor_keys: list[int] = field(default_factory=list)
    location_key: int | None = None
    attributes: dict[str, int] = field(default_factory=dict)


# --- dependency-tree helpers -------------------------------------------------------------------------

def _chain(token: Token) -> list[Token]:
    """The token and its ancestors, nearest first."""
    return [token, *token.ancestors]


def tree_distance(a: Token, b: Token) -> int:
    chain_a = _chain(a)
    positions = {t.i: n for n, t in enumerate(chain_a)}
    for n, t in enumerate(_chain(b)):
        if t.i in positions:
            return positions[t.i] + n
    return 99


def _clause_verb(token: Token) -> Token:
    """The verb of the clause a token belongs to (itself when it is one)."""
    for t in _chain(token):
        if t.pos_ in {"VERB", "AUX"} or t.dep_ == "ROOT":
            return t
    return token


def _finite_verb(verb: Token) -> Token:
    """Climb from an infinitive, gerund or participle to the verb that carries tense ("prompted Qatar to host")."""
    while verb.head is not verb and not any(c.dep_ in {"aux", "auxpass"} and c.tag_ != "TO" for c in verb.children) \
            and (verb.tag_ in {"VB", "VBG"} and verb.dep_ in {"xcomp", "pcomp", "advcl", "acomp", "ccomp", "conj"}
                 or verb.tag_ == "VBN" and verb.dep_ == "acl"):  # "a ceasefire facilitated by talks"
        verb = _clause_verb(verb.head)
    return verb


def _tense(verb: Token) -> str:
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    lemmas = {a.lemma_.lower() for a in auxes}
    if lemmas & {"will", "shall"} or any(a.lower_ in {"'ll"} for a in auxes):
        return "future"
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN":
        if any(a.lemma_.lower() == "have" and a.tag_ in {"VBZ", "VBP"} for a in auxes):
            return "perfect"
        if any(a.lemma_.lower() == "have" and a.tag_ == "VBD" for a in auxes):
            return "pluperfect"
        if any(a.tag_ == "VBD" for a in auxes):
            return "past"
        return "none"
    if verb.tag_ == "VBG" and any(a.lemma_.lower() == "be" and a.tag_ in {"VBZ", "VBP"} for a in auxes):
        return "progressive"
    if verb.tag_ in {"VBZ", "VBP"}:
        return "present"
    return "none"


def _noun_phrase_words(head: Token) -> set[str]:
    """Determiners and modifiers of a trigger noun and of a group noun above it ("this series of clashes")."""
    words = {c.lower_ for c in head.children if c.dep_ in {"det", "amod", "poss", "compound"}}
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in GROUP_NOUNS:
        words |= {c.lower_ for c in head.head.head.children if c.dep_ in {"det", "amod", "poss"}}
    return words


def _is_background(head: Token) -> bool:
    noun = head
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in GROUP_NOUNS:
        noun = noun.head.head
    return noun.dep_ == "pobj" and noun.head.lower_ in BACKGROUND_PREPS


def _trigger_head(span: Span) -> Token:
    for token in span:
        if _TRIGGER_HEADS.match(token.text):
            return token
    return span.root


# --- modality -----------------------------------------------------------------------------------------

def _lexical_modality(sentence: str, trigger_at: int) -> str:
    """negated / hypothetical / future / asserted, from cue words before the trigger."""
    clause_start = max(sentence.rfind(sep, 0, trigger_at) for sep in (",", ";", "—", ":")) + 1
    before = sentence[clause_start:trigger_at]
    window = sentence[max(0, trigger_at - 40):trigger_at]
    if re.search(r"\b(?:no|without)\s+(?:\w+\s+){0,2}$", window, re.IGNORECASE):
        return "negated"
    if re.search(r"\b(?:not|never)\b", before, re.IGNORECASE) and not re.search(r"\bnot only\b", before, re.IGNORECASE):
        return "negated"
    if re.search(r"\b(?:if|unless)\b", before, re.IGNORECASE) or \
            re.match(r"[\s\"“‘'(]*(?:if|unless)\b", sentence, re.IGNORECASE):
        return "hypothetical"
    if re.match(r"\S*\s+(?:\w+\s+)?(?:could|would|might|may)\b", sentence[trigger_at:], re.IGNORECASE):
        return "hypothetical"
    if _FUTURE.search(sentence[:trigger_at + 40]):
        return "future"
    return "asserted"


# Tenses a verb's own form gives, which no future cue elsewhere in the sentence overrides.
OWN_PAST_TENSES = {"past", "perfect", "pluperfect"}


def _own_tense(head: Token) -> str | None:
    """The tense of a trigger that is itself a verb, from its own form ("a device detonated": past). A past
    participle without an auxiliary is past too where it has its own subject (a past verb the tagger read as
    a participle) or modifies a noun ("a device detonated near the stage", "a truce brokered by Qatar")."""
    if head.pos_ != "VERB":
        return None
    if head.tag_ == "VBN" and not any(c.dep_ in {"aux", "auxpass"} for c in head.children) \
            and (head.dep_ == "acl" or any(c.dep_ == "nsubj" for c in head.children)):
        return "past"
    return _tense(head)


# Verbs that put what they govern in the future even in the past tense ("talks were scheduled for Monday").
SCHEDULE_LEMMAS = {"schedule", "set", "expect", "plan", "due", "intend", "prepare", "aim", "hope", "propose"}


def _told_in_the_past(head: Token) -> bool:
    """A noun trigger governed by a verb in the past that does not look ahead ("survived the blast"), as
    opposed to "talks were set to resume" (an infinitive ahead) or "the vote was scheduled"."""
    verb = _clause_verb(head)
    if verb is head or verb.pos_ != "VERB" or verb.lemma_.lower() in SCHEDULE_LEMMAS:
        return False
    if any(c.dep_ == "xcomp" for c in verb.children):
        return False
    return _own_tense(verb) in OWN_PAST_TENSES


def _modality(status: str, lexical: str, clause_tense: str, head: Token) -> str:
    """happened / planned (or the unreal status): a verb trigger's own tense decides first, so a future cue
    about another clause ("was scheduled to open when a device detonated") does not make it planned; a
    noun trigger takes its clause's tense and the cue words."""
    if status in NOT_REAL:
        return status
    own = _own_tense(head)
    if own in OWN_PAST_TENSES or (own is None and _told_in_the_past(head)):
        return "happened"
    return "planned" if own == "future" or lexical == "future" or clause_tense == "future" else "happened"


def _syntactic_status(head: Token, event_type: str, verb: Token) -> str | None:
    """Why a trigger is not an event, from its place in the parse; None when it is one."""
    if head.ent_type_ in NAME_TYPES:
        return "name"  # "Summit Entertainment", "Operation Sindoor Memorial"
    if head.dep_ == "compound" and head.head.pos_ in {"NOUN", "PROPN"} and head.head.lower_ not in {"talks"}:
        return "modifier"  # "ceasefire violations", "border closure talks"
    for ancestor in list(head.ancestors)[:6]:
        if ancestor.dep_ == "prep" and ancestor.lower_ in BACKGROUND_PREPS - {"for"}:
            break
        if ancestor.lemma_.lower() in IRREALIS_GOVERNORS and ancestor.i != head.i:
            return "hypothetical"
        if ancestor.dep_ in {"ROOT", "ccomp"} | _SCOPE_BREAKS and ancestor.pos_ in {"VERB", "AUX"}:
            break
    if any(c.dep_ == "aux" and c.lemma_.lower() in {"would", "could", "might", "may", "should", "must"}
           for c in verb.children) and head.dep_ in {"nsubj", "csubj", "nsubjpass"} | ({"ROOT"} if head is verb else set()):
        return "hypothetical"
    if event_type in STATE_TYPES and head.dep_ in {"dobj", "nsubjpass", "nsubj"} \
            and head.head.lemma_.lower() in STATE_VERBS:
        return "state"  # "maintain the ceasefire", "a ceasefire has been maintained"
    if event_type == "killing" and head.pos_ == "VERB":
        subject = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and subject.lower_ in _ATTACK_NOUNS:
            return "subsumed"  # "the clashes killed dozens": the clash is the event
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in {"in", "during"}):
            if any(o.lower_ in _ATTACK_NOUNS for o in prep.children if o.dep_ == "pobj"):
                return "subsumed"  # "killed 18 militants in two operations"
    if event_type == "military_operation" and head.lower_ == "targeted":
        subject = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and subject.lower_ in _ATTACK_NOUNS:
            return "subsumed"  # "the strikes targeted hideouts": the strikes are the event
    return None


# --- dates, actors, place, attributes -----------------------------------------------------------------

_EXPLICIT_DIRECTION = re.compile(r"^(?:last|next|since|by|as soon as)\b", re.IGNORECASE)  # the word says which way
# A date that bounds or is counted from something else ("by Friday", "until May", "since Monday") is no day a
# statement was made on: "urged lawmakers to pass it by Friday" was said before Friday.
_NOT_A_DAY_OF_SPEECH = re.compile(r"^(?:by|until|till|since|before|after|through)\b", re.IGNORECASE)
# Verbs whose date is the time something is put off to or arranged for ("postponed until Tuesday", "has
# scheduled a news conference Thursday", "planned a demonstration on Saturday"): ahead, whatever the tense.
_ARRANGING_VERBS = frozenset({"plan", "schedule", "reschedule", "postpone", "delay", "defer", "adjourn", "extend"})
# Verbs whose infinitive complement lies ahead of them ("planned to leave on Thursday", "talks were set to resume
# Monday"); a plain infinitive elsewhere ("the countries to accede on Friday") says nothing of direction, nor
# does one after a verb that reports it done ("decided to weigh in on Monday", "spent Monday trying to").
_INTENT_VERBS = _ARRANGING_VERBS | frozenset({"set", "expect", "intend", "prepare", "aim", "hope", "vow", "promise",
                                              "agree", "threaten", "want", "due", "wish"})
# An infinitive that names or describes ("the first states to accede on Friday") rather than aims.
_NOUN_INFINITIVES = frozenset({"csubj", "acl", "relcl"})
# Modals that put a clause ahead of the moment reported ("would be traveling Thursday", "might come as soon
# as Tuesday"), unless with "have" ("would have met on Monday").
_FORWARD_MODALS = frozenset({"would", "might", "may", "should"})
# Subordinators after which English tells a future time in the present ("if they lose when the case is heard in
# May", "once the border reopens on Monday").
_PRESENT_FOR_FUTURE = frozenset({"when", "if", "once", "until", "unless", "before", "after"})


def _forward(verb: Token, date_token: Token) -> bool:
    """The clause's verb arranges or intends a time ahead, or a modal puts it ahead. An arranging verb's time
    follows it; a date before it ("On Friday, the government planned to pay") or a participle's ("a service
    planned for Saturday was canceled": the clause it modifies decides) is not the time arranged."""
    if verb.lemma_.lower() in _ARRANGING_VERBS and date_token.i > verb.i and verb.dep_ != "acl":
        return True
    if verb.tag_ == "VB" and verb.dep_ == "xcomp" and any(c.tag_ == "TO" for c in verb.children) \
            and verb.head.lemma_.lower() in _INTENT_VERBS:
        return True
    auxes = {c.lower_ for c in _finite_verb(verb).children if c.dep_ in {"aux", "auxpass"}}
    return bool(auxes & _FORWARD_MODALS) and "have" not in auxes or _present_for_future(verb)


def _present_for_future(verb: Token) -> bool:
    """A present-tense adverbial clause of time or condition ("when the case is heard in May"): a time ahead."""
    if verb.dep_ != "advcl" or not any(c.dep_ in {"mark", "advmod"} and c.lower_ in _PRESENT_FOR_FUTURE
                                       for c in verb.children):
        return False
    finite = [verb, *(c for c in verb.children if c.dep_ in {"aux", "auxpass"})]
    return any(t.tag_ in {"VBZ", "VBP"} for t in finite) and not any(t.tag_ in {"VBD", "MD"} for t in finite)


def clause_direction(doc: Doc, mention: DateMention) -> str | None:
    """Past or future from the tense of the clause a date expression belongs to ("X said Thursday that talks
    will resume": Thursday is past; "the vote will be held on Monday": future); None when the clause has no
    tense (a nominal or infinitival phrase), which leaves the sentence's cue words to decide."""
    token = _date_token(doc, mention)
    if token is None:
        return None
    verb = _clause_verb(token)
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    if _forward(verb, token):
        return "future"
    tense = _tense(_finite_verb(verb))
    if tense in {"present", "progressive", "none"} and verb.tag_ == "VB" and verb.dep_ not in _NOUN_INFINITIVES \
            and any(c.tag_ == "TO" for c in verb.children):
        return "future"  # "prepares to mark the day on Wednesday", "that is to accommodate a January start"
    return {"past": "past", "pluperfect": "past", "perfect": "past", "future": "future"}.get(tense)


def doc_dates(doc: Doc) -> list[DateMention]:
    """Every date expression in the document, in body offsets, found sentence by sentence; a weekday or a
    year-less date lies before or after the reference as the tense of its own clause says."""
    found = []
    for sentence in doc.sents:
        for m in find_dates(sentence.text):
            mention = DateMention(sentence.start_char + m.start, sentence.start_char + m.end, m.text, m.spec)
            if m.spec.direction is not None and not _EXPLICIT_DIRECTION.match(m.text) \
                    and (direction := clause_direction(doc, mention)) is not None and direction != m.spec.direction:
                mention = DateMention(mention.start, mention.end, mention.text, replace(m.spec, direction=direction))
            found.append(mention)
    return found


def _date_token(doc: Doc, mention: DateMention) -> Token | None:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.root if span is not None else None


def _preceding_anchor(doc: Doc, token: Token, anchors: set[int]) -> int | None:
    """The trigger the date directly follows within its phrase ("explosions in Kabul on Oct. 9")."""
    for t in reversed(doc[token.sent.start:token.left_edge.i]):
        if t.i in anchors:
            return t.i
        if t.pos_ in {"VERB", "AUX"} or t.is_punct and t.text in {",", ";", "—", ":"}:
            return None
    return None


def _anchor_for(doc: Doc, token: Token, anchors: list[Token]) -> Token | None:
    """Which anchor (trigger or reporting verb) a date expression belongs to.

    In order: the trigger it directly follows; an anchor of its own clause; the trigger a clause modifies
    ("clashes that erupted last month"); the trigger of the clause a when/as/while clause modifies ("were
    killed when protesters stormed the bank on Wednesday"); an anchor inside its clause. A date in a clause without one
    ("a dialogue that collapsed earlier this week") belongs to no event.
    """
    by_index = {a.i: a for a in anchors}
    if (i := _preceding_anchor(doc, token, set(by_index))) is not None:
        return by_index[i]
    verb = _clause_verb(token)

    def nearest(candidates: list[Token]) -> Token | None:
        return min(candidates, key=lambda a: (tree_distance(token, a), abs(token.i - a.i))) if candidates else None

    if found := nearest([a for a in anchors if _clause_verb(a).i == verb.i]):
        return found
    if verb.dep_ in {"acl", "relcl"} and verb.head.i in by_index:
        return by_index[verb.head.i]
    if verb.dep_ == "advcl" and _clause_verb(verb.head).i in {_clause_verb(a).i for a in anchors} \
            and any(c.dep_ == "advmod" and c.lower_ in _SIMULTANEOUS for c in verb.children):
        # "three people were killed when protesters set fire to a bank on Wednesday": the time of the event
        return nearest([a for a in anchors if _clause_verb(a).i == _clause_verb(verb.head).i])
    inside = {t.i for t in verb.subtree}
    return nearest([a for a in anchors if a.i in inside])


def _attach_dates(doc: Doc, dates: list[DateMention], anchors: list[Token]) -> dict[int, list[DateMention]]:
    """Give each date expression to the anchor it belongs to (see `_anchor_for`)."""
    attached: dict[int, list[DateMention]] = {}
    for mention in dates:
        token = _date_token(doc, mention)
        if token is None or not anchors:
            continue
        if (anchor := _anchor_for(doc, token, anchors)) is not None:
            attached.setdefault(anchor.i, []).append(mention)
    return attached


def _entities_in(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if m.text_field == "body" and start <= m.start and m.end <= end]


def _location(sentence: Span, mentions: list[Mention], head: Token) -> Mention | None:
    """The place in a locative phrase of the trigger or its clause ("clashes in Kabul"), else of the sentence."""
    doc = sentence.doc
    own = {head.i, _clause_verb(head).i}
    fallback = None
    for place in _entities_in(mentions, sentence.start_char, sentence.end_char):
        if place.label not in {"GPE", "LOC", "FAC"}:
            continue
        span = doc.char_span(place.start, place.end, alignment_mode="expand")
        if span is None or span.start == 0 or doc[span.start - 1].lower_ not in _LOCATION_PREPS:
            continue
        if doc[span.start - 1].head.i in own:
            return place
        fallback = fallback or place
    return fallback


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else _NUMBER_WORDS.get(text.lower())


def event_attributes(text: str) -> dict[str, int]:
    """Counts stated with an event (how many days, how many killed), for cross-source comparison."""
    found: dict[str, int] = {}
    for name, pattern in ATTRIBUTE_PATTERNS.items():
        if match := pattern.search(text):
            value = _number(match.group("n") if match.groupdict().get("n") else match.group("n2"))
            if value is not None:
                found[name] = value
    return found


def _report_verbs(sentence: Span) -> list[Token]:
    return [t for t in sentence if t.pos_ == "VERB" and t.lemma_.lower() in _REPORT_VERBS]


def _reported_by(head: Token, verb: Token, reporters: list[Token]) -> Token | None:
    """The reporting verb whose complement clause this verb heads ("reported that it had killed"), or whose
    object the trigger is ("announced the death of")."""
    if verb.dep_ == "ccomp" and verb.head in reporters:
        return verb.head
    if head.dep_ == "dobj" and head.head in reporters:
        return head.head
    return None


# --- extraction ---------------------------------------------------------------------------------------

def _paragraph_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]


def sentence_mentions(sentence: Span, mentions: list[Mention], paragraph_no: int,
                      dates: list[DateMention]) -> list[EventMention]:
    """All trigger mentions of one sentence, each with its status, tense, attached date and actors."""
    doc = sentence.doc
    text = sentence.text
    found: list[tuple[str, re.Match[str], Token]] = []
    for event_type, pattern in TRIGGERS:
        for match in pattern.finditer(text):
            span = doc.char_span(sentence.start_char + match.start(), sentence.start_char + match.end(),
                                 alignment_mode="expand")
            if span is not None:
                found.append((event_type, match, _trigger_head(span)))
    if not found:
        return []
    reporters = _report_verbs(sentence)
    attached = _attach_dates(doc, dates, [head for _, _, head in found] + reporters)
    named = [m for m in _entities_in(mentions, sentence.start_char, sentence.end_char)
             if m.label in {"PERSON", "ORG", "GPE", "NORP"}]
    evidence = text.rstrip()
    result = []
    for event_type, match, head in found:
        location = _location(sentence, mentions, head)
        actors = list(dict.fromkeys(m.local_key for m in named if m is not location))
        verb = _clause_verb(head)
        tense = _tense(_finite_verb(verb))
        lexical = _lexical_modality(text, match.start())
        status = lexical if lexical in {"negated", "hypothetical"} else \
            (_syntactic_status(head, event_type, verb) or "event")
        modality = _modality(status, lexical, tense, head)
        mention = EventMention(
            event_type, match.group(0), sentence.start_char + match.start(), sentence.start_char + match.end(),
            sentence.start_char, sentence.start_char + len(evidence), evidence, paragraph_no, status, modality,
            tense, _is_background(head), bool(_noun_phrase_words(head) & ANAPHORIC_WORDS),
            actor_keys=actors, location_key=location.local_key if location else None,
            attributes=event_attributes(text))
        if own := attached.get(head.i):
            mention.date, mention.date_via = min(own, key=lambda d: abs(d.start - mention.trigger_start)), "own"
        elif tense in PAST_TENSES and (reporter := _reported_by(head, _finite_verb(verb), reporters)) is not None \
                and (via := attached.get(reporter.i)):
            mention.date, mention.date_via = via[0], "report"
        result.append(mention)
    return result


def extract_event_mentions(doc: Doc, mentions: list[Mention], dates: list[DateMention] | None = None
                           ) -> list[EventMention]:
    """Trigger mentions of a whole body, sentence by sentence, plus `statement` events of named speakers."""
    dates = doc_dates(doc) if dates is None else dates
    starts = _paragraph_starts(doc_text(doc))
    dates_by_start = _ByStart(dates)
    body_by_start = _ByStart([m for m in mentions if m.text_field == "body"])
    found: list[EventMention] = []
    for sentence in doc.sents:
        paragraph_no = bisect_right(starts, sentence.start_char) - 1
        in_sentence = dates_by_start.starting_in(sentence.start_char, sentence.end_char)
        # the rules of a sentence only look at the mentions inside it
        inside = [m for m in body_by_start.starting_in(sentence.start_char, sentence.end_char + 1)
                  if m.end <= sentence.end_char]
        found.extend(sentence_mentions(sentence, inside, paragraph_no, in_sentence))
        if (statement := _statement(sentence, inside, paragraph_no, in_sentence)) is not None:
            found.append(statement)
    return found


class _ByStart:
    """Spans (anything with a `start`) looked up by where they start, each answer in the list's own order:
    a long body has thousands of sentences and of mentions, too many to scan all of them per sentence."""

    def __init__(self, items: list) -> None:
        self.items = items
        self.order = sorted(range(len(items)), key=lambda i: items[i].start)
        self.starts = [items[i].start for i in self.order]

    def starting_in(self, lo: int, hi: int) -> list:
        """The items with `lo <= start < hi`."""
        picked = self.order[bisect_left(self.starts, lo):bisect_left(self.starts, hi)]
        return [self.items[i] for i in sorted(picked)]


def _statement(sentence: Span, mentions: list[Mention], paragraph_no: int,
               dates: list[DateMention]) -> EventMention | None:
    """A named person or organisation saying something: a `statement` event dated by its own date words."""
    for token in sentence:
        if token.lemma_.lower() not in lexicon.SPEECH_VERBS or token.pos_ != "VERB":
            continue
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        if not subjects:
            continue
        subject = subjects[0]
        speaker = next((m for m in _entities_in(mentions, sentence.start_char, sentence.end_char)
                        if m.label in {"PERSON", "ORG"} and m.start <= subject.idx < m.end), None)
        if speaker is None:
            continue
        text = sentence.text.rstrip()
        own = [d for d in dates if (t := _date_token(sentence.doc, d)) is not None and tree_distance(t, token) <= 2
               and not _NOT_A_DAY_OF_SPEECH.match(d.text)]
        return EventMention("statement", token.text, token.idx, token.idx + len(token.text), sentence.start_char,
                            sentence.start_char + len(text), text, paragraph_no, tense=_tense(token),
                            date=own[0] if own else None, date_via="own" if own else None,
                            actor_keys=[speaker.local_key])
    return None
