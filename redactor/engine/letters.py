"""Letter classes for the regular expressions that read names and places in any European script."""

from __future__ import annotations

import re


def _letters(case: str) -> str:
    """Every letter of one case in the Latin, Greek and Cyrillic blocks, for a regex character class."""
    return "".join(c for c in map(chr, range(0x41, 0x530)) if c.isalpha() and getattr(c, f"is{case}")())


#: Capital and small letters beyond ASCII ("Łukasz", "Šimon", "Zoë"), as regex character classes.
UPPER_LETTERS = _letters("upper")
LOWER_LETTERS = _letters("lower")
UPPER = f"[{UPPER_LETTERS}]"
LOWER = f"[{LOWER_LETTERS}]"

# A code of capitals only, as some US states issue driving licences ("JKGASHLWJZGQ", "OWUIFDVZCUOD"): long,
# and with too few vowels to be a word in capitals ("SUSPENDED", "NOTAPPLICABLE"), or five consonants in a
# row as no such word has them.
_CAPITALS_CODE = re.compile(r"[A-Z]{8,}")
_WORD_VOWELS = 1 / 3
_CONSONANT_RUN = re.compile(r"[B-DF-HJ-NP-TV-XZ]{5}")


def is_capitals_code(word: str) -> bool:
    """Whether ``word`` is a code of eight capitals or more that cannot be a word: too short of vowels."""
    return bool(_CAPITALS_CODE.fullmatch(word)) and (
        sum(c in "AEIOUY" for c in word) < _WORD_VOWELS * len(word) or bool(_CONSONANT_RUN.search(word))
    )
