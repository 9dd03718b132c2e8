"""Our own Presidio recognizers for text read off documents: form labels, birth dates, ages, domains."""

from __future__ import annotations

import re

import tldextract
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer

_DATE = (
    r"(?:\d{1,4}[./\- ]\d{1,2}[./\- ]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?[ \-]?(?:of )?[A-Za-z]{3,9}\.?,?[ \-]?\d{2,4}"
    r"|[A-Za-z]{3,9}\.?[ \-]\d{1,2}(?:st|nd|rd|th)?,?[ \-]?\d{2,4})"
)


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
        DateOfBirthRecognizer(language),
        AgeRecognizer(language),
        DomainNameRecognizer(language),
        TitledNameRecognizer(language),
    ]
