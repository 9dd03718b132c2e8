"""Geometry stage: words to text with exact offsets, and character spans back to pixel boxes."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from itertools import groupby, pairwise

import numpy as np

from redactor.engine.models import Box, PageText, Word

# Growing a span's box over its word's ink (see grow_to_ink). Tesseract's boxes leave out faint ink
# (a blurred descender, an i's dot) and the rest of a word it split or did not read to the end (a
# URL's tail left unread, "12/" and "0/2025" read in two blocks).
_INK_SHARE = 1 / 3  # of the way from the background to the word's core ink: a pixel this dark is ink
_CORE_SHARE = 1 / 2  # the same for the letters' cores, whose gaps blur does not close: sideways growth
_CORE_INK = 5  # percentile of the box's pixels taken for its ink's grey
_INK_CONTRAST = 40  # grey levels between background and ink below which a box holds no ink to follow
_LETTER_GAP = 1 / 3  # of a box's height: a gap in the ink this wide or wider is no gap between letters
_INK_REACH = 0.5  # of a box's height: the farthest its top or bottom grows (descenders, accents, dots)
_BODY_ROWS = 16  # a row of a box with a sixteenth of its busiest row's ink or more may be in the line's body
_RULE = 2  # box heights: ink running level this far is a rule or a bar, not letters


def build_page_text(words: list[Word] | tuple[Word, ...]) -> PageText:
    """Join words with spaces and lines with newlines, recording each word's character range."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    ordered: list[Word] = []
    for line_index, (_, line_words) in enumerate(groupby(words, key=lambda w: w.line_key)):
        if line_index:
            parts.append("\n")
            position += 1
        for word_index, word in enumerate(line_words):
            if word_index:
                parts.append(" ")
                position += 1
            parts.append(word.text)
            spans.append((position, position + len(word.text)))
            position += len(word.text)
            ordered.append(word)
    return PageText("".join(parts), tuple(ordered), tuple(spans))


def word_box_for_chars(word: Word, start: int, end: int) -> Box:
    """Box covering characters ``start:end`` of a word, never less than those characters.

    Glyph widths vary, so the estimate from an even split is widened by one average character
    on each cut side; a cut that keeps most of the word covers the whole word.
    """
    length = len(word.text)
    if start <= 0 and end >= length:
        return word.box
    char_width = word.box.width / length
    x0 = word.box.x0 if start <= 0 else round(word.box.x0 + (start - 1) * char_width)
    x1 = word.box.x1 if end >= length else round(word.box.x0 + (end + 1) * char_width)
    return Box(max(word.box.x0, x0), word.box.y0, min(word.box.x1, x1), word.box.y1)


@dataclass(frozen=True)
class LinePiece:
    """A span's box on one OCR line, and whether it starts and ends with whole words there (punctuation aside)."""

    box: Box
    whole_start: bool
    whole_end: bool
    line_key: tuple[int, int, int]


def span_pieces(page: PageText, start: int, end: int) -> list[LinePiece]:
    """One piece per OCR line that the character range ``start:end`` touches."""
    per_line: dict[tuple[int, int, int], LinePiece] = {}
    for word, (word_start, word_end) in zip(page.words, page.spans, strict=True):
        if word_end <= start or word_start >= end:
            continue
        head, tail = word.text[: max(0, start - word_start)], word.text[max(0, end - word_start) :]
        piece = LinePiece(
            word_box_for_chars(word, start - word_start, end - word_start),
            _no_letters(head),
            _no_letters(tail),
            word.line_key,
        )
        key = word.line_key
        if key in per_line:
            first = per_line[key]
            piece = LinePiece(first.box.union(piece.box), first.whole_start, piece.whole_end, key)
        per_line[key] = piece
    return list(per_line.values())


def _no_letters(text: str) -> bool:
    """Whether a word's part left out of a span is empty or punctuation ("pass." of a URL ending "pass")."""
    return not any(c.isalnum() for c in text)


def word_gap(words: tuple[Word, ...] | list[Word]) -> float | None:
    """The page's usual gap between neighbouring words of a line (None with no two words on a line)."""
    gaps = [b.box.x0 - a.box.x1 for a, b in pairwise(words) if a.line_key == b.line_key and b.box.x0 > a.box.x1]
    return statistics.median(gaps) if gaps else None


def line_height(words: tuple[Word, ...] | list[Word]) -> float | None:
    """The page's usual word height (None with no word)."""
    return statistics.median(w.box.height for w in words) if words else None


def grow_to_ink(
    piece: LinePiece,
    grey: np.ndarray,
    *,
    word_gap: float | None,
    words: tuple[Word, ...],
    line_height: float | None = None,
) -> Box:
    """A piece's box grown over the ink of its words in ``grey`` (a page, dark or light ink).

    Sideways, at a whole word's end, while the ink runs on with gaps narrower than half the page's
    ``word_gap`` (and a third of the box's height): a word's letters Tesseract left unread or read
    apart. Then up and down over ink joined to the box's, by half its height at most, or half the
    page's ``line_height`` when the box is taller (OCR's box of two lines' words): faint descenders
    and dots. Never into another of the page's ``words`` (one nearer than a letter's gap is a piece
    of the same word); a box without clear ink in it, or taller than wide, is kept as it is.
    """
    box = piece.box
    if box.height >= box.width:  # text set sideways (a page read turned): its lines run down, not across
        return box
    rule = _RULE * box.height
    gap = box.height * _LETTER_GAP if word_gap is None else min(box.height * _LETTER_GAP, word_gap / 2)
    left, right = _room_sideways(piece, words, gap, width=grey.shape[1])
    # Only the columns the box may grow over are judged, and a rule's length beyond them to tell rules.
    shift = max(0, left - rule)
    band = _ink(grey[box.y0 : box.y1], box.x0, box.x1, columns=(shift, right + rule), rule=rule, share=_CORE_SHARE)
    if band is None:
        return box
    top, bottom = _body(band[:, box.x0 - shift : box.x1 - shift].sum(axis=1))
    columns = np.any(band[top:bottom], axis=0)
    x0 = _ink_end(columns[left - shift : box.x0 - shift][::-1], gap) if piece.whole_start else 0
    x1 = _ink_end(columns[box.x1 - shift : right - shift], gap) if piece.whole_end else 0
    grown = Box(box.x0 - x0, box.y0, box.x1 + x1, box.y1)
    reach = round(min(box.height, line_height or box.height) * _INK_REACH)
    ceiling, floor = _room_upright(grown, words)
    ceiling, floor = max(ceiling, box.y0 - reach, 0), min(floor, box.y1 + reach)
    shift = max(0, grown.x0 - rule)
    area = _ink(grey[ceiling:floor], grown.x0, grown.x1, columns=(shift, grown.x1 + rule), rule=rule, share=_INK_SHARE)
    if area is None:
        return grown
    inside = area[:, grown.x0 - shift : grown.x1 - shift]
    above = box.y0 - ceiling
    up = _joined_rows(inside[above::-1])
    down = _joined_rows(inside[above + box.height - 1 :])
    return Box(grown.x0, box.y0 - up, grown.x1, box.y1 + down)


def _room_sideways(piece: LinePiece, words: tuple[Word, ...], gap: float, *, width: int) -> tuple[int, int]:
    """The columns a piece may grow to: up to the next words of its line, or of another a letter's gap away.

    Level with it and nearer, another block's word is a piece of the same word read apart ("12/", "0/2025").
    """
    box = piece.box
    level = [w for w in words if 2 * (min(w.box.y1, box.y1) - max(w.box.y0, box.y0)) >= min(w.box.height, box.height)]
    margin = [0 if w.line_key == piece.line_key else gap for w in level]
    left = max([w.box.x1 for w, m in zip(level, margin, strict=True) if w.box.x1 <= box.x0 - m], default=0)
    right = min([w.box.x0 for w, m in zip(level, margin, strict=True) if w.box.x0 >= box.x1 + m], default=width)
    return left, right


def _room_upright(box: Box, words: tuple[Word, ...]) -> tuple[int, int]:
    """The rows a box may grow to: up to the nearest words above and below it."""
    over = [w.box for w in words if w.box.x0 < box.x1 and w.box.x1 > box.x0]
    ceiling = max([b.y1 for b in over if b.y0 + b.y1 < 2 * box.y0], default=0)
    floor = min([b.y0 for b in over if b.y0 + b.y1 > 2 * box.y1], default=box.y1 + box.height)
    return min(ceiling, box.y0), max(floor, box.y1)


def _paper(band: np.ndarray) -> float:
    """The median grey of a band of the page (8-bit), across its whole width: its background."""
    counts = np.cumsum(np.bincount(band.ravel(), minlength=256))
    return float(np.searchsorted(counts, counts[-1] / 2))


def _ink(band: np.ndarray, x0: int, x1: int, *, columns: tuple[int, int], rule: int, share: float) -> np.ndarray | None:
    """Which pixels of ``columns`` of ``band`` (rows of the page, its whole width) are ink, judged by the box ``x0:x1``.

    The background is the whole band's median grey; the ink is on the side of it the box's darkest
    (or lightest) pixels are, and counts from ``share`` of the way to them. Pixels are averaged with
    their neighbours first, so noise on the paper is no ink; runs of ink ``rule`` pixels long or
    longer along a row (rules, bars, frames) are left out. None when the box holds no clear ink. The
    result's first column is ``columns[0]`` of the page.
    """
    if band.size == 0 or x1 <= x0:
        return None
    start, stop = columns
    smooth = _smoothed(band[:, start:stop].astype(np.float32))
    background = _paper(band)
    box = smooth[:, x0 - start : x1 - start]
    dark, light = np.percentile(box, _CORE_INK), np.percentile(box, 100 - _CORE_INK)
    contrast = max(background - dark, light - background)
    if contrast < _INK_CONTRAST:
        return None
    if background - dark >= light - background:
        ink: np.ndarray = smooth < background - share * contrast
    else:
        ink = smooth > background + share * contrast
    letters: np.ndarray = ink & ~_level_runs(ink, rule)
    return letters


def _level_runs(ink: np.ndarray, length: int) -> np.ndarray:
    """The pixels of runs of ``ink`` along a row at least ``length`` long."""
    if length < 1 or length > ink.shape[1]:
        return np.zeros_like(ink)
    counts = np.cumsum(np.pad(ink, ((0, 0), (1, 0))), axis=1, dtype=np.int32)
    starts = counts[:, length:] - counts[:, :-length] == length  # a full window starts here
    marks = np.cumsum(np.pad(starts, ((0, 0), (length, length - 1))), axis=1, dtype=np.int32)
    covered: np.ndarray = marks[:, length:] - marks[:, :-length] > 0
    return covered


def _smoothed(pixels: np.ndarray) -> np.ndarray:
    """Each pixel averaged with its eight neighbours (edges repeated)."""
    padded = np.pad(pixels, 1, mode="edge")
    height, width = pixels.shape
    total = sum(padded[dy : dy + height, dx : dx + width] for dy in range(3) for dx in range(3))
    return np.asarray(total) / 9


def _body(per_row: np.ndarray) -> tuple[int, int]:
    """The rows round a box's busiest row that hold some of its ink: its line, not a bar or rule it took in."""
    busy = per_row * _BODY_ROWS >= per_row.max()
    top = bottom = int(per_row.argmax())
    while top > 0 and busy[top - 1]:
        top -= 1
    while bottom < len(busy) and busy[bottom]:
        bottom += 1
    return top, bottom


def _ink_end(columns: np.ndarray, gap: float) -> int:
    """How far the ink in ``columns`` (going away from a box) runs on, gaps narrower than ``gap`` bridged."""
    end = blank = 0
    for index, inked in enumerate(columns):
        blank = 0 if inked else blank + 1
        if blank >= gap:
            break
        if inked:
            end = index + 1
    return end


def _joined_rows(rows: np.ndarray) -> int:
    """How many rows past the first (a box's edge row) hold ink touching the ink of the row before."""
    reached = rows[0]
    for index, row in enumerate(rows[1:]):
        near = reached | np.roll(reached, 1) | np.roll(reached, -1)
        reached = row & near
        if not reached.any():
            return index
    return len(rows) - 1


def pad_and_clip(box: Box, *, padding: int, width: int, height: int) -> Box:
    """Grow a box by ``padding`` pixels on each side, kept inside the image."""
    return Box(
        max(0, box.x0 - padding),
        max(0, box.y0 - padding),
        min(width, box.x1 + padding),
        min(height, box.y1 + padding),
    )


def padding_for(box: Box) -> int:
    """Padding that grows with the text height, so ascenders, descenders and blur are covered."""
    return max(2, round(box.height * 0.15))
