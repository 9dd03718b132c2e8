"""Geometry stage: words to text with exact offsets, and character spans back to pixel boxes."""

from __future__ import annotations

from itertools import groupby

from redactor.engine.models import Box, PageText, Word


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


def span_boxes(page: PageText, start: int, end: int) -> list[Box]:
    """One box per OCR line that the character range ``start:end`` touches."""
    per_line: dict[tuple[int, int, int], Box] = {}
    for word, (word_start, word_end) in zip(page.words, page.spans, strict=True):
        if word_end <= start or word_start >= end:
            continue
        box = word_box_for_chars(word, start - word_start, end - word_start)
        key = word.line_key
        per_line[key] = per_line[key].union(box) if key in per_line else box
    return list(per_line.values())


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
