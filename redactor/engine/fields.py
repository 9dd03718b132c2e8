"""Form-field stage: values written after or under a label ("Name", "DOB", "Address"), from text and word boxes.

Presidio reads text; forms put values in columns and under their labels, which only the word
positions reveal. This stage is pure: it takes a page's words and returns character spans.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from redactor.engine.letters import UPPER, is_capitals_code
from redactor.engine.models import Box, PageText, Span, Word

FIELD_SCORE = 0.6
_TOWN_PART = r"(?:town|city|post\s*code|postal\s+code|zip(?:\s+code)?)"
# Labels and the entity type of their value. Longer alternatives first so "Date of birth" beats "Date".
FIELD_LABELS: tuple[tuple[str, str], ...] = (
    ("DATE_OF_BIRTH", r"date\s+of\s+birth|birth\s*date|d\.?\s?o\.?\s?b\.?|born(?:\s+on)?"),
    ("US_SSN", r"social\s+security(?:\s+(?:no\.?|number|#))?|ssn"),
    ("US_PASSPORT", r"passport(?:\s+(?:no\.?|number|#))?"),
    (
        "US_DRIVER_LICENSE",
        r"(?:driver'?s?|driving)\s+licen[cs]e(?:\s+(?:no\.?|number|#))?|licen[cs]e\s+(?:no\.?|number|#)|dl\s*(?:no\.?|#)"
        r"|(?-i:DL)(?=\s*:|\s*$)",
    ),
    ("CREDIT_CARD", r"(?:credit|debit)\s+card(?:\s+(?:no\.?|number|#))?|card\s+(?:no\.?|number|#)"),
    ("IBAN_CODE", r"iban"),
    ("CRYPTO", r"(?:(?:crypto|bitcoin|btc|eth|ethereum|payout)\s+)?(?:wallet|bitcoin|btc|crypto)(?:\s+address)?"),
    (
        "ID_NUMBER",
        r"id(?:\s+(?:no\.?|number|#))?|(?:identification|document|member|policy)\s+(?:no\.?|number|#)|no\.?(?=\s*$)",
    ),
    ("US_BANK_NUMBER", r"(?:bank\s+)?account\s*(?:no\.?|number|#)|acct\.?\s*(?:no\.?|#)?"),
    ("EMAIL_ADDRESS", r"e-?mail(?:\s+address)?"),
    ("PHONE_NUMBER", r"(?:tele)?phone(?:\s+(?:no\.?|number|#))?|tel\.?|mobile|cell|fax"),
    (
        "LOCATION",
        r"(?:home\s+|mailing\s+|billing\s+|postal\s+|street\s+|shipping\s+)?address"
        r"|ship(?:ped)?\s+to|bill(?:ed)?\s+to|sold\s+to|residence"
        # a town's fields in one ("City / State / ZIP", "City, postal code"), or one of them before a colon
        r"|" + _TOWN_PART + r"(?:\s*[/,]\s*(?:" + _TOWN_PART + r"|state|region|province|county)){1,3}"
        r"|(?:" + _TOWN_PART + r")(?=\s*:)",
    ),
    (
        "PERSON",
        r"(?:full\s+|first\s+|last\s+|given\s+|middle\s+|maiden\s+|preferred\s+|nick"
        r"|(?:patient|customer|applicant|employee|cardholder|member|client|guardian|spouse|owner)'?s?\s+)?names?"
        r"|alias|known\s+as"
        r"|surname|patient|cardholder|account\s+holder|applicant|employee|insured|beneficiary|ln|fn|attn\.?"
        r"|(?:hr\s+)?representative|(?:line\s+)?manager|supervisor|guardian|next\s+of\s+kin|emergency\s+contact"
        r"|(?:signed|approved|prepared|verified|reviewed)\s+by"
        r"|(?:from|to|cc|bcc)(?=\s*:)",
    ),
    ("AGE", r"age(?:\s*\((?:years?|yrs)\))?"),  # "Age (years): 37"
)
_LABEL = re.compile(
    r"(?<![\w'])(?:" + "|".join(f"(?P<g{i}>{pattern})" for i, (_, pattern) in enumerate(FIELD_LABELS)) + r")"
    r"(?P<colon>\s*[:#]|(?=\s|$))",
    re.IGNORECASE,
)
# A digit that is no letter misread ("R6za", "Szab6"): one not right after a letter, as in "1959" or "A12".
_NUMBER_DIGIT = r"(?<![^\W\d_])\d"
# Small words inside a name, that may open a surname: "van Beers", "de la Cruz".
_NAME_PARTICLES = r"(?:van|von|de|der|den|da|di|del|du|dos|la|le|bin|al)"
# What a value must look like to be taken, per type.
_VALUE_SHAPES = {
    "DATE_OF_BIRTH": re.compile(r"\d|\w\s+\w"),  # or a date OCR garbled into words ("Boyd ote ee"), not "unknown"
    "US_SSN": re.compile(r"(?<![£$€\d.,])\d{3}[ \-]?\d{2}[ \-]?\d{4}(?!\d)"),
    "US_PASSPORT": re.compile(r"\d"),
    "US_DRIVER_LICENSE": re.compile(r"\d|[A-Z]{8}"),
    "CREDIT_CARD": re.compile(r"\d"),
    "IBAN_CODE": re.compile(r"\d"),
    "CRYPTO": re.compile(r"(?=\w*\d)\w{6,}"),
    "ID_NUMBER": re.compile(r"\d"),
    "US_BANK_NUMBER": re.compile(r"\d"),
    "EMAIL_ADDRESS": re.compile(r"@|\w\.\w"),
    "PHONE_NUMBER": re.compile(r"\d"),
    "LOCATION": re.compile(r"\w\w"),
    "PERSON": re.compile(r"^(?:" + _NAME_PARTICLES + r"\s+){0,2}" + UPPER + r"(?!.*[@<])(?!.*" + _NUMBER_DIGIT + r")"),
    # Or two digits OCR garbled into a capital or a sign ("Age: ay?", "Age: YA"); not "twenty", "N/A" nor prose's "is".
    "AGE": re.compile(r"^\d{1,3}(?:y|yo|yrs)?$|^(?!(?i:na|no|yes|old|any|all)\b)(?=.*[A-Z?@])[^\W\d_][\w?@]{1,2}$"),
}
# Types whose value is a number: words before its first digit and after its last are no part of it.
_NUMBER_TYPES = frozenset(
    "US_SSN US_PASSPORT US_DRIVER_LICENSE CREDIT_CARD IBAN_CODE CRYPTO ID_NUMBER US_BANK_NUMBER PHONE_NUMBER".split()
)


def _is_number_word(word: str, entity_type: str) -> bool:
    """Whether a word is part of a number value: it holds a digit, or it is a driver's licence of capitals.

    A piece of a wallet may hold letters only, in both cases ("WZpV" of "JUkro4tdR 9B3qR ... WZpV").
    """
    if re.search(r"\d", word):
        return True
    if entity_type == "CRYPTO":
        return word.isalnum() and not word.isupper() and not word.islower() and not word.istitle()
    return entity_type == "US_DRIVER_LICENSE" and is_capitals_code(word.rstrip(".,;"))


# What may follow a name's first word: capitalised words, initials, particles and "and" (a list of names).
_NAME_PART = re.compile(r"(?:" + UPPER + r"[\w'’\-]*|" + UPPER + r"\.?|" + _NAME_PARTICLES + r"|and|&)[.,]?")
# What ends a name: an e-mail address or a number.
_NAME_END = re.compile(r"[<@]|" + _NUMBER_DIGIT)
_MAX_WORDS = {"PERSON": 5, "LOCATION": 10, "AGE": 1, "DATE_OF_BIRTH": 4, "EMAIL_ADDRESS": 2, "IBAN_CODE": 9}
_DEFAULT_MAX_WORDS = 5
# A line this short that ends with a label is that label, qualified ("Current age").
_QUALIFIED_LABEL_WORDS = 3
# A horizontal gap wider than this many text heights separates two columns.
_COLUMN_GAP = 1.5
# An address value runs on over the lines right under it, up to this many lines in all.
_ADDRESS_LINES = 3
# A line that carries an address on is printed at least this share of its height: an id card's next label is smaller.
_SAME_SIZE = 0.85
# Each further line of an address keeps the spacing of the first two, give or take this share (OCR boxes rise and
# fall with the letters: "3 Z.XOLIL" then "Sumqayıt").
_SAME_SPACING = 1.3
# A date or a month is no part of an address ("Mar 10, 2019" under it on an id card).
_DATE_LIKE = re.compile(
    r"\d{1,4}[./\-]\d{1,2}[./\-]\d{2,4}|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Label:
    entity_type: str
    start: int
    end: int
    box: Box
    strong: bool


@dataclass(frozen=True)
class _Line:
    indices: tuple[int, ...]

    def words(self, page: PageText) -> list[Word]:
        return [page.words[i] for i in self.indices]


def find_field_values(page: PageText) -> list[Span]:
    """Spans of values that follow a label on its line (or across its row), or sit under it in the next row."""
    lines = _lines(page)
    label_ranges = [(label.start, label.end) for line in lines for label in _labels(page, line)]
    spans: list[Span] = []
    for line_number, line in enumerate(lines):
        labels = _labels(page, line)
        for index, label in enumerate(labels):
            if not label.strong:
                continue
            limit = labels[index + 1].start if index + 1 < len(labels) else page.spans[line.indices[-1]][1]
            beside = _value_on_line(page, line, label, limit)
            column = page.words[_word_at(page, line, beside[0])].box.x0 if beside else None
            below = _value_below(page, lines[line_number + 1 :], label, label_ranges, column)
            far = beside is None or (_is_far(page, line, label) and not _is_address(page, beside, label, below))
            value = below if below and far else beside
            if value is None and _is_whole_line(page, line, label):
                value = _value_across(page, lines, label)
            if value is not None and not _holds_label(value, label_ranges):
                spans.append(Span(label.entity_type, value[0], value[1], FIELD_SCORE, "form_field"))
                if label.entity_type == "LOCATION":
                    below_value = _address_lines_below(page, lines, value, label, label_ranges)
                    spans += [Span("LOCATION", start, end, FIELD_SCORE, "form_field") for start, end in below_value]
    return spans


def _address_lines_below(
    page: PageText, lines: list[_Line], value: tuple[int, int], label: _Label, label_ranges: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The lines under an address value that carry it on: "29 Jameson Street" then "Declan Ville, Louth E94 Y3TA".

    Such a line starts where the value starts, right below it and at the same line spacing, in its
    size, with no label on it, no date in it and not as prose: an id card's next field ("ISS" in
    smaller capitals, then its date) or a section's heading further down ends the address, and so
    does a table's next row, a word under the label before it ("Nationality   Liberian").
    """
    first = next(i for i, (start, _) in enumerate(page.spans) if start == value[0])
    number = next(n for n, line in enumerate(lines) if any(page.spans[i][1] == value[1] for i in line.indices))
    words = [i for i in lines[number].indices if _inside(page, i, value)]
    left, size, capitals = page.words[first].box.x0, _median_height(page, words), _capital_height(page, words)
    top, bottom, spacing = page.words[words[0]].box.y0, max(page.words[i].box.y1 for i in words), None
    found: list[tuple[int, int]] = []
    for line in lines[number + 1 : number + _ADDRESS_LINES]:
        aligned = [i for i in line.indices if abs(page.words[i].box.x0 - left) <= size // 2]
        line_range = (page.spans[line.indices[0]][0], page.spans[line.indices[-1]][1])
        if not aligned or _holds_label(line_range, label_ranges) or _starts_under(page, line, label, aligned[0]):
            break
        run = _run_from(page, list(line.indices[line.indices.index(aligned[0]) :]), "LOCATION")
        if run is None:
            break
        words = [i for i in line.indices if _inside(page, i, run)]
        line_top = min(page.words[i].box.y0 for i in words)
        if (
            line_top - bottom > size
            or (spacing is not None and line_top - top > _SAME_SPACING * spacing)
            or _capital_height(page, words) < _SAME_SIZE * capitals
            or _DATE_LIKE.search(page.text[slice(*run)])
            or _reads_as_prose(page.text[slice(*run)])
        ):
            break
        spacing, top, bottom = line_top - top, line_top, max(page.words[i].box.y1 for i in words)
        found.append(run)
    return found


def _starts_under(page: PageText, line: _Line, label: _Label, value_word: int) -> bool:
    """Whether the line has a word under the label, left of where the value's line starts."""
    before = line.indices[: line.indices.index(value_word)]
    return any(abs(page.words[i].box.x0 - label.box.x0) <= label.box.height for i in before)


def _reads_as_prose(text: str) -> bool:
    """Half its words or more in small letters: "He lives on the north side of", not "Kostelec nad Cernymi Lesy"."""
    words = text.split()
    return 2 * sum(w[:1].islower() for w in words) >= len(words)


def _inside(page: PageText, index: int, span: tuple[int, int]) -> bool:
    return span[0] <= page.spans[index][0] and page.spans[index][1] <= span[1]


def _median_height(page: PageText, indices: list[int]) -> int:
    heights = sorted(page.words[i].box.height for i in indices)
    return heights[len(heights) // 2]


def _capital_height(page: PageText, indices: list[int]) -> int:
    """The print's size from its capitals and figures: "96749" is as tall as "1492", shorter than "Keaau,"."""
    capped = [i for i in indices if any(c.isupper() or c.isdigit() for c in page.words[i].text)]
    return min(page.words[i].box.height for i in capped) if capped else _median_height(page, indices)


def _lines(page: PageText) -> list[_Line]:
    lines: list[list[int]] = []
    for index, word in enumerate(page.words):
        if lines and page.words[lines[-1][-1]].line_key == word.line_key:
            lines[-1].append(index)
        else:
            lines.append([index])
    return [_Line(tuple(indices)) for indices in lines]


def _labels(page: PageText, line: _Line) -> list[_Label]:
    first, last = line.indices[0], line.indices[-1]
    line_start, line_end = page.spans[first][0], page.spans[last][1]
    text = page.text[line_start:line_end]
    labels = []
    for match in _LABEL.finditer(text):
        name = next(key for key, value in match.groupdict().items() if value is not None and key != "colon")
        start, end = line_start + match.start(), line_start + match.end()
        covered = [i for i in line.indices if page.spans[i][0] < end and start < page.spans[i][1]]
        if _is_qualified(page, line, covered):
            covered = list(line.indices)
        box = page.words[covered[0]].box
        for i in covered[1:]:
            box = box.union(page.words[i].box)
        at_line_start = all(not _has_alnum(page.words[i].text) for i in line.indices if i < covered[0])  # "[ Name"
        after_gap = covered[0] != first and _gap_before(page, covered[0]) > _COLUMN_GAP * box.height
        strong = at_line_start or after_gap or bool(match.group("colon").strip())
        labels.append(_Label(FIELD_LABELS[int(name[1:])][0], start, end, box, strong))
    return labels


def _has_alnum(text: str) -> bool:
    """Whether a word holds a letter or a digit: a form box's edge that OCR reads before a label ("[", "|") does not."""
    return any(c.isalnum() for c in text)


def _is_qualified(page: PageText, line: _Line, covered: list[int]) -> bool:
    """Whether the label ends a short line of its own that a word or two qualify: "Current age", "Legal guardian"."""
    first, last = line.indices[0], line.indices[-1]
    return (
        covered[-1] == last
        and covered[0] != first
        and len(line.indices) <= _QUALIFIED_LABEL_WORDS
        and all(_gap_before(page, i) <= _COLUMN_GAP * page.words[i].box.height for i in line.indices[1:])
    )


def _gap_before(page: PageText, index: int) -> int:
    return page.words[index].box.x0 - page.words[index - 1].box.x1


def _run_from(page: PageText, indices: list[int], entity_type: str) -> tuple[int, int] | None:
    """The words from the first index up to a column gap, if they look like a value of this type."""
    if not indices:
        return None
    run = [indices[0]]
    for index in indices[1:]:
        height = max(page.words[index].box.height, page.words[run[-1]].box.height)
        if _gap_before(page, index) > _COLUMN_GAP * height:
            break
        run.append(index)
    if entity_type == "PERSON":
        run = list(itertools.takewhile(lambda i: not _NAME_END.search(page.words[i].text), run)) or run[:1]
    run = _before_next_label(page, _to_sentence_end(page, run))
    if entity_type == "PERSON":
        run = _name_words(page, run)
    if entity_type in _NUMBER_TYPES:
        digits = [position for position, i in enumerate(run) if _is_number_word(page.words[i].text, entity_type)]
        run = run[digits[0] : digits[-1] + 1] if digits else []
    if not run:
        return None
    run = run[: _MAX_WORDS.get(entity_type, _DEFAULT_MAX_WORDS)]
    start, end = page.spans[run[0]][0], page.spans[run[-1]][1]
    value = page.text[start:end]
    if entity_type == "AGE":
        end = start + len(value.split()[0])
        value = value.split()[0]
    return (start, end) if _VALUE_SHAPES[entity_type].search(value) else None


def _name_words(page: PageText, run: list[int]) -> list[int]:
    """The run's first word and the name parts after it: not "on", "(son)", nor a degree after a comma ("Lee, MBBS")."""
    kept = run[:1]
    for index in run[1:]:
        word, before = page.words[index].text, page.words[kept[-1]].text
        if not _NAME_PART.fullmatch(word) or (word.isupper() and before.endswith(",")):
            break
        kept.append(index)
    return kept


def _to_sentence_end(page: PageText, run: list[int]) -> list[int]:
    """The run up to the end of its sentence: "503 Brendan Trafficway. Unlike the" stops at the full stop."""
    for position, (index, following) in enumerate(itertools.pairwise(run)):
        word, after = page.words[index].text, page.words[following].text
        if word[-1] in ".?!" and len(word.rstrip(".?!")) >= 3 and after[:1].isupper():
            return run[: position + 1]
    return run


def _before_next_label(page: PageText, run: list[int]) -> list[int]:
    """The run cut before the next label: a word ending in a colon and the word before it ("Routing number:")."""
    for position, index in enumerate(run):
        if position and page.words[index].text.endswith(":"):
            kept = run[:position]
            return kept[:-1] if page.words[kept[-1]].text.isalpha() else kept
    return run


def _value_on_line(page: PageText, line: _Line, label: _Label, limit: int) -> tuple[int, int] | None:
    after = [i for i in line.indices if page.spans[i][0] >= label.end and page.spans[i][1] <= limit]
    after = [i for i in after if any(c.isalnum() for c in page.words[i].text)]  # not ":", "|" nor a blank's "__"
    return _run_from(page, after, label.entity_type)


def _is_whole_line(page: PageText, line: _Line, label: _Label) -> bool:
    """Whether the label is all its line holds, a colon aside."""
    line_end = page.spans[line.indices[-1]][1]
    return page.spans[line.indices[0]][0] == label.start and not page.text[label.end : line_end].strip(" :")


def _value_across(page: PageText, lines: list[_Line], label: _Label) -> tuple[int, int] | None:
    """The value in the line OCR read apart from the label's, to its right on the same row: a form's values column."""
    beside = [
        line
        for line in lines
        if label.box.x1 < (first := line.words(page)[0].box).x0
        and label.box.y0 <= (first.y0 + first.y1) / 2 <= label.box.y1
    ]
    if not beside:
        return None
    nearest = min(beside, key=lambda line: page.words[line.indices[0]].box.x0)
    return _run_from(page, list(nearest.indices), label.entity_type)


# What ends a label before its value: "Number: INV-94923", "Invoice # INV-86360" (not "Apt #4").
_LABEL_MARK = re.compile(r":|#\s")


def _is_address(page: PageText, beside: tuple[int, int], label: _Label, below: tuple[int, int] | None) -> bool:
    """Whether an address label's value across a column gap is its own: it has a number, the row below none.

    "City / State / ZIP     Bussum, 1404 JM" over "Nationality     Liberian": the next row's label is no address.
    """
    number, value = re.compile(r"\d"), page.text[slice(*beside)]
    return (
        label.entity_type == "LOCATION"
        and bool(number.search(value))
        and not _LABEL_MARK.search(value)  # the next column's label and value: "Bill to:   Invoice # INV-94923"
        and not (below and number.search(page.text[slice(*below)]))
    )


def _is_far(page: PageText, line: _Line, label: _Label) -> bool:
    """Whether the next word on the label's line stands a column away from it."""
    after = [i for i in line.indices if page.spans[i][0] >= label.end]
    return bool(after) and _gap_before(page, after[0]) > _COLUMN_GAP * label.box.height


def _is_table_row(page: PageText, line: _Line, start: int, column: int, label_ranges: list[tuple[int, int]]) -> bool:
    """Whether the row from its ``start``-th word is a label, then a value starting in ``column``."""
    words = line.words(page)
    height = words[start].box.height
    in_column = [k for k in range(start + 1, len(words)) if abs(words[k].box.x0 - column) <= 1.5 * height]
    if not in_column:
        return False
    cell_start, cell_end = page.spans[line.indices[start]][0], page.spans[line.indices[in_column[0] - 1]][1]
    return _holds_label((cell_start, cell_end), label_ranges)


def _holds_label(span: tuple[int, int], label_ranges: list[tuple[int, int]]) -> bool:
    """Whether the character range ``span`` overlaps a label."""
    return any(s < span[1] and span[0] < e for s, e in label_ranges)


def _word_at(page: PageText, line: _Line, start: int) -> int:
    return next(i for i in line.indices if page.spans[i][0] == start)


def _value_below(
    page: PageText,
    following: list[_Line],
    label: _Label,
    label_ranges: list[tuple[int, int]],
    column: int | None,
) -> tuple[int, int] | None:
    """The value in the next row down that starts under the label.

    A row that holds a label, then words in ``column`` (where the value beside the label starts), is
    the next row of a table of labels and values ("Nickname  God" over "ETH address  0x65..."): no value.
    """
    height = label.box.height
    for line in following[:4]:
        words = line.words(page)
        aligned = [i for i, w in zip(line.indices, words, strict=True) if abs(w.box.x0 - label.box.x0) <= 1.5 * height]
        # the top under the label, not the line's: a skewed page's line rises or falls across it
        top = min((page.words[i].box.y0 for i in aligned), default=min(w.box.y0 for w in words))
        if top <= label.box.y0 + height // 2:
            continue
        if top - label.box.y1 > 2.5 * height:
            return None
        if aligned:
            first = aligned[0]
            if page.words[first].text.endswith(":") or _holds_label(page.spans[first], label_ranges):
                return None
            start = line.indices.index(first)
            if column is not None and _is_table_row(page, line, start, column, label_ranges):
                return None
            return _run_from(page, list(line.indices[start:]), label.entity_type)
    return None
