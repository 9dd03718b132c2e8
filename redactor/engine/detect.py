"""Detection stage: the only module that imports Presidio and spaCy."""

from __future__ import annotations

import inspect
import ipaddress
import logging
import re
import string
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import tldextract
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
    predefined_recognizers,
)
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_analyzer.predefined_recognizers import CryptoRecognizer, PhoneRecognizer
from spacy.lang.en.stop_words import STOP_WORDS

from redactor.engine.letters import LOWER, LOWER_LETTERS, UPPER, UPPER_LETTERS, is_capitals_code
from redactor.engine.models import Span
from redactor.engine.recognizers import (
    COMPANY_FORMS,
    STREET_WORD,
    country_names,
    is_common_word,
    is_english_word,
    is_public_suffix,
    is_word_in_use,
    our_recognizers,
    proper_nouns,
)
from redactor.errors import InvalidOptionError, MissingDependencyError

NLP_LANGUAGE = "en"
DENY_LIST_ENTITY = "DENY_LIST"
# Regions whose national phone formats are recognised without a +country prefix.
PHONE_REGIONS = (
    "US",
    "GB",
    "CA",
    "AU",
    "IE",
    "NZ",
    "IN",
    "DE",
    "FR",
    "ES",
    "IT",
    "NL",
    "BE",
    "CH",
    "AT",
    "SE",
    "NO",
    "DK",
    "FI",
    "PL",
    "PT",
    "BR",
    "MX",
    "IL",
    "ZA",
)
# spaCy labels mapped to Presidio entity names; labels not listed are ignored.
NER_MAPPING = {
    "PERSON": "PERSON",
    "NORP": "NRP",
    "FAC": "LOCATION",
    "LOC": "LOCATION",
    "GPE": "LOCATION",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
}
NER_IGNORED = [
    "ORG",
    "CARDINAL",
    "EVENT",
    "LANGUAGE",
    "LAW",
    "MONEY",
    "ORDINAL",
    "PERCENT",
    "PRODUCT",
    "QUANTITY",
    "WORK_OF_ART",
]


@dataclass(frozen=True)
class Analyzer:
    """Presidio's engine, built once: every type it can report, and those looked for by default."""

    engine: AnalyzerEngine
    entity_types: tuple[str, ...]
    default_entities: tuple[str, ...]


def _use_offline_suffix_list() -> None:
    """Make tldextract (Presidio's e-mail check) use its bundled suffix list instead of fetching one."""
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def build_analyzer(spacy_model: str) -> Analyzer:
    """Build the analyzer from an explicit NLP configuration: the named spaCy model, our recognizers."""
    _use_offline_suffix_list()
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    configuration = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": NLP_LANGUAGE, "model_name": spacy_model}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": NER_MAPPING,
            "labels_to_ignore": NER_IGNORED,
            "low_confidence_score_multiplier": 0.4,
            "low_score_entity_names": [],
        },
    }
    try:
        nlp_engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
    except (OSError, ValueError) as e:
        raise MissingDependencyError(f"spaCy model {spacy_model!r} is not installed; run scripts/install.sh.") from e
    registry = RecognizerRegistry(supported_languages=[NLP_LANGUAGE])
    registry.load_predefined_recognizers(languages=[NLP_LANGUAGE], nlp_engine=nlp_engine)
    registry.remove_recognizer("PhoneRecognizer")
    registry.add_recognizer(PhoneRecognizer(supported_regions=list(PHONE_REGIONS), supported_language=NLP_LANGUAGE))
    for recognizer in our_recognizers(NLP_LANGUAGE):
        registry.add_recognizer(recognizer)
    defaults = set(registry.get_supported_entities([NLP_LANGUAGE])) - {"ORGANIZATION"}
    for recognizer in _country_recognizers(defaults):
        registry.add_recognizer(recognizer)
    engine = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[NLP_LANGUAGE])
    types = sorted(set(engine.get_supported_entities(NLP_LANGUAGE)) - {"ORGANIZATION"})
    return Analyzer(engine=engine, entity_types=tuple(types), default_entities=tuple(sorted(defaults)))


def _country_recognizers(loaded: set[str]) -> list[PatternRecognizer]:
    """Presidio's pattern recognizers that its default configuration leaves out for English.

    They are available on request (``entities``); the default set stays the one above, so
    another country's number formats do not paint over an English document's numbers.
    """
    recognizers = []
    classes: list[type[Any]] = [cls for _, cls in inspect.getmembers(predefined_recognizers, inspect.isclass)]
    for cls in classes:
        if not issubclass(cls, PatternRecognizer) or cls is PatternRecognizer:
            continue
        factory: Any = cls  # each subclass fixes its own entity; only the language is ours to pass
        try:
            recognizer = factory(supported_language=NLP_LANGUAGE)
        except TypeError:
            continue
        if not set(recognizer.supported_entities) <= loaded:
            recognizers.append(recognizer)
    return recognizers


def check_entities(analyzer: Analyzer, entities: tuple[str, ...] | None) -> None:
    """Refuse entity names the analyzer does not know, listing the known ones."""
    unknown = sorted(set(entities or ()) - set(analyzer.entity_types))
    if unknown:
        raise InvalidOptionError(
            f"Unknown entity type {', '.join(unknown)}; supported: {', '.join(analyzer.entity_types)}."
        )


def detect_entities(
    analyzer: Analyzer,
    text: str,
    *,
    entities: tuple[str, ...] | None,
    score_threshold: float,
    allow_list: tuple[str, ...] = (),
    deny_list: tuple[str, ...] = (),
    found_elsewhere: list[Span] | None = None,
) -> list[Span]:
    """Entities in ``text`` at or above the threshold, with spans inside a larger one dropped.

    ``found_elsewhere`` (form-field values found from the layout) goes through the same entity,
    threshold and allow-list filters; a name it holds is propagated like the others ("Name: Lorena
    Marques" then "Lorena" in the text), but it takes no part in address blocks (only a wallet,
    URL or number it holds is completed like the others).
    """
    if not text.strip():
        return []
    wanted = list(entities) if entities else list(analyzer.default_entities)
    ad_hoc: list[EntityRecognizer] = []
    if deny_list:
        ad_hoc.append(PatternRecognizer(supported_entity=DENY_LIST_ENTITY, deny_list=list(deny_list), name="DenyList"))
        wanted.append(DENY_LIST_ENTITY)
    results: list[RecognizerResult] = analyzer.engine.analyze(
        text=read_as_prose(text),
        language=NLP_LANGUAGE,
        entities=wanted,
        score_threshold=score_threshold,
        allow_list=list(allow_list) or None,
        ad_hoc_recognizers=ad_hoc or None,
    )
    spans = [Span(r.entity_type, r.start, r.end, round(float(r.score), 4), _recognizer(r)) for r in results]
    spans = [s for s in spans if not _AMOUNTS_ONLY.fullmatch(text[s.start : s.end])]
    spans = [trimmed for s in spans if (trimmed := trim_person(text, s)) is not None]
    spans = [trim_place(text, trim_date(text, age_from_date(text, s))) for s in spans]
    spans = [s for s in spans if not is_vague_time(text, s) and not is_short_phone(text, s) and not is_dosed(text, s)]
    spans = [s for s in spans if not is_lab_value(text, s)]
    spans = [s for s in spans if not is_letter_mark(text, s)]
    spans += message_senders(text) + member_lists(text) + conversation_lists(text) + addressed_names(text)
    spans += mailbox_names(text)
    spans += tilde_names(text) + presence_names(text) + avatar_names(text) + speaker_names(text)
    spans += particle_name_lines(text) + addressed_in_chat(text)
    spans += datelines(text) + licence_numbers(text)
    fields = [s for s in found_elsewhere or () if s.score >= score_threshold and not _is_labels_only(text, s)]
    spans += propagate_names(text, spans + fields) + lone_names(text, spans)
    spans += absorb_address_fragments(text, spans)
    towns = capital_towns(text, spans)  # beside a grown location: "SODERBARK," over "770 20, Sweden"
    spans += towns + absorb_address_fragments(text, towns)
    spans += numbered_places(text, spans)
    spans += address_blocks(text, spans)
    spans += name_particles(text, spans) + particles_after(text, spans) + place_particles(text, spans)
    spans += join_name_parts(text, spans)
    neighbours = name_neighbours(text, spans)
    spans += neighbours + numbered_places(text, neighbours)  # "Borka G Molnar\nKamperhoug" then " 5"
    spans += join_place_parts(text, spans)  # "Acceso" then "de" then "Edmundo Ros 554", numbered just now
    spans += street_heads(text, spans)
    spans += whole_name_words(text, spans) + surnames_first(text, spans) + name_lines(text, spans)
    spans += initialled_names(text, spans) + initials_after(text, spans) + surnames_after_initials(text, spans)
    spans += listed_names(text, spans)
    spans += bracketed_ages(text, spans)
    spans += dates_across_lines(text, spans)
    spans += fields
    spans += complete_tokens(text, spans)
    spans += split_ethereum(text) + split_bitcoin(text) + split_ibans(text) + split_ipv6(text) + split_cards(text)
    wanted_set = set(wanted)
    kept = [s for s in spans if s.entity_type in wanted_set and s.score >= score_threshold]  # the rules' spans too
    return drop_contained_spans(drop_allowed(text, kept, allow_list))


def _is_labels_only(text: str, span: Span) -> bool:
    """Whether a form's person value is document words only: "Patient Registration", "Patient Gender"."""
    words = [w.strip(".,;:()") for w in text[span.start : span.end].split()]
    return span.entity_type == "PERSON" and all(_is_no_name(w) for w in words if w)


def _recognizer(result: RecognizerResult) -> str:
    metadata = result.recognition_metadata or {}
    return str(metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY, ""))


def read_as_prose(text: str) -> str:
    """``text`` with OCR's commonest misreading undone for the language model, offsets unchanged.

    Tesseract often reads the pronoun "I" as a bar: "the Devil | would like to remove my kid Cecilie"
    is no sentence to the tagger, and the name after it goes unseen.
    """
    return _LONE_BAR.sub("I", text)


_LONE_BAR = re.compile(r"(?<!\S)\|(?!\S)")
# Table cells of an invoice: money amounts with quantities between them (apart: "124.113.223.84" is an address).
_AMOUNTS_ONLY = re.compile(
    r"[\s$€£]*(?:\d{1,3}(?:,\d{3})*\.\d{2}[\s$€£]+|\d{1,3}\s+)*\d{1,3}(?:,\d{3})*\.\d{2}[\s$€£]*"
)
_WORD = re.compile(UPPER + r"[" + LOWER_LETTERS + r"'’\-]+")
_CAMEL_PART = re.compile(UPPER + LOWER + "+")
_EMAIL = re.compile(r"\b([\w.+\-]+)@[\w\-]+(?:\.[\w\-]+)+")
# Capitalised words that are never taken as names even when a model calls them one.
_NOT_NAMES = frozenset(
    "The This That These Those Dear Hello Regards Sincerely Thanks Yours From To Date Subject Email Mail "
    "Phone Passport Name Address Account Card Number Credit Bank Street Road Avenue Suite Apt City State "
    "Mr Mrs Ms Dr Miss Prof Sir Madam Hi Bot User Comments Please Employer Invoice Bill Ship Total Due "
    "Customer Patient Qty Ref Dept Tel Fax Amt Acct Iss Exp "
    # form and table labels that the model reads as names ("Age Gender", "Benjamin Jorgensen\nSalary")
    "Age Gender Sex Relationship Salary Department Position Job Title Registration Remarks Insurance Ordering "
    "Provider Description Hire Birth Daytime Payroll Employee Notes Status Signature Chart Details Cheers Nationality "
    "DOB SSN MRN NHS ID Sister Brother Mother Father Spouse Wife Husband Son Daughter Partner Producer "
    # a form's title under its label ("Personal Information Form")
    "Information Form Record Report Summary Section Profile Application ".split()
)
PROPAGATED_SCORE = 0.5
_CAPITALS_WORD = re.compile(r"(?<![\w@.])" + UPPER + r"{3,}(?![\w@])")
_ADDRESS_TOKEN = re.compile(r"\S*[@/]\S*|\S+\.(?:com|org|net|[a-z]{2})\b\S*")


def propagate_names(text: str, spans: list[Span]) -> list[Span]:
    """Every other occurrence of a name found once, or of a name spelled in an e-mail address.

    A name part counts when it is capitalised, three letters or more, never written in lower case
    on the page (e-mail and web addresses aside), and not a common document word. It is found in
    capitals too ("TRETIAKOV" once "Tretiakov" is known).
    """
    # "celine.ellis@hotmail.com" and "@erik" write no word in lower case
    prose = _ADDRESS_TOKEN.sub(" ", _MENTION.sub(" ", text))
    lowered = {w.lower() for w in re.findall(r"\b" + LOWER + r"[\w'’\-]*", prose)}
    names: set[str] = set()
    for span in spans:
        if span.entity_type == "PERSON":
            names.update(_WORD.findall(text[span.start : span.end]))
    capitalised = set(_WORD.findall(text))
    capitals = set(_CAPITALS_WORD.findall(text))  # "TRETIAKOV, Luke" writes a surname in capitals
    accented: dict[str, set[str]] = {}  # "CikaHrvat@..." spells "Čika"
    for word in capitalised:
        accented.setdefault(_unaccented(word), set()).add(word)
    for match in _EMAIL.finditer(text):
        parts = _mailbox_names_on_page(match.group(1), accented, capitals)
        names.update(parts, *(accented.get(p, ()) for p in parts))
    names = {n for n in names if len(n) >= 3 and not _is_no_name(n) and n.lower() not in lowered}
    if not names:
        return []
    names |= {w for w in capitalised if _is_clipped(w, names) and not _is_no_name(w) and w.lower() not in lowered}
    names |= {n.upper() for n in names if n.upper() in capitals}
    pattern = re.compile(
        r"(?<![\w@.])(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?![\w@])"
    )
    found = [Span("PERSON", m.start(), m.end(), PROPAGATED_SCORE, "propagate_names") for m in pattern.finditer(text)]
    return found + _run_together_names(text, names) + _mentions(text, names)


_MAILBOX_SEPARATORS = re.compile(r"[._\-+\d]+")
# A person's mailbox: two parts, "margit.lengyel", "j_smith77".
_PERSONAL_MAILBOX = re.compile(r"[a-z]+[._\-][a-z]+\d*")
# What a shared mailbox is named after ("customer.care@", "sales.north@"), never a person.
_MAILBOX_ROLES = frozenset(
    "info sales support admin contact office hello team billing accounts account jobs careers press media news help "
    "service services orders order marketing reply noreply mail webmaster enquiries inquiries customer customers care "
    "finance legal privacy security north south east west desk staff booking bookings reception hr it".split()
)


def _mailbox_names_on_page(local: str, accented: dict[str, set[str]], capitals: set[str]) -> list[str]:
    """Parts of a mailbox the page writes capitalised: "Maria" of "MariaGonzalez@", "salma" of "salma.hamoudi@".

    Capitalised parts count when they make up most of the mailbox ("Jo7734591@" is no name). A
    small-letter part that is a dictionary word ("rose") counts only in a person's two-part mailbox
    or when the page's words make up most of the mailbox; a shared mailbox's role ("sales", "care")
    never does.
    """

    def on_page(part: str) -> bool:
        return part in accented or part.upper() in capitals

    capitalised = [p for p in _CAMEL_PART.findall(local) if on_page(p)]
    if sum(map(len, capitalised)) < 0.5 * len(local):
        capitalised = []
    small = [
        part.capitalize()
        for part in _MAILBOX_SEPARATORS.split(local)
        if len(part) >= _SHORTEST_CLIPPED and part.islower() and part not in _MAILBOX_ROLES
    ]
    small = [p for p in small if on_page(p) and not _is_no_name(p)]
    trusted = _PERSONAL_MAILBOX.fullmatch(local) is not None or sum(map(len, small)) >= 0.5 * len(local)
    return capitalised + [p for p in small if trusted or not is_common_word(p)]


def _unaccented(word: str) -> str:
    """The word without its accents, as an e-mail address spells it: "Čika" -> "Cika"."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


_SHORTEST_CLIPPED = 3


def _is_clipped(word: str, names: set[str]) -> bool:
    """Whether ``word`` is a name cut short, as friends write it: "Nar" for "Narimane", "Alex" for "Alexandra"."""
    return len(word) >= _SHORTEST_CLIPPED and any(n.startswith(word) and len(n) >= len(word) + 2 for n in names)


# A chat's mention of someone, "@erik" (OCR may read a space after the "@"), not part of an e-mail address.
_MENTION = re.compile(r"(?<![\w.\-])@ ?(" + LOWER + r"+|" + UPPER + LOWER + r"+)\b(?![@.]\w)")


def _mentions(text: str, names: set[str]) -> list[Span]:
    """Mentions of a known name in any case: "@erik" or "@ Erik" once "Erik" is found."""
    lowered = {name.lower() for name in names}
    return [
        Span("PERSON", match.start(), match.end(), PROPAGATED_SCORE, "propagate_names")
        for match in _MENTION.finditer(text)
        if match.group(1).lower() in lowered
    ]


_RUN_TOGETHER = re.compile(r"(?<![\w@.])((?:" + UPPER + LOWER + r"+|" + UPPER + r")+)(?:_|(\.))?(?![\w@.])")


def _run_together_names(text: str, names: set[str]) -> list[Span]:
    """Words OCR ran together from a name and its initial or another name: "AnnaR", "NailL.", "AnnaShah_".

    Every part must be a known name part or an initial, one of them a name, and at most one an
    initial: "JohnDeere" is no name when only "John" is known. Opening a line, two initials may lead:
    an avatar's, run into the sender's name ("AGAlik").
    """
    found = []
    for match in _RUN_TOGETHER.finditer(text):
        parts = re.findall(UPPER + LOWER + "*", match.group(1))
        initials = sum(len(part) == 1 for part in parts)
        avatar = (
            initials == 2 and len(parts[0]) == len(parts[1]) == 1 and text[match.start() - 1 : match.start()] in "\n"
        )
        if (
            len(parts) >= 2
            and len(parts) > initials
            and (initials <= 1 or avatar)
            and all(part in names or len(part) == 1 for part in parts)
        ):
            end = match.end(1) if match.group(2) and len(parts[-1]) > 1 else match.end()  # an initial's full stop
            found.append(Span("PERSON", match.start(), end, PROPAGATED_SCORE, "propagate_names"))
    return found


# A line holding one word, perhaps after what OCR makes of an avatar ("3) Can", "@ Edi").
_LONE_WORD_LINE = re.compile(r"^(?:[^\w\s]{1,3} |\w?[^\w\s]{1,2} )?(" + UPPER + LOWER + r"{2,})[ \t]*$", re.MULTILINE)


def lone_names(text: str, spans: list[Span]) -> list[Span]:
    """A found name alone on a line is that person again, even when the word is also a common one.

    A group chat heads each message with its sender's name: "Can" found before "5:45 PM" is
    the "Can" alone over "I'll check and get back to you", though "can" is written on the page.
    """
    names = {
        word
        for span in spans
        if span.entity_type == "PERSON"
        for word in _WORD.findall(text[span.start : span.end])
        if not _is_no_name(word)
    }
    return [
        Span("PERSON", match.start(1), match.end(1), PROPAGATED_SCORE, "lone_names")
        for match in _LONE_WORD_LINE.finditer(text)
        if match.group(1) in names
    ]


# The time a message was sent, closing its line (a read receipt's marks may follow): "6:45 PM", "17:58".
_SENT_AT = r"\d{1,2}[:.]\d{2}(?:[ \t]?[AaPp][Mm])?\b.{0,3}$"
# A chat message's line: what it says, then the time it was sent ("lol Else you legend 6:45 PM", "ok 17:58").
_TIMED_MESSAGE = re.compile(r"^(.*\S)[ \t]+" + _SENT_AT, re.MULTILINE)
_CHAT_PAGE_MESSAGES = 3
_TIME_BELOW = re.compile(r"\n[^\w\n]{0,3}" + _SENT_AT, re.MULTILINE)  # a bubble's time under its text
_MESSAGE_NAMES = 2  # capitalised words a message in small letters may hold: "Tomas and Coral are here"
_MESSAGE_WORD = re.compile(r"[^\s]+")
_CAPITALISED = re.compile(UPPER + LOWER + r"{2,}")
_PRONOUN_I = re.compile(r"I(?:['’][a-z]{1,2})?")
_HAS_LETTER = re.compile(r"[^\W\d_]")  # a word, not a mark OCR read from an icon ("| Search or start new chat")
# Words that open a message without naming anyone: "Ok, see you", "Thanks, that helps".
_INTERJECTIONS = frozenset(
    "Ok Okay Yes Yeah Yep Yup Nope Hey Hi Hello Thanks Thank Sure Sorry Lol Omg Haha Cool Great Nice Wow Well "
    "So Also Btw Right Fine Perfect Awesome Oh Ah Ugh Hmm Please Cheers Morning Night Congrats Agreed Done".split()
)


def addressed_in_chat(text: str) -> list[Span]:
    """The capitalised words of a chat message written in small letters: the people it names.

    On a page of three or more messages that end with the time they were sent, a message (a line
    that ends with its time, over a line that is its time, or under its sender's name and time)
    whose other words are in small letters (two or more; "I" aside) names people with capitals:
    "lol Else you legend", "tell Cor to call me", "Tomas and Coral are here", "Kat, send me the
    link". A word opening the message or a sentence in it counts only before a comma and when it is
    no interjection ("Ok, see you"); document words and days name no one, nor do months before a
    number.
    """
    lines = _line_ranges(text)
    times = [_TIMED_MESSAGE.match(text, start, end) for start, end in lines]
    if sum(timed is not None for timed in times) < _CHAT_PAGE_MESSAGES:
        return []
    found = []
    for index, (start, end) in enumerate(lines):
        timed = times[index]
        if not (timed or _TIME_BELOW.match(text, end) or (index and times[index - 1])):
            continue
        words = list(_MESSAGE_WORD.finditer(text, start, timed.end(1) if timed else end))
        bare = [w.group().strip(",.!?;:") for w in words]
        capitalised = [i for i, word in enumerate(bare) if _CAPITALISED.fullmatch(word)]
        others = [w for i, w in enumerate(bare) if i not in capitalised]
        if not 1 <= len(capitalised) <= _MESSAGE_NAMES or sum(w[:1].islower() for w in others) < 2:
            continue
        if any(w[:1].isupper() and not _PRONOUN_I.fullmatch(w) for w in others):
            continue
        for at in capitalised:
            word = bare[at]
            opens = not any(map(_HAS_LETTER.search, bare[:at])) or words[at - 1].group().endswith((".", "!", "?"))
            dated = at + 1 < len(bare) and bare[at + 1][:1].isdigit()
            if (
                (_is_no_name(word) and not (_MONTH.fullmatch(word) and not dated))  # "Mar, haha yes", not "Mar 10"
                or word in _NOT_SENDERS
                or (opens and (not words[at].group().endswith(",") or word in _INTERJECTIONS))
            ):
                continue
            name_start = words[at].start()
            found.append(Span("PERSON", name_start, name_start + len(word), PROPAGATED_SCORE, "addressed_in_chat"))
    return found


# A line that is a name with Dutch, German or Arabic particles, perhaps a time after it: "Quinn van Beers",
# "Aziz bin Talal 11:54 AM" (a mark OCR read from an avatar may open it). Romance particles ("de", "la") are
# left out: "Rio de Janeiro", "Puerto de la Cruz" are places.
_PARTICLE_NAME_LINE = re.compile(
    r"^(?:[^\w\s]{1,3} )?("
    + UPPER
    + LOWER
    + r"+(?: [A-Z]\.?)? (?:van|von|ter|ten|bin|binti|ibn)(?: der| den)? "
    + UPPER
    + LOWER
    + r"+)(?=[ \t]*$|[ \t]+\d)",
    re.MULTILINE,
)


def particle_name_lines(text: str) -> list[Span]:
    """A line holding a name with particles and nothing else ("Quinn van Beers"), its given name no common word."""
    return [
        Span("PERSON", match.start(1), match.end(1), PROPAGATED_SCORE, "particle_name_lines")
        for match in _PARTICLE_NAME_LINE.finditer(text)
        if _may_be_name(match.group(1).split()[0])
    ]


_BRACKETED_AGE = re.compile(r"\s?\((\d{1,3})\)")


def bracketed_ages(text: str, spans: list[Span]) -> list[Span]:
    """A number in brackets right after a name is the person's age: "Calfucir Berrios (79) was appointed"."""
    return [
        Span("AGE", match.start(1), match.end(1), span.score, "bracketed_ages")
        for span in spans
        if span.entity_type == "PERSON" and (match := _BRACKETED_AGE.match(text, span.end))
    ]


_YEARS_OLD = re.compile(r"(?:.*?\s)?(\d{1,3})[ \-]+(?:years?|yrs?)[ \-]+old", re.IGNORECASE)


def age_from_date(text: str, span: Span) -> Span:
    """SpaCy reads "83 year old" as a date; the age is the number alone."""
    match = _YEARS_OLD.fullmatch(text[span.start : span.end]) if span.entity_type == "DATE_TIME" else None
    if match is None:
        return span
    return replace(span, entity_type="AGE", start=span.start + match.start(1), end=span.start + match.end(1))


_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_OR_DAY = re.compile(
    r"\b(?:" + _MONTHS + r"|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?)s?\b", re.IGNORECASE
)
# Decimals and decades are no dates: "4.0-5.6", "208.71 626.13", "the 60s".
_NUMBERS_ONLY = re.compile(r"(?:the )?\d0s|\d+\.\d+(?:[\s\-–]+\d+\.\d+)*")
_DURATION = re.compile(
    r"(?:(?:a|an|the|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|a couple of|\d{1,3}\+?)[ \-])+"
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|months?|years?|decades?)",
    re.IGNORECASE,
)


def is_vague_time(text: str, span: Span) -> bool:
    """A time phrase that dates nothing: "the coming year", "weekdays", "30 days", "a couple of months".

    A date that can tell about a person has a digit, a month or a day of the week; a duration
    ("forty-eight hours", "two weeks") has none of them, or only its count.
    """
    if span.entity_type != "DATE_TIME":
        return False
    value = text[span.start : span.end]
    if _DURATION.fullmatch(value.replace("\n", " ")) or _NUMBERS_ONLY.fullmatch(value):
        return True
    return not re.search(r"\d", value) and not _MONTH_OR_DAY.search(value)


_MEDICINE_ENDING = re.compile(
    r"(?:semide|formin|pril|olol|statin|sartan|prazole|oxacin|cillin|mycin|dipine|parin|xaban|gliptin|oxetine"
    r"|triptan|tidine|profen|lukast|thyroxine|butamol|cetamol|zepam)$",
    re.IGNORECASE,
)
_DOSE_AFTER = re.compile(r"[ \t]+\d+(?:[.,]\d+)?[ \t]?(?:mg|mcg|µg|g|ml|mL|IU|units?|%)\b")


def is_dosed(text: str, span: Span) -> bool:
    """A one-word "name" followed by a dose, or with a medicine's ending, is a medicine.

    "Paracetamol 500 mg", "Salbutamol 100 mcg"; and alone in a table's column, "Furosemide",
    "Metformin", "Omeprazole": international medicine names end in a few stems.
    """
    value = text[span.start : span.end].strip()
    if span.entity_type != "PERSON" or " " in value:
        return False
    return bool(_DOSE_AFTER.match(text, span.end) or _MEDICINE_ENDING.search(value))


_LETTER_MARKS = frozenset({"P.S.", "PS", "p.a.", "MD"})
_POSTCODE_AFTER = re.compile(r"[ \t]+\d{4,5}\b")


def is_letter_mark(text: str, span: Span) -> bool:
    """A mark the model reads as a place: a postscript ("P.S."), "per annum", a doctor's degree.

    "Philip Shaw, MD on Nov 14" is a doctor; "Robinsonton, MD 97287", with its postcode, a state.
    """
    value = text[span.start : span.end]
    return span.entity_type == "LOCATION" and value in _LETTER_MARKS and not _POSTCODE_AFTER.match(text, span.end)


_RANGE = re.compile(r"\d+(?:\.\d+)?\s*[-–]\s*\d+(?:\.\d+)?")


def is_short_phone(text: str, span: Span) -> bool:
    """Two short numbers around a dash are a range, not a phone number: "135 - 145", "0.40 - 4.00".

    A short number in groups ("33 93 31") is kept: some countries dial six digits.
    """
    value = text[span.start : span.end]
    return span.entity_type == "PHONE_NUMBER" and sum(c.isdigit() for c in value) < 7 and bool(_RANGE.fullmatch(value))


# A laboratory unit: a line that holds one is a test's result and its reference range ("Platelets 414 10^9/L
# 150 - 400"), whose numbers a phone pattern may join.
_SHORT_GROUPS = re.compile(r"\d{1,3}(?:[ \t]+\d{1,3})+")
_LAB_UNIT = re.compile(r"(?<![\w/])(?:[mµunp]?mol|[mµunp]?g|[mµ]?IU|U|mL|10\^\d+|x10\^?\d*)/(?:L|dL|mL|min|uL|µL)\b")


def is_lab_value(text: str, span: Span) -> bool:
    """A result, its unit and its range, that the model took for a date or a pattern for a phone number.

    A "phone number" or a long "ID number" of short groups on a line with a laboratory unit is a result
    and its range ("414 150 400"); a "date" that holds the unit is one too ("414 10^9/L 150 400").
    """
    value = text[span.start : span.end]
    if span.entity_type == "DATE_TIME":
        return _LAB_UNIT.search(value) is not None
    if span.entity_type not in ("PHONE_NUMBER", "ID_NUMBER") or not _SHORT_GROUPS.fullmatch(value):
        return False
    line_start, line_end = text.rfind("\n", 0, span.start) + 1, text.find("\n", span.end)
    return _LAB_UNIT.search(text, line_start, line_end if line_end >= 0 else len(text)) is not None


_SENTENCE_BREAK = re.compile(LOWER + r"{3}(\.) (" + UPPER + LOWER + r"+)\b")


def trim_place(text: str, span: Span) -> Span:
    """A location cut where a sentence ends inside it: "Drumul Mazilescu. The", not "Calle Gral. Paz 12"."""
    if span.entity_type != "LOCATION":
        return span
    for match in _SENTENCE_BREAK.finditer(text, span.start, span.end):
        if is_english_word(match.group(2)):
            return replace(span, end=match.start(1))
    return span


_DATE_LEAD = re.compile(r"(?:(?:the|last|next|this|every|on|by|until|since|before|after)\s+)+")


def trim_date(text: str, span: Span) -> Span:
    """A date without the small words before it: "the last Sunday" is dated by "Sunday"."""
    lead = _DATE_LEAD.match(text, span.start, span.end) if span.entity_type == "DATE_TIME" else None
    return replace(span, start=lead.end()) if lead and lead.end() < span.end else span


_MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_MONTH_AND_YEAR = re.compile(_MONTH_NAME + r",? \d{4}\b", re.IGNORECASE)
_ENDS_WITH_MONTH_DAY = re.compile(r"(?:^|\s)" + _MONTH_NAME + r"(?: \d{1,2}(?:st|nd|rd|th)?)?\Z", re.IGNORECASE)
_DAY_CLOSING_LINE = re.compile(r"(?<![\w.,/:])(?<!of )\d{1,2}(?:st|nd|rd|th)?\n\Z")  # not "Page 3 of 20"
_YEAR_OPENING_LINE = re.compile(r",?\n\d{4}(?![\w/.\-:])")


def dates_across_lines(text: str, spans: list[Span]) -> list[Span]:
    """A date a line break cut: its day closing the line before, or its year opening the next.

    "sold on 20" then "Dec 2017"; "January 24," then "2017".
    """
    found = []
    for span in spans:
        if span.entity_type not in ("DATE_TIME", "DATE_OF_BIRTH"):
            continue
        value = text[span.start : span.end]
        start, end = span.start, span.end
        if _MONTH_AND_YEAR.match(value) and (day := _DAY_CLOSING_LINE.search(text, 0, start)):
            start = day.start()
        if _ENDS_WITH_MONTH_DAY.search(value) and (year := _YEAR_OPENING_LINE.match(text, end)):
            end = year.end()
        if (start, end) != (span.start, span.end):
            found.append(Span(span.entity_type, start, end, span.score, "dates_across_lines"))
    return found


def trim_person(text: str, span: Span) -> Span | None:
    """Drop greeting, title and label words ("Dear", "Date", "Email") and an avatar's initials from a name's edges.

    A name alone on its line runs on to the next only with a word that may be a name: over "Marcus Grant"
    and "Tenant Relations" it ends at "Grant"; in running text a line may break a name anywhere, but
    never runs on to a line with a number.
    """
    if span.entity_type != "PERSON":
        return span
    start, end = span.start, span.end
    if label := _ADDRESS_LABEL.match(text, start, end):  # "Bill to", but "Bill Gates" is a name
        start = label.end()
    for match in re.finditer(r"[^\s]+", text[start:end]):
        if match.group(0).strip(".,:;") not in _LEADING_LABELS:
            break
        start = span.start + match.end()
    if (avatar := _AVATAR_INITIALS.match(text, start, end)) and _is_avatar_of(
        avatar.group(1), text[avatar.end() : end]
    ):
        start = avatar.end()
    while start < end:
        last = re.search(r"[^\s]+$", text[start:end])
        if last is None or last.group(0).strip(".,:;") not in _NOT_NAMES:
            break
        end = start + last.start()
    if (number := _DIGITS.search(text, start, end)) and (broken := text.rfind("\n", start, number.start())) > start:
        end = broken  # no name holds digits: "Marie" over "Telephone +915254689684" ends at "Marie"
    wrapped = text.rfind("\n", start, end)
    opens_line = not text[text.rfind("\n", 0, start) + 1 : start].strip()
    if wrapped > start and opens_line and not any(map(_may_be_name, text[wrapped:end].split())):
        end = wrapped  # the line under a name alone on its line is a title: "Marcus Grant\nTenant Relations"
    start += len(text[start:end]) - len(text[start:end].lstrip())
    end -= len(text[start:end]) - len(text[start:end].rstrip())
    return replace(span, start=start, end=end) if end > start else None


def _is_avatar_of(letters: str, name: str) -> bool:
    """Whether two capitals are a chat avatar's initials of the name after them: "PB" of "Pryor O Benoit" or "Pryor".

    A name cut to its first word ("PB Pryor", the model's span) shows only the first initial.
    """
    words = name.split()
    return bool(words) and letters[0] == words[0][0] and (len(words) == 1 or letters[1] == words[-1][0])


_AVATAR_INITIALS = re.compile(r"([A-Z]{2}) ")
_DIGITS = re.compile(r"\d")
# Words trimmed off the start of a name: "Bill" is one only in "Bill to", which is trimmed first.
_LEADING_LABELS = _NOT_NAMES - {"Bill"}
_ADDRESS_LABEL = re.compile(r"(?:Bill|Ship|Sold|Deliver)\w* to\b:?", re.IGNORECASE)
# Small words inside a person's name: "Sietske van der Wardt", "June Ó Duibhínn", "Hauwa bin Yusuf".
_NAME_PARTICLE = (
    r"(?:(?:Mac|Nic|Mhic) an|van|von|de|der|den|da|di|del|della|du|dos|das|le|la|ter|ten|bin|binti|ibn|al|el|O|Ó|Ní"
    r"|Nic|Mac|Mc)"
)
# A middle initial; OCR reads "I." as "|.", and "Š" as "§".
_MIDDLE_INITIAL = r"(?:[A-Z]\.?|\|\.|§)"
# Between two parts of one name: particles, or a middle initial, perhaps opening a line.
_NAME_GAP = re.compile(r"[ \n](?:" + _MIDDLE_INITIAL + r"|" + _NAME_PARTICLE + r"(?: " + _NAME_PARTICLE + r")?) ")


def join_name_parts(text: str, spans: list[Span]) -> list[Span]:
    """One span for "Madison N Gallagher", "Sietske van der Wardt" or "Jean-Claude" when its parts were found apart."""
    people = sorted((s for s in spans if s.entity_type == "PERSON"), key=lambda s: s.start)
    joined = []
    for left, right in zip(people, people[1:], strict=False):
        gap = text[left.end : right.start]
        if right.start > left.end and (gap in (" ", "-") or _NAME_GAP.fullmatch(gap)):
            joined.append(Span("PERSON", left.start, right.end, min(left.score, right.score), "join_name_parts"))
    return joined


_PARTICLES_BEFORE = re.compile(r"(?<![\w@.\-])" + _NAME_PARTICLE + r"(?: " + _NAME_PARTICLE + r")? \Z")


def name_particles(text: str, spans: list[Span]) -> list[Span]:
    """A name grown over the particles that open it: "Mrs. O Coighin", "Gerrit van der Wardt" when "Wardt" is found.

    An initial OCR read as a bar opens a name too: "|. Jessen" (for "I. Jessen").
    """
    found = []
    for span in spans:
        if span.entity_type != "PERSON":
            continue
        before = _PARTICLES_BEFORE.search(text, max(0, span.start - 12), span.start) or _BAR_INITIAL.search(
            text, max(0, span.start - 3), span.start
        )
        if before:
            found.append(Span("PERSON", before.start(), span.end, span.score, "name_particles"))
    return found


# A capitalised article or particle that opens a street's name: "De Bongerd 68", "La Rambla 12".
_PLACE_PARTICLE_BEFORE = re.compile(r"(?<![\w@.\-])(?:De|Den|Het|La|Le|Les|El|Los|Las|Il|Lo|Di|Da|Do|Du) \Z")


def place_particles(text: str, spans: list[Span]) -> list[Span]:
    """A street with its number grown over the particle that opens its name: "De Bongerd 68" of "Bongerd 68"."""
    found = []
    for span in spans:
        if span.entity_type != "LOCATION" or not any(c.isdigit() for c in text[span.start : span.end]):
            continue
        if before := _PLACE_PARTICLE_BEFORE.search(text, max(0, span.start - 4), span.start):
            found.append(Span("LOCATION", before.start(), span.end, span.score, "place_particles"))
    return found


# Particles that carry a name on after the model's cut, and the surname they lead to: "Veronica van" + " der Voet".
_PARTICLES_AFTER = re.compile(r"(?:[ \t]" + _NAME_PARTICLE + r"){0,2}[ \t\n](" + UPPER + LOWER + r"+)(?![\w@\-])")
_ENDS_WITH_PARTICLE = re.compile(r"[ \t]" + _NAME_PARTICLE + r"\Z")


def particles_after(text: str, spans: list[Span]) -> list[Span]:
    """A name the model cut at or before its particles, grown to the surname: "Veronica van" of "Veronica van der Voet".

    The particles must lead somewhere: the name ends with one or one follows it, and the surname
    is no dictionary word ("Anna de Good" stays cut). It may open the next line ("Veronica R van der" then "Voet").
    """
    found = []
    for span in spans:
        if span.entity_type != "PERSON" or not (match := _PARTICLES_AFTER.match(text, span.end)):
            continue
        led = match.start(1) > match.start() + 1 or _ENDS_WITH_PARTICLE.search(text, span.start, span.end)
        if led and _may_be_name(match.group(1)):
            found.append(Span("PERSON", span.start, match.end(), span.score, "particles_after"))
    return found


_BAR_INITIAL = re.compile(r"(?<!\S)\|\. \Z")
# The rest of a word that OCR broke with a symbol ("Slepi¢ka", "Stojni¢,"): no space, no punctuation, no address.
_WORD_REST = re.compile(r"[^\s.,;:!?()\-–\[\]{}<>\"'’“”@/\\|_]+")


def whole_name_words(text: str, spans: list[Span]) -> list[Span]:
    """A name that stops inside a word grown to the word's end: "Vaclav Slepi" of "Vaclav Slepi¢ka"."""
    found = []
    for span in spans:
        if span.entity_type != "PERSON" or not text[span.end - 1 : span.end].isalpha():
            continue
        if rest := _WORD_REST.match(text, span.end):
            found.append(Span("PERSON", span.start, rest.end(), span.score, "whole_name_words"))
    return found


# Small words inside a place's name: "Mota del Cuervo", "Olmedo de Camaces", "San Gonzalo los Altos", Czech
# "Jiřice u Miroslavi", "Ústí nad Labem".
_PLACE_JOINT = re.compile(
    r"\s(?:de|del|de la|de los|los|las|la|le|du|des|da|do|dos|di|van|von|der|den|upon|sur|u|z|na|nad|pod|pri"
    r"|am|an|an der|im|bei|ob|zum|zur|unter)\s"
)


def join_place_parts(text: str, spans: list[Span]) -> list[Span]:
    """One location over two parts found apart with a particle between, when at least one is a place.

    The model often finds "Olmedo" as a place and "Camaces" (or "Mota") as a name: the particle
    between them says they are one place's name.
    """
    parts = sorted((s for s in spans if s.entity_type in ("LOCATION", "PERSON")), key=lambda s: s.start)
    joined = []
    for left in parts:
        for right in parts:
            if "LOCATION" not in (left.entity_type, right.entity_type) or right.start <= left.end:
                continue
            if _PLACE_JOINT.fullmatch(text[left.end : right.start]):
                joined.append(Span("LOCATION", left.start, right.end, min(left.score, right.score), "join_place_parts"))
    return joined


def name_neighbours(text: str, spans: list[Span]) -> list[Span]:
    """The other half of a name when the model found only one: "Simone" before "Kristoffersen".

    A capitalised word right before or after a found name (a space or one line break between, and
    perhaps a middle initial) is taken with it when no dictionary knows it and it is no document
    word ("Dear", "Email"); right before it on its line, or closing a line of prose above it, a word
    the dictionary lists as a proper noun is taken too: a given name ("Marcel Rezmer", "Parcels for
    Laura" then "Monnard"). So is a word in lower case that opens the name's line, perhaps before a
    middle initial: OCR may read a first name's capital small ("igor Barros", "lan S Vignon").
    """
    found = []
    for span in spans:
        if span.entity_type != "PERSON":
            continue
        before = _WORD_BEFORE.search(text, 0, span.start)
        after = _WORD_AFTER.match(text, span.end)
        opening = _LOWER_FIRST_NAME.fullmatch(text, text.rfind("\n", 0, span.start) + 1, span.start)
        given = (
            before is not None
            and (before.group(0).endswith(" ") or _PROSE_BEFORE.search(text, 0, before.start(1)) is not None)
            and _may_be_name(before.group(1))
        )
        for match in (before, after, opening):
            if match and ((match is before and given) or _is_unfamiliar(match.group(1)) or _is_small_i_name(match)):
                start, end = min(span.start, match.start(1)), max(span.end, match.end(1))
                found.append(Span("PERSON", start, end, span.score, "name_neighbours"))
    return found


def _is_small_i_name(match: re.Match[str]) -> bool:
    """A given name whose capital I OCR read as "l", opening the name's line: "lan S Vignon", "lda Horvat".

    The dictionary must list the name ("Ian", "Ida", "Ilya"): "Iater" and "Iol" are no names.
    """
    word = match.group(1)
    return match.re is _LOWER_FIRST_NAME and word[0] == "l" and "I" + word[1:] in proper_nouns()


# Two capitalised words with a middle initial between: "Melisande M. Auger", "Per P Svard", "Nazhmuddin E" then
# "Ibragimov" on the next line.
_INITIALLED_NAME = re.compile(
    r"(?<![\w@.\-])(" + UPPER + LOWER + r"+) " + _MIDDLE_INITIAL + r"[ \n](" + UPPER + LOWER + r"+)(?![\w@\-])"
)


def initialled_names(text: str, spans: list[Span]) -> list[Span]:
    """A given name, a middle initial and a surname, when one of the two words is found in a name or unfamiliar.

    The initial is the evidence a dictionary word lacks: "Per" in "Per P Svard Lundgren" or
    "Auger" in "Melisande M. Auger" is a word, but no sentence puts a capital letter alone between
    two capitalised words ("Vitamin D Levels" has neither a found name nor an unfamiliar word).
    """
    found = []
    for match in _INITIALLED_NAME.finditer(text):
        words = (match.group(1), match.group(2))
        if any(map(_heads_no_message, words)) or words[1].lower() in STOP_WORDS:  # "told Anna I. She said"
            continue
        named = any(_overlaps_person(spans, match.start(i), match.end(i)) for i in (1, 2))
        if named or any(_is_unfamiliar(w) for w in words):
            found.append(Span("PERSON", match.start(), match.end(), PROPAGATED_SCORE, "initialled_names"))
    return found


# A middle initial closing a name ("Mellink, Moustafa I."; OCR reads "I." as "|.").
_INITIAL_AFTER = re.compile(r" (?:[A-Z]|\|)\.(?!\S)")
_INITIALS_BEFORE = re.compile(r"(?<![\w.])(?<!\. )(?:[A-Z]\. ){1,2}\Z")  # one or two, not a list's "A. B. C."


def initials_after(text: str, spans: list[Span]) -> list[Span]:
    """A found name grown over the initial that closes it, or the initials that open it on its line.

    "Moustafa" of "Mellink, Moustafa |. 8/4/1938"; "Ezeugo" of "Full name U. Ezeugo" or "J. R. Ezeugo".
    """
    found = []
    for span in spans:
        if span.entity_type != "PERSON":
            continue
        if initial := _INITIAL_AFTER.match(text, span.end):
            found.append(Span("PERSON", span.start, initial.end(), span.score, "initials_after"))
        if initials := _INITIALS_BEFORE.search(text, max(0, span.start - 8), span.start):
            found.append(Span("PERSON", initials.start(), span.end, span.score, "initials_after"))
    return found


_ENDS_WITH_INITIAL = re.compile(r"\S " + _MIDDLE_INITIAL + r"\Z")
_NEXT_NAME_WORD = re.compile(r"[ \n](" + UPPER + r"[\w'’]+(?:-[\w'’]+)*)(?![\w@])")


def surnames_after_initials(text: str, spans: list[Span]) -> list[Span]:
    """A found name that ends with a middle initial, grown over the word after it: the surname.

    "Marcela G" then "JanoSekova-Martova" on the next line: OCR's capital inside the word, or a
    dictionary surname, does not matter once a given name and an initial stand before it.
    """
    found = []
    for span in spans:
        if span.entity_type != "PERSON" or not _ENDS_WITH_INITIAL.search(text, span.start, span.end):
            continue
        if (after := _NEXT_NAME_WORD.match(text, span.end)) and not _is_no_name(after.group(1)):
            found.append(Span("PERSON", span.start, after.end(1), span.score, "surnames_after_initials"))
    return found


def _overlaps_person(spans: list[Span], start: int, end: int) -> bool:
    return any(s.entity_type == "PERSON" and s.start < end and start < s.end for s in spans)


# A line of two capitalised words (an initial may stand between): "Biagio Cocci", "Anna K Young".
_TWO_NAME_LINE = re.compile(r"^(" + UPPER + LOWER + r"+)(?: [A-Z]\.?)? (" + UPPER + LOWER + r"+)[ \t]*$", re.MULTILINE)


def name_lines(text: str, spans: list[Span]) -> list[Span]:
    """A line of two capitalised words, one of them a found name no dictionary knows, is that person's name.

    A surname is often a dictionary word ("Biagio Cocci", "Fern Young"): beside a found given
    name in a sentence it proves nothing, but alone with it on a line it is the name's other half.
    A document word or a month ("Anna Notes", "Ulrich Today") makes no name, nor does a heading
    the model took for a name ("Volunteer Corner": "Corner" is a dictionary word).
    """
    found = []
    for match in _TWO_NAME_LINE.finditer(text):
        words = (match.group(1), match.group(2))
        if any(_heads_no_message(w) for w in words):
            continue
        if any(_is_found_name(text, spans, match.start(i), match.end(i)) for i in (1, 2)):
            found.append(Span("PERSON", match.start(1), match.end(2), PROPAGATED_SCORE, "name_lines"))
    return found


def _is_found_name(text: str, spans: list[Span], start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies in a found name and is no dictionary word ("Biagio", not "Corner")."""
    return not is_english_word(text[start:end]) and any(
        s.entity_type == "PERSON" and s.start <= start and end <= s.end for s in spans
    )


# A surname in capitals before the comma of "SURNAME, Given names".
_CAPITALS_SURNAME = re.compile(r"(?<![\w'’\-])(" + UPPER + r"{2,}(?:[\-'’ ]" + UPPER + r"{2,})*), \Z")


def surnames_first(text: str, spans: list[Span]) -> list[Span]:
    """A name written surname first, in capitals, the given name found: "LARSEN, Petrine R.", "KHURANA, Gaurang".

    After a label ("Name of applicant OJO, David") the surname must be no English word ("NOTE, Anna").
    """
    found = []
    for span in spans:
        if span.entity_type != "PERSON":
            continue
        line_start = text.rfind("\n", 0, span.start) + 1
        surname = _CAPITALS_SURNAME.search(text, line_start, span.start)
        if not surname or surname.group(1).title() in _NOT_NAMES:
            continue
        if surname.start() == line_start or not any(map(is_english_word, surname.group(1).split())):
            found.append(Span("PERSON", surname.start(), span.end, span.score, "surnames_first"))
    return found


def _is_no_name(word: str) -> bool:
    """A document word or a month or a day: "Email", "Patient", "Monday" name no one."""
    return word in _NOT_NAMES or bool(_MONTH_OR_DAY.fullmatch(word))


def _may_be_name(word: str) -> bool:
    """No document word, and no dictionary word unless the dictionary lists it as a proper noun ("Alma")."""
    return not _is_no_name(word) and not is_common_word(word)


def _heads_no_message(word: str) -> bool:
    """No name, or a word that heads a line before a time without naming its sender ("Today", "Meeting")."""
    return _is_no_name(word) or word in _NOT_SENDERS


def _is_unfamiliar(word: str) -> bool:
    """No document word, and no word people write: "Kristoffersen", "Koku" (a dictionary word hardly anyone uses)."""
    return not _is_no_name(word) and len(word) >= 2 and not is_word_in_use(word)


# A name word, or one OCR ran together with the next ("AnnaR", "AnnaShah_"), or an initial.
_SENDER_WORD = (
    r"(?:" + UPPER + LOWER + r"+(?:[\-'’]?" + UPPER + LOWER + r"+)?(?:" + UPPER + r"\.?)?_?|" + UPPER + r"\.?)"
)
# What OCR makes of an avatar before the name: initials ("AS", '"ER |'), a symbol, or letters and a symbol ("si)").
_AVATAR = r"(?:[^\w\s]?" + UPPER + r"{2} (?:[^\w\s]{1,2} )?|(?:[A-Za-z]{1,2} ?)?[^\w\s]{1,3} )?"
# A chat message's header: the sender's name, then the time or the date it was sent, alone on the line;
# OCR may read a dot between them as a symbol ("Steffen S Mauer = Jan 04, 2024"), or no space before
# the time ("Blanka Król10:10 AM").
_SENDER_LINE = re.compile(
    r"^" + _AVATAR + r"(" + _SENDER_WORD + r"(?: " + _SENDER_WORD + r"){0,2})(?: (?:[=_~•·»\-–] )?|(?=\d{1,2}:\d\d))"
    r"(?:\d{1,2}:\d{2}(?: ?[AaPp]\.?[Mm]\.?)?|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}, \d{4}"
    r"|Yesterday|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:[a-z]*day)?)$",
    re.MULTILINE,
)
# Words that head a line before a time without being anyone's name.
_NOT_SENDERS = frozenset(
    "You Me Today Yesterday Tomorrow Now Edited Sent Delivered Read Seen Opens Closes Open Closed Starts Ends "
    "Arrival Departure Check Meeting Lunch Dinner Breakfast Break Doors Time At From Until Till".split()
)


# A month names no date when a clock time follows it: "Mar 10:04 AM" is Mar sending at 10:04.
_MONTH = re.compile(r"(?:" + _MONTHS + r")\.?", re.IGNORECASE)


def message_senders(text: str) -> list[Span]:
    """The sender's name heading a chat message: "Ham 1:23 PM", "Kristina K. 5:53 PM", "Zoe Jan 22, 2026".

    A first name alone is often a dictionary word ("Dale", "Sun"), so the line's shape is the evidence:
    one to three capitalised words or initials and nothing after them but the time or the date. A
    month's name heads the message too when a clock time follows ("May 9:41 AM"); a day's never does.
    A chat list shows the day of the last message ("Mara Cosić Fri"); a heading can end in a day as
    well, so then each word must be no dictionary word or one the dictionary lists as a proper noun,
    unless an avatar's initial before the name is its first letter ("Cc. Car Fri").
    """
    found = []
    for match in _SENDER_LINE.finditer(text):
        words = match.group(1).split()
        avatar = [c for c in text[match.start() : match.start(1)] if c.isalpha()]
        before_clock = ":" in text[match.end(1) : match.end()]
        if any(
            (_heads_no_message(w) or _MONTH_OR_DAY.fullmatch(w.rstrip(".")))
            and not (before_clock and _MONTH.fullmatch(w))
            for w in words
        ):
            continue
        if all(len(w) <= 2 for w in words):
            continue
        timed = any(c.isdigit() for c in text[match.end(1) : match.end()])
        initialled = bool(avatar) and avatar[0].upper() == words[0][0]
        if not (timed or initialled) and not all(map(_may_be_name, words)):
            continue  # "Budget Review Monday" is a heading
        found.append(Span("PERSON", match.start(1), match.end(1), PROPAGATED_SCORE, "message_senders"))
    return found


# A question put to someone by name, opening a line or a sentence: "Alma, can I ...", "Edward, did the payment go".
_ADDRESSED = re.compile(
    r"(?:^|(?<=[.!?] ))(" + UPPER + LOWER + r"+), (?:can|could|did|do|does|are|is|have|has|would|will|shall)\b",
    re.MULTILINE,
)


# A chat app's name for someone not in the contacts, after a tilde, alone on its line: "~ Alexandre", "~Anna Berg".
_TILDE_NAME = re.compile(
    r"^[ \t]*~ ?(" + UPPER + LOWER + r"+(?: (?:" + UPPER + LOWER + r"+|[A-Z]\.?)){0,2})[ \t]*$", re.MULTILINE
)


def tilde_names(text: str) -> list[Span]:
    """The name a chat shows for a number not in the contacts: "~ Alexandre" heads a profile or a message."""
    return [
        Span("PERSON", match.start(1), match.end(1), PROPAGATED_SCORE, "tilde_names")
        for match in _TILDE_NAME.finditer(text)
        if not any(_heads_no_message(w) for w in match.group(1).split())
    ]


# A chat's header: the contact's name, perhaps after what OCR makes of an avatar, over their presence ("online").
_PRESENCE_NAME = re.compile(
    r"^(?:[^\w\s]{1,3} |\w?[^\w\s]{1,2} )?("
    + UPPER
    + LOWER
    + r"+(?: (?:"
    + UPPER
    + LOWER
    + r"+|[A-Z]\.?)){0,2})[ \t]*\n[ \t]*(?i:online|offline|typing\W*|last seen\b.*|active (?:now|\d.*ago)"
    + r"|away|busy|do not disturb|in a meeting)[ \t]*$",
    re.MULTILINE,
)


def presence_names(text: str) -> list[Span]:
    """The name over a presence in a chat's header: "Khas" over "online", "Ana B." over "last seen today at 9:12"."""
    return [
        Span("PERSON", match.start(1), match.end(1), PROPAGATED_SCORE, "presence_names")
        for match in _PRESENCE_NAME.finditer(text)
        if all(_may_be_name(w) for w in match.group(1).split() if len(w.rstrip(".")) > 1)
    ]


# A chat avatar's two initials before the name they stand for, perhaps after a tilde: "JW Jane", "PR ~Pedro".
_AVATAR_NAME = re.compile(
    r"(?<![\w.\-])([A-Z]{2}) ~? ?(" + UPPER + LOWER + r"+(?: " + UPPER + LOWER + r"+)?)(?![\w@\-])"
)


def avatar_names(text: str) -> list[Span]:
    """The name beside a chat avatar whose initials are its own: "< JW Jane", "NM Narimane Mazouz".

    The initials vouch for the words, but not for a dictionary word ("HR Human Resources"): each
    word must be no such word, or one the dictionary lists as a proper noun ("Jane").
    """
    return [
        Span("PERSON", match.start(2), match.end(2), PROPAGATED_SCORE, "avatar_names")
        for match in _AVATAR_NAME.finditer(text)
        if _is_avatar_of(match.group(1), match.group(2))
        and all(_may_be_name(w) and not _heads_no_message(w) for w in match.group(2).split())
    ]


# A speaker's name heading what they said, as transcripts and scripts print it: "Bohuslav: What a wife.", on its
# line or after a sentence ("until 31.12.2018. Tiago: What a wife."), their words perhaps in quote marks
# ('Matilde:"I am her daughter"').
_SPEAKER = re.compile(
    r"(?:^|(?<=[.!?] ))(" + UPPER + LOWER + r"+(?: " + UPPER + LOWER + r"+)?):(?: |(?=[\"“]))"
    r"(?=[\"“]?" + UPPER + r"[^\n]* " + LOWER + ")",
    re.MULTILINE,
)
# A quoted person, as news reports them: "Morgan Garner, the PBX operator, said:", "Ann Lee, a nurse, told us".
_REPORTED_SPEAKER = re.compile(
    r"(?:^|(?<=[.!?\"”] ))(" + UPPER + LOWER + r"+(?: " + UPPER + LOWER + r"+){1,2}), (?:the|a|an|our|their|his|her) "
    r"[^,\n]{2,40}, (?:said|says|told|added|explained|wrote|confirmed|commented|noted)\b",
    re.MULTILINE,
)


def speaker_names(text: str) -> list[Span]:
    """The speaker opening a line of a transcript ("Doko: You saved my life!", "Ana Ruiz: I was there").

    A form's label takes the same place ("Note: Please call"), so each word must be no dictionary
    word, or one the dictionary lists as a proper noun, and what follows must read as a sentence.
    A name with a role between commas before "said" is a speaker too when one of its words may be a
    name and none is a document word ("Morgan Garner, the operator, said").
    """
    speakers = [
        Span("PERSON", match.start(1), match.end(1), PROPAGATED_SCORE, "speaker_names")
        for match in _SPEAKER.finditer(text)
        if all(map(_may_be_name, match.group(1).split()))
    ]
    return speakers + [
        Span("PERSON", match.start(1), match.end(1), PROPAGATED_SCORE, "speaker_names")
        for match in _REPORTED_SPEAKER.finditer(text)
        if any(map(_may_be_name, words := match.group(1).split())) and not any(map(_is_no_name, words))
    ]


# A driver's licence number named in a sentence: "his driver's license number is SKFBMFH08463", "DL JKGASHLWJZGQ";
# British English says "driving licence".
_LICENCE_IN_PROSE = re.compile(
    r"(?:(?i:\b(?:driver'?s?|driving)\s+licen[cs]e)|\bDL)(?i:\s+(?:no\.?|number|#))?(?:\s+is)?\s*[:#]?\s*"
    r"([A-Z0-9][A-Z0-9\-]{5,18})(?![\w\-])"
)


def licence_numbers(text: str) -> list[Span]:
    """Driver's licence numbers right after their name in a sentence or a card's line, with a digit or all capitals.

    Presidio's licence patterns know a letter and digits ("D1234567"), not seven letters and five
    digits nor a state's all-capitals number.
    """
    return [
        Span("US_DRIVER_LICENSE", m.start(1), m.end(1), 0.6, "licence_numbers")
        for m in _LICENCE_IN_PROSE.finditer(text)
        if any(c.isdigit() for c in m.group(1)) or is_capitals_code(m.group(1))
    ]


# "Isabelle Marx-Dos santos <isabelle.marxdossantos@yahoo.com>": the words before an address in brackets.
_NAMED_MAILBOX = re.compile(
    r"(?P<name>[^\W\d_][\w'’\-]*(?:[ \t]+[\w'’\-]+\.?){0,4})[ \t]*[<(«‹][ \t]*(?P<local>[\w.+\-]+) ?@"
)


_SHORTEST_MAILBOX_NAME = 5


def mailbox_names(text: str) -> list[Span]:
    """The name written before an address in brackets when the mailbox spells it, small letters and all.

    A mail header's "Isabelle Marx-Dos santos <isabelle.marxdossantos@...>" writes what the language
    model cuts at "santos"; the mailbox's letters, accents and separators aside, are the name's.
    """
    found = []
    for match in _NAMED_MAILBOX.finditer(text):
        words = match.group("name").split()
        letters = _letters_of(match.group("local"))
        if len(letters) < _SHORTEST_MAILBOX_NAME:
            continue
        for first in range(len(words)):  # a label may open the line: "To: Ann Lee <annlee@...>"
            name = " ".join(words[first:])
            if _letters_of(name) == letters:
                start = match.start("name") + match.group("name").index(name)
                found.append(Span("PERSON", start, start + len(name), PROPAGATED_SCORE, "mailbox_names"))
                break
    return found


def _letters_of(text: str) -> str:
    """``text``'s letters in small letters, accents taken off: what a mailbox keeps of a name."""
    return "".join(c for c in _unaccented(text).lower() if c.isalpha())


def addressed_names(text: str) -> list[Span]:
    """The name a question is put to: "Alma, can | please speak to your boss?".

    An interjection takes the same place ("Now, can we", "Okay, did it"): the word must be no
    dictionary word, or one the dictionary also lists as a proper noun ("Alma").
    """
    return [
        Span("PERSON", match.start(1), match.end(1), PROPAGATED_SCORE, "addressed_names")
        for match in _ADDRESSED.finditer(text)
        if _may_be_name(match.group(1))
    ]


_LINE_DATE = (
    r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
    r"|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2}\.? [A-Z][a-z]{2,8}\.? \d{4})"
)
# Up to three names, small words of a place's name between them ("Delta del Tigre", "Jiřího z Poděbrad"), and a
# house number after them when it is a street ("Lidia-Schmiedecke-Gasse 5026").
_LINE_PLACE = (
    UPPER
    + r"[\w'’\-]+(?: (?:(?:de|del|de la|do|da|dos|das|di|du|des|la|le|el|van|von|der|den|am|an|nad|pod|u|z|na) )?"
    + UPPER
    + r"[\w'’\-]+){0,2}(?: \d{1,5}[A-Za-z]?)?"
)
# A letter's dateline, or an events list's line: the place and the date, alone on a line.
_DATE_FIRST = re.compile(_LINE_DATE)
_DATELINE = re.compile(
    r"^(?:(?P<before>" + _LINE_PLACE + r"), " + _LINE_DATE + r"|" + _LINE_DATE + r", (?P<after>" + _LINE_PLACE + r"))"
    r"[ \t]*$",
    re.MULTILINE,
)


def datelines(text: str) -> list[Span]:
    """The place of a letter's dateline: "Miaside, Apr 13, 2019", "2025-11-18, NOTODDEN".

    A line holding only a capitalised name and a date, a comma between them, names where it was
    written; a day ("Monday, 12 May 2024"), a document word ("Invoice, 2024-01-05") or a date whose
    word is no month ("Oslo, Foo 12, 2024") makes no dateline.
    """
    found = []
    for match in _DATELINE.finditer(text):
        side = "before" if match.group("before") else "after"
        date = match.group(0).replace(match.group(side), "", 1)
        if not all(_MONTH_OR_DAY.fullmatch(word) for word in re.findall(r"[A-Za-z]+", date)):
            continue
        if any(_is_no_name(word) for word in match.group(side).split()):
            continue
        found.append(Span("LOCATION", match.start(side), match.end(side), PROPAGATED_SCORE, "datelines"))
    return found


# A group chat's member list: first names separated by commas, the reader last ("Rolando, Sean, Esther, You").
# A member's name, perhaps with a capital I read as "l" ("lfechukwu").
_MEMBER = re.compile(UPPER + LOWER + r"+|l" + LOWER + r"{3,}")
_MEMBER_LIST = re.compile(r"((?:(?:" + _MEMBER.pattern + r"), ){1,8})You\b")


def member_lists(text: str) -> list[Span]:
    """Each name in a group chat's member list, which ends with "You"."""
    return [
        Span("PERSON", match.start(1) + name.start(), match.start(1) + name.end(), PROPAGATED_SCORE, "member_lists")
        for match in _MEMBER_LIST.finditer(text)
        for name in _MEMBER.finditer(match.group(1))
        if name.group(0) not in _NOT_NAMES
    ]


# Three names or more listed in prose: "our 3 founders: Blot, Nucci and\nMensah".
_LISTED_WORD = UPPER + LOWER + r"+(?:[\-'’]" + UPPER + LOWER + r"+)?"
_NAME_LIST = re.compile(
    r"(?<![\w@.\-])"
    + _LISTED_WORD
    + r"(?:,[ \n]"
    + _LISTED_WORD
    + r"){1,6},?[ \n](?:and|&)\s"
    + _LISTED_WORD
    + r"(?![\w@\-])"
)


# What ends a firm's name made of its founders': "Smith, Jones & Partners".
_FIRM_WORDS = frozenset("Partners Associates Sons Daughters Brothers Company Co Group Friends".split())


def listed_names(text: str, spans: list[Span]) -> list[Span]:
    """The other names of a list of three or more single words when one of them is a found name.

    "Blot, Nucci and Mensah": beside "Mensah", "Blot" is a surname, though a dictionary knows it. Lists
    of places or things hold no found person; a document word, a month or a firm's word in the list
    ends the matter ("Smith, Jones & Partners").
    """
    found = []
    for match in _NAME_LIST.finditer(text):
        words = list(re.finditer(_LISTED_WORD, match.group(0)))
        if any(_is_no_name(word.group(0)) or word.group(0) in _FIRM_WORDS for word in words):
            continue
        named = [_overlaps_person(spans, match.start() + w.start(), match.start() + w.end()) for w in words]
        if any(named):
            found += [
                Span("PERSON", match.start() + w.start(), match.start() + w.end(), PROPAGATED_SCORE, "listed_names")
                for w, is_named in zip(words, named, strict=True)
                if not is_named
            ]
    return found


# A chat app's list of conversations: each contact alone on a line, the last message's preview under it.
_CONTACT_LINE = re.compile(r"(?:" + UPPER + r"[\w'’\-]+|[A-Z]\.?)(?: (?:" + UPPER + r"[\w'’\-]+|[A-Z]\.?)){0,2}")
_PREVIEW_LINE = re.compile(r"You: |" + LOWER)
# What OCR makes of an unread badge or an avatar's edge before a contact: "» Anas", "* You: ...".
_LIST_MARK = re.compile(r"[^\w\s]{1,3} ")
_CONTACT_RUN = 3


def conversation_lists(text: str) -> list[Span]:
    """Contacts in a chat app's list of conversations: "Helen L West" over "on my way", "Rune" over "running late".

    One capitalised line says little ("Rune" is a word, "Monday" a heading); three or more in a row,
    each over a preview that starts in lower case or with "You:", are the people one talks to. A mark
    OCR reads before a line (an unread badge, an avatar's edge: "» Anas", "* You: ...") is passed over.
    """
    lines = [
        (mark.end() if (mark := _LIST_MARK.match(text, start, end)) else start, end)
        for start, end in _line_ranges(text)
    ]
    heads = [
        index
        for index, (start, end) in enumerate(lines[:-1])
        if _is_contact(text[start:end]) and _PREVIEW_LINE.match(text, lines[index + 1][0])
    ]
    runs: list[list[int]] = []
    for index in heads:
        if runs and index == runs[-1][-1] + 2:
            runs[-1].append(index)
        else:
            runs.append([index])
    return [
        Span("PERSON", *lines[index], PROPAGATED_SCORE, "conversation_lists")
        for run in runs
        if len(run) >= _CONTACT_RUN
        for index in run
    ]


def _is_contact(line: str) -> bool:
    """A name-shaped line: capitalised words or initials, no digit, no document word or day, not just initials."""
    words = line.split()
    return (
        bool(_CONTACT_LINE.fullmatch(line))
        and not any(c.isdigit() for c in line)
        and max(map(len, words)) > 2
        and not any(_heads_no_message(w) for w in words)
    )


# A capitalised word beside a name, perhaps a middle initial between them ("Amadeo C Vitorovic"); OCR
# may run two words together ("SimphiweyiNkosi") or read a capital I as "l" ("Vinicio ladanza").
_NAME_WORD = r"(?:" + UPPER + LOWER + r"+(?:" + UPPER + LOWER + r"+)?|l" + LOWER + r"{4,})"
_PROSE_BEFORE = re.compile(LOWER + r"+ \Z")  # a word in small letters right before: a sentence wrapped
_WORD_BEFORE = re.compile(r"(?<![\w@.\-])(" + _NAME_WORD + r")(?: |\n)(?:[A-Z]\.? )?$")
_LOWER_FIRST_NAME = re.compile(r"(" + LOWER + r"{3,}) (?:[A-Z]\.? )?")  # "igor Barros", "lan S Vignon"
_WORD_AFTER = re.compile(r"(?: |\n)(?:[A-Z]\.? )?(" + _NAME_WORD + r")(?![\w@\-])")
_SHORT_LINE = re.compile(r"[^\n@:;!?]{1,60}")
_NAME_LINE = re.compile(
    r"(?:"
    + UPPER
    + r"[\w'’\-]+|[A-Z]\.?)(?: (?:"
    + UPPER
    + r"[\w'’\-]+|[A-Z]\.?|van|von|de|der|den|da|di|del|la|le)){1,4}"
)
_STREET_LINE = re.compile(
    r"\d+(?: [^\s@:]+){0,5}[.,]?|" + UPPER + r"[\w'’\-]+(?: " + UPPER + r"[\w'’\-]+)? \d{1,5}[A-Za-z]?[.,]?"
)
_LOOKS_LIKE_PLACE = re.compile(r"\d|" + UPPER + "(?:" + LOWER + "{3,}|" + UPPER + "{3,})")
_SHORT_PLACE = re.compile(r"\d|" + UPPER + "(?:" + LOWER + "{2,}|" + UPPER + "{3,})")
# OCR noise ("L&8K") is tolerated: these lines are only taken next to a street or unit line; money and
# a table's "#" are not ("Commission 88 $34.18", "Organisation Routing #").
_PLACE_LINE = re.compile(r"[" + UPPER_LETTERS + r"0-9][^\s@:#$€£%]*(?: [^\s@:#$€£%]+){0,4}")


# A state's or a region's code alone on its line ("IA", "NSW"), and a postcode alone on the line under it.
_REGION_CODE = re.compile(r"[A-Z]{2,3}")
_POSTCODE_LINE = re.compile(r"[A-Z]{0,2}[\- ]?\d{3,6}(?:[ \-]\d{2,4})?")


def _is_region_over_postcode(text: str, lines: list[tuple[int, int]], index: int) -> bool:
    """Whether line ``index`` is a region's code over a postcode: "IA" over "147 87" under a town's line."""
    return (
        index + 1 < len(lines)
        and _REGION_CODE.fullmatch(text[slice(*lines[index])].strip()) is not None
        and _POSTCODE_LINE.fullmatch(text[slice(*lines[index + 1])].strip()) is not None
    )


def _after_quote_marks(text: str, start: int, end: int) -> int:
    marks = _QUOTE_MARKS.match(text, start, end)
    return marks.end() if marks else start


def address_blocks(text: str, spans: list[Span]) -> list[Span]:
    """Lines of an address block: the short lines around a street or postcode line, and the name above.

    Letters and e-mail signatures print addresses as a run of short lines; when one of them is
    found, its neighbours (town, country, unit) and the addressee's name line above belong with it.
    A quoted e-mail's marks ("> ") are no part of its lines.
    """
    lines = [(_after_quote_marks(text, start, end), end) for start, end in _line_ranges(text)]
    located = {
        index
        for index, (start, end) in enumerate(lines)
        if any(s.entity_type == "LOCATION" and start <= s.start < end for s in spans)
        and _SHORT_LINE.fullmatch(text[start:end])
    }
    found: list[Span] = []
    for index in sorted(located):
        if index - 1 in located:
            continue
        last = index
        while last + 1 in located:
            last += 1
        if last > index:  # a run of address lines: a street or town line in it is whole ("7963 An Der Schiitt 54",
            found += [  # "Novo mesto, Podravska 9845")
                Span("LOCATION", *lines[inside], PROPAGATED_SCORE, "address_block_street")
                for inside in range(index, last + 1)
                if _is_whole_address_line(text[slice(*lines[inside])]) and not _covered(lines[inside], spans)
            ]
        for below in range(last + 1, min(last + 3, len(lines))):
            start, end = lines[below]
            line = text[start:end]
            # a word alone between two address lines is the town however common ("Hem", "Bath"); not an
            # event's name over an events list's line ("Quiz" over "2026-01-12, Sosnowiec"), nor an id
            # card's label over a date ("ISS" over "15 Sep 2021")
            between = (
                below + 1 in located and len(line.split()) == 1 and not _DATE_FIRST.match(text, lines[below + 1][0])
            )
            region = _is_region_over_postcode(text, lines, below)
            if (
                not _PLACE_LINE.fullmatch(line)
                or not (region or (_SHORT_PLACE if between else _LOOKS_LIKE_PLACE).search(line))
                or any(_is_no_name(word.strip(".,;:").title()) for word in line.split())  # "9 on Saturday."
                or _reads_as_prose(line)
                or not (between or region or _has_proper_word(line))
            ):
                break
            found.append(Span("LOCATION", start, end, PROPAGATED_SCORE, "address_block_town"))
        above = index - 1
        while above >= 0 and _is_street_line(text[lines[above][0] : lines[above][1]]):
            found.append(Span("LOCATION", *lines[above], PROPAGATED_SCORE, "address_block_street"))
            above -= 1
        if above >= 0:
            start, end = lines[above]
            words = text[start:end].split()
            if (
                _NAME_LINE.fullmatch(text[start:end])
                and not any(w in _NOT_NAMES for w in words)
                and _reads_as_addressee(words)
                # "Jane Doe" above a street, not "Board Meeting" above a date and a town
                and (_has_proper_word(text[start:end]) or _is_street_line(text[slice(*lines[above + 1])]))
            ):
                found.append(Span("PERSON", start, end, PROPAGATED_SCORE, "address_block_name"))
    return found


def _reads_as_addressee(words: list[str]) -> bool:
    """Whether a line's words may be a person's name: no heading in capitals, no firm, one dictionary word at most.

    "Jane Doe" heads an address, so do "Memorial Medical Group", "Keras Resources PLC" and "DISCHARGE
    SUMMARY": a given name or a surname may be a dictionary word ("Mare P Nuut"), a firm's name holds more.
    """
    names = [w for w in words if len(w.rstrip(".")) > 1]  # initials aside
    return (
        not any(w.isupper() and len(w) > 2 for w in names)
        and not any(w.lower().rstrip(".") in COMPANY_FORMS for w in names)
        and sum(map(is_common_word, names)) <= 1
    )


_QUOTE_MARKS = re.compile(r"(?:> ?)*")


def _is_street_line(line: str) -> bool:
    """A house number and a street's name, not a sentence that opens with a number ("2025 with chest pain")."""
    return bool(_STREET_LINE.fullmatch(line)) and not _reads_as_prose(line)


def _is_whole_address_line(line: str) -> bool:
    """A street line, or a town's: a place's words and a postcode, no sentence ("Novo mesto, Podravska 9845").

    A town's name may hold a small word, but no English one ("mesto" is Slovene for "town").
    """
    town = _PLACE_LINE.fullmatch(line) is not None and re.search(r"\d{3}", line) is not None
    foreign = all(w in _PLACE_PARTICLES or not is_english_word(w) for w in _SMALL_WORD.findall(line))
    return _is_street_line(line) or (town and foreign and not _SENTENCE_END.search(line))


def _covered(line: tuple[int, int], spans: list[Span]) -> bool:
    return any(s.start <= line[0] and line[1] <= s.end for s in spans)


def _has_proper_word(line: str) -> bool:
    """A number, a country or a word no dictionary knows ("HA1 5PS", "United States", "Smithshire").

    A heading ("Board Meeting", "Community Notes") has none of them.
    """
    if re.search(r"\d", line) or line.strip(" ,.") in _countries():
        return True
    return any(not is_english_word(w) for w in _LETTERS.findall(line))


@cache
def _countries() -> frozenset[str]:
    return frozenset(country_names())


_LETTERS = re.compile(r"[^\W\d_]{2,}")


def _reads_as_prose(line: str) -> bool:
    """A caption or a sentence, not a town.

    A small word that no place name uses ("Photo by", "for"), or a sentence's end inside the line
    ("Whitney Cliff. During 2004", but not "St. Albans").
    """
    return any(w not in _PLACE_PARTICLES for w in _SMALL_WORD.findall(line)) or bool(_SENTENCE_END.search(line))


_SMALL_WORD = re.compile(r"(?<!\S)[a-z]{2,}\b")
_SENTENCE_END = re.compile(LOWER + r"{3}\. " + UPPER)
_PLACE_PARTICLES = frozenset(
    "upon on sur sous les des de del della der den di da do dos du la le los las el van von bei und am an im y".split()
)


def _line_ranges(text: str) -> list[tuple[int, int]]:
    ranges, start = [], 0
    for line in text.split("\n"):
        ranges.append((start, start + len(line)))
        start += len(line) + 1
    return ranges


# A street's name and its house number, a door or a flat after it: "Bijenička 6a/7".
_NAME_AND_NUMBER = UPPER + LOWER + r"+ \d{1,5}(?:[a-z]?/\d{1,4}[a-z]?|[a-z])?"
# Pieces that extend an address when they sit right next to one: numbers, unit numbers ("Dpto. 25"), towns
# in capitals, region codes ("Crivelli (AG)"), postcodes (Polish "84-735", Hungarian "H-9756", Dutch "6792IP"
# and Chilean seven digits included), a street and its number; a form's "ZIP" label is no region.
_ADDRESS_PIECE = re.compile(
    r"(?:\d{1,7}[A-Za-z]?|\d{2}-\d{3}|\d{4}[A-Z]{2}|(?!ZIP\b)" + UPPER + r"{2,}|[A-Z]\d[A-Z\d]?|\d[A-Z]{2}"
    r"|[A-Z]{1,2}-\d{4,5}|\([A-Z]{2}\)|(?:Suite|Apt\.?|Unit|Box|Flat|Dpto\.?|Depto\.?|Piso)|"
    + _NAME_AND_NUMBER
    + r")[.,]?"
)
_PIECE_AFTER = re.compile(r"[ ,]+(?:" + _ADDRESS_PIECE.pattern + r")(?=[ ,.;:?!)]|$)", re.MULTILINE)


# A region and its postcode after a town: ", Grisons 1290".
_REGION_POSTCODE_AFTER = re.compile(r", " + UPPER + r"[\w'’\-]+,? \d{4,6}(?![\w\-])")
# Up to two place names of up to three words closing a sentence or line after an address ("Suite 126 Tarariras
# Canelones.", "Rue de Marrakech, Residence El Ouns, Tunisia 2058",
# "Apt. 358, Jacksonton," before the postcode on the next line), or before a state's code that does
# ("Suite 966, North Robert, CO" then "80604"), or before a postcode ("Filtrowa 70, Warszawa, 02-057",
# "Lizaboulevard 825, Zennewijnen, 6792IP"),
# or before a region and its postcode ("Bethlehem, Noord-Kaap 6223").
_TRAILING_PLACE = re.compile(
    r"[ ,]+((?:" + UPPER + r"[\w'’\-]+|[A-Z]{2})(?: (?:" + UPPER + r"[\w'’\-]+|[A-Z]{2})){0,2})"
    r"(?=[?.!]|,?\s*$|,? [A-Z]{2},?[ \t]*$|,? (?:\d{2}-\d{3}|\d{4,6}|\d{4} ?[A-Z]{2})(?![\w\-])"
    r"|" + _REGION_POSTCODE_AFTER.pattern + ")",  # a town before its region and postcode
    re.MULTILINE,
)
_TRAILING_PLACES = 2  # "30 West Ithafa, Bethlehem, Noord-Kaap 6223"


_POSTCODE_NEXT_LINE = re.compile(
    r",?\n((?:[A-Z]{2,3} )?(?:\d{2}-\d{3}|\d{4,6})|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d[A-Z]\d)(?=[ ,.;:?!)]|$)", re.MULTILINE
)
# A town (its region after it) and its postcode opening the line after a street ("Löchelring 60" then
# "Erbisdorf, Thüringen 55724. The", "P.O. Box 3352," then Iceland's "Skagastrond 545.").
_TOWN_POSTCODE_NEXT_LINE = re.compile(
    r",?[ \t]*\n((" + UPPER + r"[\w'’\-]+(?:,? " + UPPER + r"[\w'’\-]+){0,2}),? "
    r"(?:\d{2}-\d{3}|\d{4}-\d{3}|\d{3} \d{2}|\d{3,6}|[A-Z]{1,2}-\d{4,5}))(?=[ ,.;:?!)]|$)",
    re.MULTILINE,
)
# The town after a postcode that closes an address in running text ("to Nygade 4, 8420 Sulsted before Friday").
_ENDS_WITH_POSTCODE = re.compile(r"(?<![\w\-.,/])\d{4,6}\Z")
_TOWN_AFTER_POSTCODE = re.compile(r"[ \t]+(" + UPPER + r"[\w'’\-]+(?: " + UPPER + r"[\w'’\-]+)?)(?![\w'’\-])")
# A unit's number that a narrow column pushed to the next line ("Inlet, Suite" then "195,").
_UNIT_NUMBER_NEXT_LINE = re.compile(
    r"(?:(?<=Suite)|(?<=Apt\.)|(?<=Apt)|(?<=Unit)|(?<=Flat)|(?<=Box))[ \t]*\n(\d{1,6}[A-Za-z]?)(?=[ ,.;:?!)]|$)",
    re.MULTILINE,
)


# A date that a piece before an address would close: "March 03" or "March 03, 2024" before "Ivopad 999".
_DATE_UP_TO = re.compile(
    r"\b(?:" + _MONTHS + r")\.? (?:\d{1,2}(?:st|nd|rd|th)?,? )?\d{4}[.,]?\Z"
    r"|\b(?:" + _MONTHS + r")\.? \d{1,2}(?:st|nd|rd|th)?,?\Z",
    re.IGNORECASE,
)


def absorb_address_fragments(text: str, spans: list[Span]) -> list[Span]:
    """Grow each location over the address pieces beside it on its line ("Apt. 397 84728", "Italy 37368").

    No piece of a date is taken before it ("March 03, 2024, Ivopad 999"); a town after a postcode that
    closes it is taken in running text too ("Nygade 4, 8420 Sulsted before"). A postcode or a unit's
    number that a line break pushed to the start of the next line is taken too
    ("DPO" then "AE 24381", "Inlet, Suite" then "195,"), and so is a town with its postcode there
    ("Löchelring 60" then "Erbisdorf, Thüringen 55724"). A word that wraps to a line a location opens
    belongs to it whatever it means ("South" then "Shawn, KY 07590"), and so does one before a town
    and its postcode there ("Cite" then "Bouslama, 8042").
    """
    grown = []
    for span in spans:
        if span.entity_type != "LOCATION":
            continue
        start, end = span.start, _pieces_end(text, span.end)
        for _ in range(_TRAILING_PLACES):
            tail = _TRAILING_PLACE.match(text, end)
            if not tail or _ends_sentence(text, end):
                break
            if not (
                _names_a_place(text, tail.group(1), tail.end(1))
                or _opens_located_line(text, tail.end(1), spans)
                or _TOWN_POSTCODE_NEXT_LINE.match(text, tail.end(1))  # "Moulins, Cite" then "Bouslama, 8042."
            ):
                break
            end = _pieces_end(text, tail.end(1))
        town = _TOWN_AFTER_POSTCODE.match(text, end)
        if town and _ENDS_WITH_POSTCODE.search(text, start, end) and _is_town(text, town.group(1), town.end(1)):
            end = town.end(1)
        if unit := _UNIT_NUMBER_NEXT_LINE.match(text, end):
            end = unit.end(1)
        if postcode := _POSTCODE_NEXT_LINE.match(text, end):
            end = postcode.end(1)
        elif (town := _TOWN_POSTCODE_NEXT_LINE.match(text, end)) and _is_town(text, town.group(2), town.end(2)):
            end = town.end(1)
        while True:
            # \Z, not $: the piece must touch the span, not end some earlier line of the page.
            match = re.search(r"(?:^|(?<=[ ]))(" + _ADDRESS_PIECE.pattern + r")[ ,]+\Z", text[:start], re.MULTILINE)
            if not match or _DATE_UP_TO.search(text, 0, match.end(1)):
                break
            start = match.start()
        if (start, end) != (span.start, span.end):
            grown.append(Span("LOCATION", start, end, span.score, "absorb_address_fragments"))
    return grown


# A town in capitals as address blocks print it ("SAUMUR", "BRIVE-LA-GAILLARDE", "TUMBY BAY"), on the line
# after a location or closing the line before one; an e-mail's quote marks ("> ") may open the line.
_CAPITALS = UPPER + r"{4,}(?:[\- ]" + UPPER + r"{2,}){0,2}"
_TOWN_BELOW = re.compile(r"[ ,]*\n(?:> ?)*(" + _CAPITALS + r")(?=[ ,.;]|$)(?![ \t][A-Z]{2}\d\d)", re.MULTILINE)
_TOWN_ABOVE = re.compile(r"(?:^|(?<=[ ,]))(" + _CAPITALS + r")[.,]?[ \t]*\n(?:> ?)*\Z", re.MULTILINE)


def capital_towns(text: str, spans: list[Span]) -> list[Span]:
    """A word in capitals across a line break from a location is the address's town.

    "11 Barker Street," then "WEDGECARRUP," then "Australia 6315"; "SAUMUR" then "France 49400";
    "Berggyltveien 229" then "HUNDVAG, 4085 was sold". A postcode that alone follows the town on its
    line is taken with it ("BRAILSFORD DE6 2xXJ"). A heading in capitals is English ("INVOICE",
    "PATIENT DETAILS"; short parts such as "LA" or "BAY" are not looked up), and "IBAN" before an
    account number is no town.
    """
    found = []
    for span in spans:
        if span.entity_type != "LOCATION":
            continue
        end = span.start + len(text[span.start : span.end].rstrip())
        below = _TOWN_BELOW.match(text, end)
        above = _TOWN_ABOVE.search(text, 0, span.start)
        for match in (below, above):
            if match and not any(is_english_word(w) for w in re.split(r"[\- ]", match.group(1)) if len(w) >= 4):
                postcode = _POSTCODE_REST.match(text, match.end(1))
                town_end = postcode.end(1) if postcode else match.end(1)
                found.append(Span("LOCATION", match.start(1), town_end, span.score, "capital_towns"))
    return found


# The rest of a town's line when it is a postcode, whatever OCR made of it ("BRAILSFORD DE6 2xXJ").
_POSTCODE_REST = re.compile(r"((?:[ ,]+(?=[^\s,]*\d)[^\s,]{2,4}){1,2})[.,]?[ \t]*$", re.MULTILINE)


def _pieces_end(text: str, end: int) -> int:
    """Where the address pieces that follow ``end`` on its line stop, at the latest where a sentence ends."""
    while not _ends_sentence(text, end) and (match := _PIECE_AFTER.match(text, end)):
        end = match.end()
    return end


def _ends_sentence(text: str, end: int) -> bool:
    """A full stop at ``end`` before a capitalised English word: "at 27989 Whitney Cliff. During 2004".

    An abbreviation's full stop goes on to a number or a name ("Apt. 397", "St. Albans").
    """
    after = _NEXT_SENTENCE.match(text, end - 1)
    return after is not None and is_english_word(after.group(1))


_NEXT_SENTENCE = re.compile(r"\. (" + UPPER + LOWER + r"+)\b")


def _opens_located_line(text: str, end: int, spans: list[Span]) -> bool:
    """Whether a location opens the line after ``end``'s: "Suite 060, South" then "Shawn, KY 07590"."""
    wrap = _LINE_WRAP.match(text, end)
    return wrap is not None and any(s.entity_type == "LOCATION" and s.start == wrap.end() for s in spans)


_LINE_WRAP = re.compile(r",?[ \t]*\n(?:> ?)*")


def _names_a_place(text: str, words: str, end: int) -> bool:
    """Words after an address that name its town, not the next column's label ("Suite 17, avenue X Emergency").

    Words that close a sentence are the town even when a dictionary knows them ("Causeway, Toi Toi."), and
    so are those before a region and its postcode ("96, Pellet, Grisons 1290").
    """
    return (
        text.startswith(tuple("?.!"), end)
        or _REGION_POSTCODE_AFTER.match(text, end) is not None
        or any(len(w) <= 2 or not is_english_word(w) for w in words.split())
    )


def _is_town(text: str, words: str, end: int) -> bool:
    """Words that name a town, not a label before its number ("Tel 6956 167 909")."""
    return _names_a_place(text, words, end) and not any(_is_no_name(w.strip(",")) for w in words.split())


def numbered_places(text: str, spans: list[Span]) -> list[Span]:
    """A name with only a house number or postcode beside it on its line is a street or a town.

    "Muhle 88", "8312 Johnson Dale", "Steiermark 3385": the model often calls the words a person
    (or finds the place without its number); the whole line part, number included, is a location.
    Names that open the line before it are the street's too ("Pedro de Valdivia 767" when the model
    found "Valdivia"), and a street found without its number takes the one opening the next line.
    After a preposition of place, the number may close a sentence ("side of Orrspelsv 7. Then"), or
    open one that the name closes ("side of 13 Faubourg Saint Honoré.").
    """
    found = []
    for span in spans:
        if span.entity_type not in ("PERSON", "LOCATION"):
            continue
        line_start = text.rfind("\n", 0, span.end) + 1
        start = max(span.start, line_start)
        after = _NUMBER_TO_LINE_END.match(text, span.end)
        if after and _are_street_names(text[line_start:start]):
            start = line_start
        if not after and _PLACE_PREPOSITION_BEFORE.search(text, max(0, span.start - 6), span.start):
            after = _NUMBER_CLOSING_SENTENCE.match(text, span.end)
        before = _NUMBER_FROM_LINE_START.search(text, text.rfind("\n", 0, span.start) + 1, span.start)
        if after:
            found.append(Span("LOCATION", start, after.end(1), span.score, "numbered_places"))
        if not before and _CLOSES_SENTENCE.match(text, span.end):
            before = _NUMBER_AFTER_PREPOSITION.search(text, max(0, span.start - 12), span.start)
        if before:
            end = text.find("\n", span.start, span.end)
            end = span.end if end < 0 else end
            found.append(Span("LOCATION", before.start(1), end, span.score, "numbered_places"))
        if _is_street_without_number(text, span) and (below := _NUMBER_OPENING_NEXT_LINE.match(text, span.end)):
            found.append(Span("LOCATION", span.start, below.end(1), span.score, "numbered_places"))
        elif below := _NUMBERED_TOWN_OPENING_NEXT_LINE.match(text, span.end):
            found.append(Span("LOCATION", start, below.end(1), span.score, "numbered_places"))
    return found


# A house number opening the next line, before words in small letters or the line's end: "rue de Vallélian" then
# "75 between nine and five"; not a year ("2019 was"), nor a phone's or a date's first digits.
_NUMBER_OPENING_NEXT_LINE = re.compile(
    r"[ \t]*\n[ \t]*(?!(?:19|20)\d\d\b)(\d{1,5}[A-Za-z]?)(?=[.,]?(?:[ \t]+" + LOWER + r"|[ \t]*$))", re.MULTILINE
)


# The house number, a postcode and a town opening the next line ("Gauselstraen" then "39, 4032 STAVANGER", or
# "39, SAXEN 4351."): the name before is a street, whatever the model took it for.
_NUMBERED_TOWN_OPENING_NEXT_LINE = re.compile(
    r"[ \t]*\n[ \t]*(\d{1,5}[A-Za-z]?, (?:\d{4,5} " + UPPER + r"[\w\-]+|" + UPPER + r"[\w\-]+ \d{4,5}))(?![\w\-])"
)


def _is_street_without_number(text: str, span: Span) -> bool:
    value = text[span.start : span.end]
    return span.entity_type == "LOCATION" and not any(c.isdigit() for c in value) and bool(STREET_WORD.search(value))


# The number ends the line, or the left column of an invoice before the right one's label ("Visoka 7b Due date:").
_NUMBER_TO_LINE_END = re.compile(
    r"[ ,]+(\d{1,6}[A-Za-z]?|\d{2}-\d{3})[.,]?(?:[ \t]*$|(?= " + UPPER + r"[a-z]*(?: [a-z]+)?:))",
    re.MULTILINE,
)
# After a preposition of place, a house number may close the sentence: "the north side of Orrspelsv 7. Then".
_PLACE_PREPOSITION = r"\b(?:at|on|in|of|to|from|near|via) "
_PLACE_PREPOSITION_BEFORE = re.compile(_PLACE_PREPOSITION + r"\Z")
_NUMBER_CLOSING_SENTENCE = re.compile(r"[ \t]+(?!(?:19|20)\d\d\b)(\d{1,5}[A-Za-z]?)(?=[.,;](?:[ \t]|$))", re.MULTILINE)
_NUMBER_FROM_LINE_START = re.compile(r"^[ \t]*(\d{1,6}[A-Za-z]?)[ ,]+$", re.MULTILINE)
# Or the number opens it after a preposition of place, the name closing the sentence: "the north side of 13
# Faubourg Saint Honoré."
_NUMBER_AFTER_PREPOSITION = re.compile(_PLACE_PREPOSITION + r"(\d{1,5}[A-Za-z]?) \Z")
# The first words of a street's name between a preposition and the rest the recognizers found: "at De Veurs"
# before "Comberg 251".
_STREET_HEAD = re.compile(
    _PLACE_PREPOSITION + r"((?:(?:[Dd]e|[Vv]an|[Dd]er|[Dd]en|[Ll]a|[Ll]e|[Dd]u|" + UPPER + r"[\w'’\-]+) ){1,2})\Z"
)


def street_heads(text: str, spans: list[Span]) -> list[Span]:
    """A street with its number, grown back over the words between it and a preposition of place.

    "Thabani at De Veurs Comberg 251": the recognizers take "Comberg 251"; the words before it, up to
    "at", name the street too (not a document word: "at Email Comberg 251").
    """
    found = []
    for span in spans:
        value = text[span.start : span.end]
        if span.entity_type != "LOCATION" or not value[:1].isupper() or not re.match(r"[^\n\d]+ \d", value):
            continue
        head = _STREET_HEAD.search(text, max(0, span.start - _STREET_HEAD_REACH), span.start)
        if head and not any(_is_no_name(w) for w in head.group(1).split()):
            found.append(Span("LOCATION", head.start(1), span.end, span.score, "street_heads"))
    return found


_STREET_HEAD_REACH = 40  # characters before a street where its first words may start
_CLOSES_SENTENCE = re.compile(r"[.;!?](?:[ \t]|$)", re.MULTILINE)
# Up to three capitalised words, a particle between them, before a numbered street's last name.
_NAMES_BEFORE = re.compile(
    r"(?:" + UPPER + r"[\w'’\-]+ (?:(?:de|del|da|do|dos|di|du|la|van|von|der|den|u|z|na) )?){1,3}"
)


def _are_street_names(words: str) -> bool:
    """Capitalised words that may begin a street's name, no label among them ("Total", "Invoice")."""
    return bool(_NAMES_BEFORE.fullmatch(words)) and not any(_is_no_name(w) for w in words.split())


# Types whose value is one unbroken token: a match that stops inside it is grown to the token's edges.
_ONE_TOKEN_TYPES = frozenset({"URL", "DOMAIN_NAME", "CRYPTO", "IP_ADDRESS", "EMAIL_ADDRESS", "IBAN_CODE"})
# A host's or a mailbox's first label with the space OCR reads after its dot ("mail. " of "mail. example.com"),
# the dot read as a semicolon ("files; example.com"), or www's as a colon ("www:example.com").
_LABEL_BEFORE_SPACE = re.compile(r"(?<![\w.\-])(?:[a-z]{3,5}://)?([a-z0-9][a-z0-9\-]*)(?:[.;] |(?<=www):)\Z")
# Hosts' usual first labels; any other that a dictionary knows ends a sentence ("see me. bob@x.org").
_HOST_LABELS = frozenset(
    "www mail portal app secure shop web api blog login my m en ftp admin support cdn files docs static media help"
    " status store cloud dev news jobs careers pay accounts".split()
)
_PHONE = "PHONE_NUMBER"
# A mailbox's first part with a space OCR read inside it: "katrinamorris1" of "katrinamorris1 5@fastmail.com".
_LOCAL_PART_BEFORE_SPACE = re.compile(r"(?<![\w.\-+@])([a-z0-9][\w.\-+]*) \Z")
# A mailbox whose host the line's end cut before its first dot: "ann@btintern" (then "et.com").
_MAILBOX_BEFORE_LINE = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]*\n\Z")
_LOCAL_PART_SCRAP = 2  # the longest rest of a mailbox OCR split off that is no mailbox of its own
_TOKEN_HEAD = re.compile(r"[\w.\-+]+\Z")
# "http: //": OCR reads a space after the colon; "https:/www", "https:/Awww": one slash lost or misread;
# "https:// mail.x.de": a space after the slashes
_SCHEME = re.compile(r"(?<![\w/])[a-z]{3,5}: ?//?(?:(?<=//) )?\Z")
_TOKEN_TAIL = re.compile(r"[^\s<>\"]*")
_CLOSING_PUNCTUATION = ".,;:!?)]'’\""
_URL_PIECE = re.compile(r">?[\w.\-/?=&%#~+:]+")  # its query's "?" read as ">"
_URL_TYPES = frozenset({"URL", "DOMAIN_NAME"})
# A URL ending inside a query's value ("?user=za", "&ref= vbhx7"), which a wrap or a space OCR read cut.
_IN_QUERY_VALUE = re.compile(r"[?&][\w\-]+= ?[\w\-]*\Z")
_MOST_PIECES = 10  # a long URL wrapped over lines and split by spaces OCR read in it
_ETHEREUM = re.compile(r"[0O]x\w+")
_ETHEREUM_LENGTH = 42
_BECH32_LENGTH = 62
_BECH32_LENGTHS = (42, _BECH32_LENGTH)  # a key hash's; a script's or a taproot key's
_BASE58_SHORTEST = 26
_BASE58_LENGTH = 35
_IBAN_START = re.compile(r"(?<![\w\-])[A-Z]{2}\d{2}[A-Z0-9]*(?=[ \n][A-Z0-9])")
_IBAN_PIECE = re.compile(r"[ \n]([A-Z0-9]+)(?![\w@.\-/]\w)")
_IBAN_LENGTH = 34
# A wallet's first piece as OCR reads it: a legacy address's ("39wgbZaTY") or a bech32 one's ("bclqfwes8x",
# "be1q58cm4"), where OCR reads a few digits or letters as capitals ("S" for 5, "I" for l); OCR may
# read a space after a legacy address's first digit ("1 BNgBtRqT").
_BITCOIN_START = re.compile(
    r"(?<![\w\-])(?:[13] ?(?=[0-9A-Za-z]*[a-z])(?=[0-9A-Za-z]*[A-Z])[0-9A-Za-z]{5,}|b[ce][1li][a-z0-9]{5,}[0-9A-Za-z]*)"
    r"(?=[ \n][0-9A-Za-z])"
)
_BECH32_START = re.compile(r"b[ce][1li]")
_WALLET_GLYPHS_CUT = 2  # the most glyphs of a wallet on the next line that need not look like its own
_BECH32_CAPITALS = 2  # capitals OCR may misread in a bech32 piece, which has none
_WALLET_PIECE = re.compile(r"[ \n]([0-9A-Za-z]+)(?![\w@.\-/]\w)")
_PHONE_DIGITS = 15
# A space OCR read in a URL's query: "?page=v1 &lang=en", "her? invite=x", "/tickets >user=x" ("?" read as ">").
_QUERY_AFTER_SPACE = re.compile(r"[?&]? (?=[&?#>][\w\-]+=)|(?:[?&]|(?<=[?&])) (?=[\w\-]+=)")
# A country code (and an area code) closing the line before a phone number: "+41\n(0)37 910 51 87", "+41 72\n834 75 17".
# A national number's area code, bare or in brackets ("call 0664\n577 07 11", "call me at (91)\n3936-3840"); a
# space read as a quote ("+353 89'921 7576").
_COUNTRY_CODE_BEFORE = re.compile(
    r"(?<![\w+])\+\d{1,3}(?: \d{1,4})?[\n'’]\Z|(?<![\w+.,:/\-])0\d{1,4}\n\Z|(?<![\w(])\([@O0o]?\d{1,3}\)\n\Z"
)
# What OCR read for a phone number's opening bracket and first digit, for the country code 1, or the country code
# and a group whose 1 it read as a letter: "(@99) 5268 2587", "+] 205-296-7450", "+54 I5 2150 5192".
_PHONE_GLYPHS_BEFORE = re.compile(r"(?<!\S)(?:[(\[]?[@O0oD]?|\+[\]|lI!] ?|\+\d{1,3} (?=[\dIl]*[Il])[\dIl]{1,4} )\Z")
# An extension whose number a line's end pushed to the next line: "025.688.4567 ext." then "77".
_EXTENSION_NEXT_LINE = re.compile(r"[ \t]+(?:ext\.?|x|extension)[ \t]*\n[ \t]*\d{1,5}\b", re.IGNORECASE)
_SUFFIX_REST = 3  # the most letters of an e-mail address's suffix that a line's end may carry to the next
_NATIONAL_DIGITS = 10  # a national number with fewer may have its last group on the next line
# An area code in brackets on the line above a phone number that opens its line, where a column's edge wrapped
# it and OCR read the next column into its line: "Rinoka Kakuta (partner) (029) NHS number: ..." then
# "1733-292". Not the first group of a number on its own line: "(196) 221-5078".
_AREA_CODE_ABOVE = re.compile(r"(?<![\w(])\([@O0o]?\d{1,3}\)(?![ \t]*\d{2,}[ \t\-]?\d)")
_LOCAL_DIGITS = 8  # the most digits of a phone number without its area code
# A phone number's last groups opening the next line: "729 03", "27"; nothing but closing punctuation after them.
_PHONE_GROUPS = re.compile(r"\d{1,4}(?:[ \-]\d{1,4})*(?=[.,;:!?)\]]*(?:\s|\Z))")


def complete_tokens(text: str, spans: list[Span]) -> list[Span]:
    """URLs, wallets, IP and e-mail addresses grown to the whole token, and over a line break that cut them.

    A pattern often stops inside the token OCR read ("https://mail.example.bi" of ".biz/about",
    "ra-allow.nl" of "app.montoyamora-allow.nl"), and a long URL or wallet wraps at the edge of a
    chat bubble or a column: its rest opens the next line. Phone numbers are taken over a line
    break after the country code or before the last group ("+34 698 66 78" then "27").
    """
    found = []
    for span in spans:
        if span.entity_type == _PHONE:
            found += _broken_phone(text, span)
            continue
        if span.entity_type not in _ONE_TOKEN_TYPES:
            continue
        head = _TOKEN_HEAD.search(text, 0, span.start)
        start = head.start() if head else span.start
        while (label := _LABEL_BEFORE_SPACE.search(text, 0, start)) and _is_host_label(label.group(1)):
            start = label.start()  # "www. grafgelb.com", "zackariya. baaqir@kothari.eu"
        entity_type = span.entity_type
        if entity_type == "EMAIL_ADDRESS" and (local := _LOCAL_PART_BEFORE_SPACE.search(text, 0, start)):
            start = local.start() if _is_cut_mailbox(local.group(1), text[start : text.find("@", start)]) else start
        if scheme := _SCHEME.search(text, 0, start):  # "http://203.0.113.9:8080/login" is a URL, not an address
            start, entity_type = scheme.start(), "URL"
        end = span.end + len(_TOKEN_TAIL.match(text, span.end).group(0))  # type: ignore[union-attr]
        while end > span.end and text[end - 1] in _CLOSING_PUNCTUATION:
            end -= 1
        if "@" not in text[start:end] and (mailbox := _MAILBOX_BEFORE_LINE.search(text, 0, start)):
            start, entity_type = mailbox.start(), "EMAIL_ADDRESS"  # "ann@btintern" then "et.com"
        for _ in range(_MOST_PIECES):
            rest = _continuation(text, entity_type, text[start:end], end)
            if rest is None:
                break
            end = rest
        if (start, end) != (span.start, span.end):
            found.append(Span(entity_type, start, end, span.score, "complete_tokens"))
        if entity_type == "EMAIL_ADDRESS" and (below := _suffix_below(text, text[start:end], end)):
            found.append(Span(entity_type, *below, span.score, "complete_tokens"))
    return found


def _suffix_below(text: str, value: str, end: int) -> tuple[int, int] | None:
    """The last letters of an e-mail address's suffix alone on the next line, when more text follows it on its own.

    A column too narrow for the address wraps it, and OCR reads the column beside it into the same
    line: "ann@outlook.co GP: Dr. Rao" then "m". The letters must complete a public suffix.
    """
    line_end = text.find("\n", end)
    if line_end < 0 or line_end == end:  # at the line's end, the letters carry the address on (_continuation)
        return None
    below = re.match(r"[ \t]*(\S+)[ \t]*(?:\n|\Z)", text[line_end + 1 :])
    label = value.rsplit(".", 1)[-1]
    if below is None or "@" not in value or not _is_cut_word(piece := below.group(1)):
        return None
    if not label.isalpha() or not is_public_suffix(label + piece):
        return None
    start = line_end + 1 + below.start(1)
    return start, start + len(piece)


# Where an Ethereum address opens as OCR reads it: "0x", "Ox", or its 0 read as two glyphs ("Q@x").
_ETHEREUM_START = re.compile(r"(?<!\S)(?:[0O]|\S?@)[xX](?=[0-9A-Za-z])")
# A piece of one: OCR reads some hex digits as other glyphs ("£" for f, "é" for 6).
_ETHEREUM_PIECE = re.compile(r"[ \n]?([^\s.,;:!?)\]'\"]+)")
_ETHEREUM_DIGITS = range(37, 44)  # 40 hex digits, give or take what OCR drops or adds
_ETHEREUM_HEX_SHARE = 0.85  # OCR reads a few hex digits as other letters (O, l, G)


def split_ethereum(text: str) -> list[Span]:
    """Ethereum addresses as OCR read them: cut into pieces ("0x380197 1ae8f3...e764019"), over a line, misread.

    From an ``0x`` (or ``Ox``), pieces separated by single spaces or a line break are taken up to
    a word of prose (no digit, in the dictionary): of the runs whose length fits and whose
    characters are nearly all hex digits, the one nearest 40 digits is the address.
    """
    found = []
    for start in _ETHEREUM_START.finditer(text):
        end, digits, fitting = start.end(), "", []
        while len(digits) < max(_ETHEREUM_DIGITS) and (piece := _ETHEREUM_PIECE.match(text, end)):
            word = piece.group(1)
            if end > start.end() and _is_prose(word):
                break
            end, digits = piece.end(), digits + word
            if len(digits) in _ETHEREUM_DIGITS and _hex_share(digits) >= _ETHEREUM_HEX_SHARE:
                fitting.append((abs(len(digits) - 40), end))
        if fitting:
            found.append(Span("CRYPTO", start.start(), min(fitting)[1], 0.9, "split_ethereum"))
    return found


def _hex_share(digits: str) -> float:
    return sum(c in string.hexdigits for c in digits) / max(1, len(digits))


# A piece of an IPv6 address as OCR reads it, with the glyphs it reads for hex digits ("O" for 0, "£" for f).
_IPV6_PIECE = re.compile(r"(?<![\w:.@/\-£])[0-9A-Fa-fOoIlS£:]+(?![\w@/\-£])")
_IPV6_GAP = re.compile(r" ?\n?|\n ?")
_HEX_MISREADS = str.maketrans("OoIlS£", "00115f")
_IPV6_LONGEST = 41  # eight groups of four and their colons, and a glyph OCR added
_IPV6_GROUPS = 3  # fewer is a time or a verse ("10:30", "3:16"), not an address


def split_ipv6(text: str) -> list[Span]:
    """IPv6 addresses OCR cut with a space or a line break anywhere ("1a:943 1:de1f:…", "…:C60B:1" then "DED:9F1D").

    Pieces of hex digits and colons, one space or line break apart, are joined; the longest run
    that reads as an address once OCR's usual slips are undone (``ipaddress`` decides) is one.
    A piece of prose (no digit or colon, in the dictionary) ends a run.
    """
    pieces = [m for m in _IPV6_PIECE.finditer(text) if ":" in m.group(0) or not _is_prose(m.group(0))]
    found, first = [], 0
    while first < len(pieces):
        longest, joined = None, pieces[first].group(0)
        for last in range(first, len(pieces)):
            if last > first:
                if not _IPV6_GAP.fullmatch(text, pieces[last - 1].end(), pieces[last].start()):
                    break
                joined += pieces[last].group(0)
            if len(joined) > _IPV6_LONGEST:
                break
            if _reads_as_ipv6(joined):
                longest = last
        if longest is None:
            first += 1
            continue
        found.append(Span("IP_ADDRESS", pieces[first].start(), pieces[longest].end(), 0.9, "split_ipv6"))
        first = longest + 1
    return found


def _is_prose(word: str) -> bool:
    return not any(c.isdigit() for c in word) and is_english_word(word)


def _reads_as_ipv6(joined: str) -> bool:
    value = joined.translate(_HEX_MISREADS)
    if len([group for group in value.split(":") if group]) < _IPV6_GROUPS:
        return False
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def split_bitcoin(text: str) -> list[Span]:
    """Bitcoin addresses OCR split into pieces over spaces and lines ("39wgbZaTY MY FQShUH2LUk", "zgEy7"), whole.

    From a piece that opens like an address (``1`` or ``3`` with digits and both cases, or ``bc1``,
    often read ``bcl``, ``bci`` or ``be1``, with at most a few capitals OCR misread), the next pieces are
    taken up to a word of prose and up to the longest address of its kind. A legacy address is
    taken at the length where its checksum holds, else whole if it fits; a bech32 one only at
    one of its two lengths.
    """
    found = []
    for start in _BITCOIN_START.finditer(text):
        bech32 = bool(_BECH32_START.match(start.group(0)))
        if bech32 and sum(c.isupper() for c in start.group(0)) > _BECH32_CAPITALS:
            continue
        longest = _BECH32_LENGTH if bech32 else _BASE58_LENGTH
        ends, joined, end = [], start.group(0).replace(" ", ""), start.end()
        while (piece := _WALLET_PIECE.match(text, end)) and len(joined + piece.group(1)) <= longest + 1:
            word = piece.group(1)
            if (not word.isupper() and _is_prose(word)) or (
                bech32 and sum(c.isupper() for c in word) > _BECH32_CAPITALS
            ):
                break
            end, joined = piece.end(), joined + word
            ends.append((end, joined))
        if bech32:
            fitting = [end for end, value in ends if min(abs(len(value) - n) for n in _BECH32_LENGTHS) <= 1]
        else:
            valid = [end for end, value in ends if _is_base58check(value)]
            fitting = valid or [end for end, value in ends if _is_base58_shaped(value)]
        if fitting:
            found.append(Span("CRYPTO", start.start(), fitting[-1], 0.9, "split_bitcoin"))
    return found


def split_ibans(text: str) -> list[Span]:
    """IBANs OCR split at other places than their groups of four ("GB65EZWG297 14094153653"), whole.

    From a country code and check digits, pieces of capitals and digits are taken over single
    spaces and line breaks; the longest run whose check digits hold (ISO 13616, mod 97) is the IBAN.
    """
    found = []
    for start in _IBAN_START.finditer(text):
        end, joined, longest = start.end(), start.group(0), None
        while (piece := _IBAN_PIECE.match(text, end)) and len(joined + piece.group(1)) <= _IBAN_LENGTH:
            end, joined = piece.end(), joined + piece.group(1)
            if _iban_check_digits_hold(joined):
                longest = end
        if longest is not None:
            found.append(Span("IBAN_CODE", start.start(), longest, 0.9, "split_ibans"))
    return found


# A card number's groups with a line break among them: "returned to card 4710 6296 7121" then "3600".
_BROKEN_CARD = re.compile(r"(?<![\d\-])\d{4}(?:[ \-]\d{2,6})*[ \t\-]*\n[ \t]*\d{2,6}(?:[ \-]\d{2,6})*(?![\d\-])")
_CARD_DIGITS = range(13, 20)


def split_cards(text: str) -> list[Span]:
    """Card numbers a line break cut, whole: 13 to 19 digits in groups whose Luhn check digit holds."""
    found = []
    for match in _BROKEN_CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) in _CARD_DIGITS and _luhn_holds(digits):
            found.append(Span("CREDIT_CARD", match.start(), match.end(), 0.9, "split_cards"))
    return found


def _luhn_holds(digits: str) -> bool:
    doubled = [int(d) * (2 if i % 2 else 1) for i, d in enumerate(reversed(digits))]
    return sum(d - 9 if d > 9 else d for d in doubled) % 10 == 0


def _iban_check_digits_hold(code: str) -> bool:
    rearranged = code[4:] + code[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _is_base58_shaped(value: str) -> bool:
    """A legacy address's length, with digits after its first as a random one has (names joined have none)."""
    joined = "".join(value.split())
    return _BASE58_SHORTEST <= len(joined) <= _BASE58_LENGTH and sum(c.isdigit() for c in joined[1:]) >= 2


def _is_base58check(value: str) -> bool:
    return bool(_crypto_recognizer().validate_result(value))


@cache
def _crypto_recognizer() -> CryptoRecognizer:
    return CryptoRecognizer()


def _broken_phone(text: str, span: Span) -> list[Span]:
    """A phone number whose country or area code closes one line, or whose last group opens the next.

    The last group is taken for an international number, or a national one short of ten digits.
    """
    start, end = span.start, span.end
    if code := _COUNTRY_CODE_BEFORE.search(text, 0, start):
        start = code.start()
    if glyphs := _PHONE_GLYPHS_BEFORE.search(text, 0, start):
        start = glyphs.start()
    if (rest := _continuation(text, _PHONE, text[start:end], end)) is not None:
        end = rest
    if extension := _EXTENSION_NEXT_LINE.match(text, end):
        end = extension.end()
    found = [Span(_PHONE, start, end, span.score, "complete_tokens")] if (start, end) != (span.start, span.end) else []
    return found + _area_code_above(text, replace(span, start=start, end=end))


def _area_code_above(text: str, span: Span) -> list[Span]:
    """The bracketed area code on the line above a phone number that opens its line without one."""
    line_start = text.rfind("\n", 0, span.start) + 1
    if line_start == 0 or text[line_start : span.start].strip() or text[span.start] in "(+":
        return []
    if sum(c.isdigit() for c in text[span.start : span.end]) > _LOCAL_DIGITS:
        return []
    codes = list(_AREA_CODE_ABOVE.finditer(text, text.rfind("\n", 0, line_start - 1) + 1, line_start - 1))
    return [Span(_PHONE, codes[-1].start(), codes[-1].end(), span.score, "complete_tokens")] if codes else []


def _is_cut_mailbox(head: str, rest: str) -> bool:
    """Whether ``head`` and ``rest``, a space apart before an "@", are one mailbox OCR split.

    ``rest`` is too short or too bare (digits, or a joiner first) to be a mailbox of its own, and
    ``head`` is no word of prose ("write to 5@x.com", "email me 15@x.com").
    """
    scrap = len(rest) <= _LOCAL_PART_SCRAP or rest.isdigit() or rest[:1] in "._-+"
    return scrap and not _is_prose(head.rstrip("._-+")) and head.lower() == head


def _is_host_label(label: str) -> bool:
    return label in _HOST_LABELS or not is_english_word(label)


def _continuation(text: str, entity_type: str, value: str, end: int) -> int | None:
    """The end of the next line's first token when it carries on ``value`` cut at a line's end.

    A wallet address is also carried on over a space on its own line, where OCR split it, and a
    URL over a space OCR read in its query ("?page=v1 &lang=en", "her? invite=x"); an e-mail
    address takes the last letters of its suffix.
    """
    query = _QUERY_AFTER_SPACE.match(text, end) if entity_type in _URL_TYPES else None
    if query:
        gap = query.end() - end
    elif text.startswith("\n", end) or (entity_type in ("CRYPTO", *_URL_TYPES) and text.startswith(" ", end)):
        gap = 1
    else:
        return None
    token = re.match(r"[^\s]+", text[end + gap :])
    if token is None:
        return None
    last_glyphs = entity_type == "CRYPTO" and text[end] == "\n"  # whatever OCR read them as ("9" as ")")
    if last_glyphs and len(token.group(0)) == _wallet_glyphs_short(value):
        return end + gap + len(token.group(0))
    piece = token.group(0).rstrip(_CLOSING_PUNCTUATION)
    if not piece:
        return None
    if entity_type == "CRYPTO":
        joins = piece.isalnum() and not is_english_word(piece) and _wallet_fits(value, piece)
    elif entity_type == "PHONE_NUMBER":  # its last groups: "+46 (0)8 078" then "729 03"
        if (groups := _PHONE_GROUPS.match(text, end + gap)) is None:
            return None
        piece = groups.group(0)
        digits = sum(c.isdigit() for c in value + piece)
        national = value.startswith(("0", "(0")) and sum(c.isdigit() for c in value) < _NATIONAL_DIGITS
        joins = (value.lstrip("(").startswith("+") or national) and digits <= _PHONE_DIGITS  # "(+46 (0)8 211 252"
    elif entity_type == "EMAIL_ADDRESS":  # its suffix's last letters: "ann@x.h" then "u", "ann@x.c" then "om"
        domain = value.rsplit("@", 1)[-1]
        cut = _is_cut_word(piece) or (piece.isalpha() and is_public_suffix(domain.rsplit(".", 1)[-1] + piece))
        joins = text.startswith("\n", end) and "." in domain and len(piece) <= _SUFFIX_REST and cut
    elif entity_type in _URL_TYPES:
        joins = _carries_url_on(value, piece, same_line=not query and text[end] == " ")
    else:
        joins = False
    return end + gap + len(piece) if joins else None


def _carries_url_on(value: str, piece: str, *, same_line: bool) -> bool:
    """Whether ``piece``, after a space or a line break, is more of the URL ``value``.

    It is when a joiner ties the two ("hot-start- total", "back- -meet-", "?token= vbhx7"), when it
    holds a query's pair ("&ref=x"). Over a line break only, a path ("/back"), the rest of a query's
    value ("?user=za" then "np152") or a few letters no dictionary knows ("accoun" then "t") carry
    it on too. A word of prose after a URL is no part of it ("x.org/ for").
    """
    if not _URL_PIECE.fullmatch(piece) or not any(c.isalnum() for c in piece):
        return False
    plain = piece.isalnum() and not is_english_word(piece)
    if value[-1] in "-_=&?#" or piece[0] in "-_=&?/.":  # not "#": a hashtag after a link
        return True
    if re.search(r"[?=&]", piece) or (not same_line and "/" in piece):
        return True
    if same_line:  # "https://www.venturi fr": the host's suffix, its dot read as a space
        return (value[-1] == "/" and plain and piece.islower()) or (
            _lacks_suffix(value) and is_public_suffix(piece) and not is_english_word(piece)
        )
    return (
        _is_cut_word(piece)
        or (_IN_QUERY_VALUE.search(value) is not None and plain)
        or (value[-1] in "/%" and (piece.islower() or piece.isdigit()) and plain)
        or _continues_cut_path(value, piece)
    )


# The first word of what a line's end cut from a URL's path: "ports" of "x.co/re" then "ports", "set-password".
_PATH_REST = re.compile(r"([a-z]+)[a-z0-9\-_#]*")
# A URL's path whose last segment a line's end cut: "https://x.co/careers/re", "x.co/members/0c".
_CUT_PATH = re.compile(r"\.[a-z]{2,}(?:/[^\s/]*)*/([a-z0-9\-_]+)\Z")
_SHORTEST_ID = 5  # letters and digits mixed in a path's identifier ("18fa8f"); "10am" or "2nd" is prose


def _continues_cut_path(value: str, piece: str) -> bool:
    """Whether ``piece``, opening the next line, is the rest of a URL's path that the line's end cut.

    It is when the two halves of its first word make a word ("re" and "ports", "set" and "tings", "re"
    and "set-password") or the half before the break is none, when it holds an anchor ("kee" then
    "p#section-2"), or an identifier's letters and digits ("0c" then "18fa8f").
    """
    cut, rest = _CUT_PATH.search(value), _PATH_REST.fullmatch(piece)
    if cut is None or (rest is None and not piece.isalnum()):
        return False
    head = cut.group(1)
    if "#" in piece[1:]:
        return True
    if any(c.isdigit() for c in piece) and any(c.isalpha() for c in piece) and len(piece) >= _SHORTEST_ID:
        return True
    if rest is None or not head.isalpha():
        return False
    joined = is_english_word(head + rest.group(1))
    return joined or (re.search(r"[\-_]", piece) is not None and not is_english_word(head))


def _lacks_suffix(url: str) -> bool:
    """Whether a URL cut short is its host's first labels only: "https://www.venturi", not "x.fr/a"."""
    host = re.sub(r"^[a-z]{3,5}: ?//?", "", url)
    return "/" not in host and "." in host and not is_public_suffix(host.rsplit(".", 1)[-1])


def _wallet_glyphs_short(value: str) -> int:
    """How many glyphs (one or two) an Ethereum or bech32 address lacks of its length, else 0."""
    joined = "".join(value.split())
    lengths: tuple[int, ...] = (_ETHEREUM_LENGTH,) if _ETHEREUM.fullmatch(joined) else ()
    lengths += _BECH32_LENGTHS if _BECH32_START.match(joined) else ()
    short = [n - len(joined) for n in lengths if 0 < n - len(joined) <= _WALLET_GLYPHS_CUT]
    return short[0] if short else 0


def _wallet_fits(value: str, piece: str) -> bool:
    """Whether ``piece`` completes a wallet address cut short without making it longer than its kind allows."""
    joined = "".join(value.split())
    length = len(joined + piece)
    if _ETHEREUM.fullmatch(joined):  # its pieces OCR split on the line before included
        return length <= _ETHEREUM_LENGTH and bool(re.fullmatch(r"[0-9A-Fa-f]+", piece))
    if _BECH32_START.match(value):
        return len(piece) >= 8 and length <= _BECH32_LENGTH
    return value[:1] in "13" and length <= _BASE58_LENGTH  # legacy and script addresses


def _is_cut_word(piece: str) -> bool:
    """A few letters or digits that no dictionary knows: the last letters of a word cut by the line's end."""
    if len(piece) > 3 or not piece.isalnum() or not piece.islower():
        return False
    return piece not in ("a", "i") if len(piece) == 1 else not is_english_word(piece)


def drop_allowed(text: str, spans: list[Span], allow_list: tuple[str, ...]) -> list[Span]:
    """Drop spans lying inside an occurrence of an allowed term (any case), such as the parts of an allowed e-mail."""
    allowed = [
        (m.start(), m.end())
        for term in allow_list
        if term.strip()
        for m in re.finditer(re.escape(term.strip()), text, re.IGNORECASE)
    ]
    return [s for s in spans if not any(a <= s.start and s.end <= b for a, b in allowed)]


def drop_contained_spans(spans: list[Span]) -> list[Span]:
    """Drop spans lying inside another one; a tie on range keeps the higher score."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end, -s.score))
    kept: list[Span] = []
    for span in ordered:
        if any(k.start <= span.start and span.end <= k.end for k in kept):
            continue
        kept.append(span)
    return kept
