"""Letter classes for the regular expressions that read names and places in any European script."""

from __future__ import annotations


def _letters(case: str) -> str:
    """Every letter of one case in the Latin, Greek and Cyrillic blocks, for a regex character class."""
    return "".join(c for c in map(chr, range(0x41, 0x530)) if c.isalpha() and getattr(c, f"is{case}")())


#: Capital and small letters beyond ASCII ("Łukasz", "Šimon", "Zoë"), as regex character classes.
UPPER_LETTERS = _letters("upper")
LOWER_LETTERS = _letters("lower")
UPPER = f"[{UPPER_LETTERS}]"
LOWER = f"[{LOWER_LETTERS}]"
