"""Our own Presidio recognizers for text read off documents: form labels, birth dates, ages, domains."""

from __future__ import annotations

import re

import tldextract
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

_DATE = (
    r"(?:\d{1,4}[./\- ]\d{1,2}[./\- ]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?[ \-]?(?:of )?[A-Za-z]{3,9}\.?,?[ \-]?\d{2,4}"
    r"|[A-Za-z]{3,9}\.?[ \-]\d{1,2}(?:st|nd|rd|th)?,?[ \-]?\d{2,4})"
)

# Form labels and the entity type of the value that follows them on the same line.
# Order matters: longer labels first, so "Date of birth" wins over "Date".
FIELD_LABELS: tuple[tuple[str, str], ...] = (
    ("DATE_OF_BIRTH", r"date\s+of\s+birth|birth\s*date|d\.?\s?o\.?\s?b\.?|born(?:\s+on)?"),
    ("US_SSN", r"social\s+security(?:\s+(?:no\.?|number|#))?|ssn"),
    ("US_PASSPORT", r"passport(?:\s+(?:no\.?|number|#))?"),
    ("US_DRIVER_LICENSE", r"driver'?s?\s+licen[cs]e(?:\s+(?:no\.?|number|#))?|licen[cs]e\s+(?:no\.?|number|#)|dl\s*(?:no\.?|#)"),
    ("CREDIT_CARD", r"(?:credit|debit)\s+card(?:\s+(?:no\.?|number|#))?|card\s+(?:no\.?|number|#)"),
    ("IBAN_CODE", r"iban"),
    ("US_BANK_NUMBER", r"(?:bank\s+)?account\s*(?:no\.?|number|#)|acct\.?\s*(?:no\.?|#)?"),
    ("EMAIL_ADDRESS", r"e-?mail(?:\s+address)?"),
    ("PHONE_NUMBER", r"(?:tele)?phone(?:\s+(?:no\.?|number|#))?|tel\.?|mobile|cell|fax"),
    (
        "LOCATION",
        r"(?:home\s+|mailing\s+|billing\s+|postal\s+|street\s+|shipping\s+)?address|city\s*/\s*state\s*/\s*zip"
        r"|ship\s+to|bill\s+to|residence",
    ),
    (
        "PERSON",
        r"(?:full\s+|first\s+|last\s+|given\s+|middle\s+|maiden\s+|patient'?s?\s+|customer\s+|account\s+holder'?s?\s+)?names?"
        r"|surname|patient|cardholder|account\s+holder|applicant|employee|insured|beneficiary|signed|ln|fn|attn\.?",
    ),
    ("AGE", r"age"),
)
_LABEL = re.compile(
    r"(?:^|(?<=[\s|]))(?:" + "|".join(f"(?P<g{i}>{pattern})" for i, (_, pattern) in enumerate(FIELD_LABELS)) + r")"
    r"\s*(?:[:#.\-]\s*|\s)",
    re.IGNORECASE,
)
# What a value must look like to be taken, per type (a digit for numbers, letters for names).
_VALUE_SHAPES = {
    "DATE_OF_BIRTH": re.compile(r"\d"),
    "US_SSN": re.compile(r"\d"),
    "US_PASSPORT": re.compile(r"\d"),
    "US_DRIVER_LICENSE": re.compile(r"\d"),
    "CREDIT_CARD": re.compile(r"\d"),
    "IBAN_CODE": re.compile(r"\d"),
    "US_BANK_NUMBER": re.compile(r"\d"),
    "EMAIL_ADDRESS": re.compile(r"@|\w\.\w"),
    "PHONE_NUMBER": re.compile(r"\d"),
    "LOCATION": re.compile(r"\w\w"),
    "PERSON": re.compile(r"^[A-ZÀ-Ý][\w'\-.]*"),
    "AGE": re.compile(r"^\d{1,3}\b"),
}


class LabelledFieldRecognizer(EntityRecognizer):
    """A value written after a form label (``Name:``, ``DOB``, ``Address``...) on the same line."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entities=sorted({entity for entity, _ in FIELD_LABELS}),
            name="LabelledFieldRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load: the labels are compiled at import."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Find label/value pairs line by line."""
        results: list[RecognizerResult] = []
        offset = 0
        for line in text.split("\n"):
            results.extend(r for r in _fields_in_line(line, offset) if r.entity_type in entities)
            offset += len(line) + 1
        return results


def _fields_in_line(line: str, offset: int) -> list[RecognizerResult]:
    matches = list(_LABEL.finditer(line))
    results = []
    for index, match in enumerate(matches):
        entity = next(FIELD_LABELS[int(name[1:])][0] for name, value in match.groupdict().items() if value)
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        value = line[match.end() : end].rstrip(" ,;|")
        start = match.end() + len(value) - len(value.lstrip(" :|"))
        value = value.lstrip(" :|")
        if not value or not _VALUE_SHAPES[entity].search(value):
            continue
        if entity == "AGE":
            value = _VALUE_SHAPES["AGE"].search(value).group(0)  # type: ignore[union-attr]
        if entity == "PERSON" and len(value.split()) > 5:
            continue
        results.append(
            RecognizerResult(
                entity,
                offset + start,
                offset + start + len(value),
                0.6,
                analysis_explanation=None,
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: "LabelledFieldRecognizer",
                    RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
                },
            )
        )
    return results


class DateOfBirthRecognizer(PatternRecognizer):
    """Dates written as someone's birth date in running text ("born on 3 May 1961")."""

    PATTERNS = [
        Pattern("born date", r"(?<=\bborn on )" + _DATE + r"|(?<=\bborn )" + _DATE, 0.6),
        Pattern("birthday is", r"(?<=birthday is )" + _DATE + r"|(?<=date of birth is )" + _DATE, 0.6),
    ]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="DATE_OF_BIRTH",
            patterns=self.PATTERNS,
            context=["born", "birth", "dob", "birthday"],
            supported_language=supported_language,
            name="DateOfBirthRecognizer",
        )


class AgeRecognizer(PatternRecognizer):
    """Ages: "41 year old", "aged 41", "41 yrs"."""

    PATTERNS = [
        Pattern("years old", r"\b\d{1,3}(?=[\s\-]*(?:years?|yrs?\.?|y/o)[\s\-]*old\b)", 0.6),
        Pattern("aged", r"(?<=\baged )\d{1,3}\b|(?<=\bage of )\d{1,3}\b", 0.6),
        Pattern("y/o", r"\b\d{1,3}(?=\s?(?:y/o|yo|yrs)\b)", 0.5),
    ]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="AGE",
            patterns=self.PATTERNS,
            context=["age", "aged", "old"],
            supported_language=supported_language,
            name="AgeRecognizer",
        )


# The bundled public-suffix snapshot: never fetched over the network.
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class DomainNameRecognizer(PatternRecognizer):
    """Domain names with a real public suffix, scored up by context words such as "website"."""

    PATTERNS = [Pattern("domain", r"\b(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b", 0.25)]
    CONTEXT = ["domain", "website", "site", "web", "visit", "www", "homepage", "hosted"]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="DOMAIN_NAME",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            supported_language=supported_language,
            name="DomainNameRecognizer",
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """Keep only names whose suffix is in the public suffix list."""
        parts = _OFFLINE_TLD(pattern_text)
        return bool(parts.domain and parts.suffix)


class TitledNameRecognizer(PatternRecognizer):
    """Names after a title or a letter's greeting/closing: "Dr. Ann Lee", "Dear Ann", "Sincerely,\\nAnn Lee"."""

    _NAME = r"[A-Z][a-zA-Z'\-]+(?: [A-Z]\.?)?(?: [A-Z][a-zA-Z'\-]+){0,2}"
    PATTERNS = [
        Pattern("title", r"(?<=\b(?:Mr|Ms|Dr)\. )" + _NAME + r"|(?<=\b(?:Mrs|Prof)\. )" + _NAME, 0.5),
        Pattern("title no dot", r"(?<=\b(?:Mr|Ms|Dr) )" + _NAME + r"|(?<=\b(?:Mrs|Miss|Prof) )" + _NAME, 0.5),
        Pattern("greeting", r"(?<=\bDear )" + _NAME + r"|(?<=\bHi )" + _NAME + r"|(?<=\bHello )" + _NAME, 0.45),
        Pattern(
            "closing",
            r"(?<=Sincerely,\n)" + _NAME + r"|(?<=Regards,\n)" + _NAME + r"|(?<=regards,\n)" + _NAME
            + r"|(?<=Thanks,\n)" + _NAME + r"|(?<=truly,\n)" + _NAME + r"|(?<=\n-- )" + _NAME + r"|(?<=\n--\n)" + _NAME,
            0.45,
        ),
    ]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="PERSON",
            patterns=self.PATTERNS,
            supported_language=supported_language,
            name="TitledNameRecognizer",
            global_regex_flags=re.MULTILINE,
        )


def our_recognizers(language: str) -> list[EntityRecognizer]:
    """Every recognizer this module defines, for one language."""
    return [
        LabelledFieldRecognizer(language),
        DateOfBirthRecognizer(language),
        AgeRecognizer(language),
        DomainNameRecognizer(language),
        TitledNameRecognizer(language),
    ]
