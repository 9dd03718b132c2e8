"""Geometry stage (and the pure form-field stage): hand-built Word lists, no OCR, no binaries."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactor.engine.fields import find_field_values
from redactor.engine.geometry import (
    LinePiece,
    build_page_text,
    grow_to_ink,
    pad_and_clip,
    padding_for,
    span_pieces,
    word_box_for_chars,
    word_gap,
)
from redactor.engine.models import Box, PageText, Word

CHAR = 18  # width of one character in the hand-built words
HEIGHT = 30


def span_boxes(page: PageText, start: int, end: int) -> list[Box]:
    """The boxes of ``span_pieces``: one per OCR line the character range touches."""
    return [piece.box for piece in span_pieces(page, start, end)]


def word(text: str, x: int, y: int, key: tuple[int, int, int] = (0, 0, 0), *, width: int | None = None) -> Word:
    return Word(text, Box(x, y, x + (CHAR * len(text) if width is None else width), y + HEIGHT), 95.0, key)


def line(texts: list[str], *, y: int, key: tuple[int, int, int], x: int = 40, gap: int = 12) -> list[Word]:
    """Words of one OCR line, left to right with ``gap`` pixels between them."""
    words = []
    for text in texts:
        words.append(word(text, x, y, key))
        x += CHAR * len(text) + gap
    return words


def covers(outer: Box, inner: Box) -> bool:
    return outer.x0 <= inner.x0 and outer.y0 <= inner.y0 and outer.x1 >= inner.x1 and outer.y1 >= inner.y1


def find(page: PageText, text: str) -> tuple[int, int]:
    start = page.text.index(text)
    return start, start + len(text)


# ------------------------------------------------------------------------------------ build_page_text


def test_empty_input_gives_empty_page() -> None:
    page = build_page_text([])
    assert page == PageText("", (), ())
    assert span_boxes(page, 0, 10) == []


def test_words_joined_by_spaces_and_lines_by_newlines() -> None:
    words = line(["Name:", "John", "Smith"], y=10, key=(0, 0, 0)) + line(["DOB:", "03/14/1979"], y=60, key=(0, 0, 1))
    page = build_page_text(words)
    assert page.text == "Name: John Smith\nDOB: 03/14/1979"
    assert page.spans == ((0, 5), (6, 10), (11, 16), (17, 21), (22, 32))
    assert page.words == tuple(words)


def test_new_block_or_paragraph_starts_a_new_line() -> None:
    words = [word("left", 10, 10, (0, 0, 0)), word("right", 500, 10, (1, 0, 0)), word("para", 10, 60, (1, 1, 0))]
    assert build_page_text(words).text == "left\nright\npara"


def test_empty_word_keeps_offsets_consistent() -> None:
    words = [word("John", 10, 10), word("", 90, 10, width=0), word("Smith", 100, 10)]
    page = build_page_text(words)
    assert [page.text[s:e] for s, e in page.spans] == ["John", "", "Smith"]
    start, end = find(page, "Smith")
    assert span_boxes(page, start, end) == [words[2].box]


line_keys = st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 3))
word_texts = st.text(alphabet="abcXYZ019@.-:,'é", min_size=0, max_size=12)


@given(st.lists(st.tuples(word_texts, line_keys), max_size=25))
def test_every_span_points_at_its_word(items: list[tuple[str, tuple[int, int, int]]]) -> None:
    words = [word(text, 10 * i, 5, key) for i, (text, key) in enumerate(items)]
    page = build_page_text(words)
    assert len(page.spans) == len(page.words) == len(words)
    assert [page.text[s:e] for s, e in page.spans] == [w.text for w in page.words]
    assert page.text.count("\n") == sum(1 for a, b in zip(words, words[1:], strict=False) if a.line_key != b.line_key)


# ------------------------------------------------------------------------------------ word_box_for_chars


def test_whole_word_keeps_its_box() -> None:
    w = word("john@x.org", 100, 50)
    assert word_box_for_chars(w, 0, len(w.text)) == w.box
    assert word_box_for_chars(w, -3, len(w.text) + 5) == w.box


def test_entity_glued_after_a_label_is_covered_but_not_the_whole_label() -> None:
    w = word("Email:john@x.org", 100, 50)  # OCR often reads "Email:" and the address as one word
    box = word_box_for_chars(w, 6, 16)
    assert box.x1 == w.box.x1 and (box.y0, box.y1) == (w.box.y0, w.box.y1)
    assert box.x0 <= w.box.x0 + 6 * CHAR  # never less than the entity's characters
    assert box.x0 > w.box.x0  # the cut is real: most of the label stays visible


def test_entity_followed_by_punctuation_is_covered() -> None:
    w = word("jane.doe@example.com,", 0, 0)
    box = word_box_for_chars(w, 0, 20)
    assert box.x0 == 0 and box.x1 >= 20 * CHAR


def test_entity_in_the_middle_of_a_word_is_covered_on_both_sides() -> None:
    w = word("(tel:2125550187)", 10, 0)
    box = word_box_for_chars(w, 5, 15)
    assert box.x0 <= 10 + 5 * CHAR and box.x1 >= 10 + 15 * CHAR
    assert box.x0 > w.box.x0


@given(st.integers(1, 40).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1), st.integers(1, n))))
def test_cut_box_contains_the_evenly_split_characters(case: tuple[int, int, int]) -> None:
    length, start, end = case
    if end <= start:
        start, end = end - 1, start + 1
    w = word("x" * length, 37, 11)
    box = word_box_for_chars(w, start, end)
    assert covers(w.box, box)
    assert box.x0 <= w.box.x0 + start * CHAR
    assert box.x1 >= w.box.x0 + end * CHAR


@pytest.mark.parametrize(
    ("glued", "entity"),
    [
        ("Email:john@x.org", "john@x.org"),
        ("E-mail:j.doe@example.com", "j.doe@example.com"),
        ("Name:Jill", "Jill"),
        ("WWW.MOM:illi@ii.il", "illi@ii.il"),
        ("Mobile:+1(212)555-0187", "+1(212)555-0187"),
        ("(212)555-0187.", "212)555-0187"),
        ("illi@ii.ilMMMMMM", "illi@ii.il"),
    ],
)
def test_cut_box_covers_real_glyph_widths(render, glued: str, entity: str) -> None:
    """Proportional fonts: narrow and wide glyphs around the cut still leave the entity's ink covered."""
    doc = render([glued], size=(700, 80), font_size=32)
    w = Word(glued, doc.box(glued), 95.0, (0, 0, 0))
    start = glued.index(entity)
    box = word_box_for_chars(w, start, start + len(entity))
    ink = doc.box(entity)
    assert box.x0 <= ink.x0 + 1 and box.x1 >= ink.x1 - 1  # 1 px: sub-pixel text placement


# ------------------------------------------------------------------------------------ span_pieces' boxes


def test_multi_word_name_on_one_line_gives_one_box() -> None:
    words = line(["Name:", "John", "Q.", "Smith"], y=10, key=(0, 0, 0))
    page = build_page_text(words)
    boxes = span_boxes(page, *find(page, "John Q. Smith"))
    assert boxes == [words[1].box.union(words[3].box)]
    assert not covers(boxes[0], words[0].box)


def test_entity_over_two_lines_gives_one_box_per_line() -> None:
    first = line(["Address:", "42", "Maple", "Street,"], y=10, key=(0, 0, 0))
    second = line(["Springfield", "IL"], y=60, key=(0, 0, 1))
    third = line(["Invoice"], y=110, key=(0, 0, 2))
    page = build_page_text(first + second + third)
    boxes = span_boxes(page, *find(page, "42 Maple Street,\nSpringfield IL"))
    assert len(boxes) == 2
    top, bottom = sorted(boxes, key=lambda b: b.y0)
    assert top == first[1].box.union(first[3].box)
    assert bottom == second[0].box.union(second[1].box)
    assert not any(covers(b, third[0].box) or covers(b, first[0].box) for b in boxes)


def test_hyphenated_name_split_over_lines() -> None:
    words = line(["Dear", "Jean-"], y=10, key=(0, 0, 0)) + line(["Luc", "Picard,"], y=60, key=(0, 0, 1))
    page = build_page_text(words)
    start, end = find(page, "Jean-\nLuc Picard")
    boxes = span_boxes(page, start, end)
    assert len(boxes) == 2
    assert boxes[0] == words[1].box
    assert boxes[1] == words[2].box.union(words[3].box)  # "Picard" minus its comma is most of the word


def test_two_columns_on_one_visual_row_are_separate_boxes() -> None:
    left = line(["John", "Smith"], y=10, key=(0, 0, 0))
    right = line(["Jane", "Doe"], y=10, key=(1, 0, 0), x=600)
    page = build_page_text(left + right)
    boxes = span_boxes(page, 0, len(page.text))
    assert boxes == [left[0].box.union(left[1].box), right[0].box.union(right[1].box)]


def test_partial_word_entity_is_covered() -> None:
    words = line(["Contact", "Email:john@x.org", "today"], y=10, key=(0, 0, 0))
    page = build_page_text(words)
    start, end = find(page, "john@x.org")
    [box] = span_boxes(page, start, end)
    glued = words[1].box
    assert box.x1 == glued.x1 and box.x0 <= glued.x0 + 6 * CHAR and box.x0 > glued.x0
    assert box.x1 < words[2].box.x0  # "today" untouched


def test_overlapping_entities_each_get_their_boxes() -> None:
    words = line(["Dr.", "John", "Smith", "MD"], y=10, key=(0, 0, 0))
    page = build_page_text(words)
    person = span_boxes(page, *find(page, "John Smith"))
    titled = span_boxes(page, *find(page, "Dr. John"))
    assert person == [words[1].box.union(words[2].box)]
    assert titled == [words[0].box.union(words[1].box)]
    assert person[0].union(titled[0]) == words[0].box.union(words[2].box)


@pytest.mark.parametrize(("start", "end"), [(4, 5), (100, 120)])
def test_span_touching_no_word_gives_no_box(start: int, end: int) -> None:
    page = build_page_text(line(["John", "Smith"], y=10, key=(0, 0, 0)))
    assert span_boxes(page, start, end) == []


def test_span_pieces_tell_whether_a_span_holds_its_words_whole_punctuation_aside() -> None:
    words = line(["Visit", "www.x.org.", "or", "Email:john@x.org"], y=10, key=(0, 0, 0))
    page = build_page_text(words)
    [url] = span_pieces(page, *find(page, "www.x.org"))
    [email] = span_pieces(page, *find(page, "john@x.org"))
    assert (url.whole_start, url.whole_end) == (True, True)  # the full stop left out is punctuation
    assert (email.whole_start, email.whole_end) == (False, True)  # "Email:" left out holds letters


def test_word_gap_is_the_usual_gap_between_words_of_a_line() -> None:
    words = line(["a", "b", "c"], y=10, key=(0, 0, 0), gap=12) + line(["d", "e"], y=60, key=(0, 0, 1), gap=30)
    assert word_gap(words) == 12
    assert word_gap(line(["alone"], y=10, key=(0, 0, 0))) is None


# ------------------------------------------------------------------------------------ grow_to_ink

PAPER, INK = 240, 40


def page_with(*letters: tuple[int, int, int, int], size: tuple[int, int] = (200, 400), ink: int = INK) -> np.ndarray:
    """A grey page with solid "letters" (x0, y0, x1, y1) on it."""
    grey = np.full(size, PAPER, dtype=np.uint8)
    for x0, y0, x1, y1 in letters:
        grey[y0:y1, x0:x1] = ink
    return grey


def whole(box: Box) -> LinePiece:
    return LinePiece(box, whole_start=True, whole_end=True, line_key=(0, 0, 0))


def test_ink_grows_a_box_over_a_faint_descender_it_left_out() -> None:
    letters = [(40 + 12 * i, 50, 48 + 12 * i, 70) for i in range(5)]
    descender = (88, 70, 91, 77)
    grey = page_with(*letters)
    grey[70:77, 88:91] = 170  # faint: a blurred tail
    box = Box(40, 50, 96, 70)
    grown = grow_to_ink(whole(box), grey, word_gap=12, words=(Word("word", box, 90.0, (0, 0, 0)),))
    assert grown.x0 == 40 and grown.y0 == 50 and grown.x1 == 96
    assert descender[3] - 1 <= grown.y1 <= descender[3]  # its faintest last row averaged with the paper


def test_ink_grows_a_box_over_the_letters_of_its_word_left_unread_but_not_past_a_space() -> None:
    letters = [(40 + 12 * i, 50, 48 + 12 * i, 70) for i in range(8)]  # one word, letters 4 px apart
    next_word = (150, 50, 170, 70)  # a space (16 px) away
    grey = page_with(*letters, next_word)
    box = Box(40, 50, 72, 70)  # Tesseract read its first three letters
    grown = grow_to_ink(whole(box), grey, word_gap=16, words=(Word("abc", box, 90.0, (0, 0, 0)),))
    assert grown == Box(40, 50, 132, 70)


def test_a_box_at_the_page_edge_grows_no_farther_left() -> None:
    letters = [(0, 50, 8, 70), (12, 50, 20, 70), (24, 50, 32, 70), (180, 50, 200, 70)]  # ink at the far right too
    box = Box(0, 50, 32, 70)
    grown = grow_to_ink(whole(box), page_with(*letters, size=(200, 200)), word_gap=16, words=())
    assert grown.x0 == 0 and grown.x1 == 32


def test_a_span_ending_inside_a_word_does_not_grow_over_its_rest() -> None:
    grey = page_with(*[(40 + 12 * i, 50, 48 + 12 * i, 70) for i in range(8)])
    piece = LinePiece(Box(40, 50, 72, 70), whole_start=True, whole_end=False, line_key=(0, 0, 0))
    assert grow_to_ink(piece, grey, word_gap=16, words=()) == piece.box


def test_pieces_of_one_word_read_apart_are_joined_by_their_ink() -> None:
    grey = page_with(*[(40 + 12 * i, 50, 48 + 12 * i, 70) for i in range(8)])
    head, tail = Box(40, 50, 68, 70), Box(64, 50, 132, 70)  # "12/" and "0/2025": overlapping boxes, two blocks
    words = (Word("12/", head, 90.0, (1, 0, 0)), Word("0/2025", tail, 90.0, (2, 0, 0)))
    piece = LinePiece(tail, whole_start=True, whole_end=True, line_key=(2, 0, 0))
    assert grow_to_ink(piece, grey, word_gap=16, words=words) == Box(40, 50, 132, 70)


def test_ink_never_carries_a_box_into_the_next_word_of_its_line() -> None:
    grey = page_with((40, 50, 80, 70), (82, 50, 122, 70))  # "on" and "Tuesday" blurred together
    box, neighbour = Box(82, 50, 122, 70), Box(40, 50, 82, 70)
    words = (Word("on", neighbour, 90.0, (0, 0, 0)), Word("Tuesday", box, 90.0, (0, 0, 0)))
    assert grow_to_ink(whole(box), grey, word_gap=16, words=words).x0 >= neighbour.x1


def test_ink_never_carries_a_box_into_a_word_a_space_away() -> None:
    grey = page_with((40, 50, 80, 70), (96, 50, 136, 70), (80, 50, 96, 52))  # a stroke bridges the space
    box, neighbour = Box(40, 50, 80, 70), Box(96, 50, 136, 70)
    words = (Word("John", box, 90.0, (0, 0, 0)), Word("lives", neighbour, 90.0, (0, 0, 0)))
    assert grow_to_ink(whole(box), grey, word_gap=16, words=words).x1 <= neighbour.x0


def test_a_box_of_two_lines_grows_by_half_the_pages_line_height_only() -> None:
    letters = [(40 + 12 * i, 50, 48 + 12 * i, 90) for i in range(12)]
    grey = page_with(*letters, (40, 90, 48, 130))  # ink running down from a box of two lines' words
    box = Box(40, 50, 184, 90)
    grown = grow_to_ink(whole(box), grey, word_gap=16, words=(), line_height=20)
    assert grown.y1 == box.y1 + 10
    assert grow_to_ink(whole(box), grey, word_gap=16, words=()).y1 == box.y1 + 20  # the box's own half height


def test_ink_never_grows_a_box_into_the_line_below() -> None:
    grey = page_with((40, 50, 100, 70), (40, 70, 100, 90))  # the next line's letters touch this line's
    box, below = Box(40, 50, 100, 70), Box(40, 72, 100, 90)
    words = (Word("name", box, 90.0, (0, 0, 0)), Word("next", below, 90.0, (0, 0, 1)))
    assert grow_to_ink(whole(box), grey, word_gap=16, words=words).y1 <= below.y0


def test_a_bar_the_box_took_in_carries_no_growth() -> None:
    grey = page_with((40, 60, 80, 80), (0, 40, 400, 44))  # a word under a bar across the page
    box = Box(40, 40, 80, 80)  # Tesseract's box reaches up into the bar
    assert grow_to_ink(whole(box), grey, word_gap=16, words=()) == box


def test_light_ink_on_a_dark_background_is_followed_too() -> None:
    grey = 255 - page_with(*[(40 + 12 * i, 50, 48 + 12 * i, 70) for i in range(8)])
    box = Box(40, 50, 72, 70)
    assert grow_to_ink(whole(box), grey, word_gap=16, words=()) == Box(40, 50, 132, 70)


def test_a_box_of_text_set_sideways_stays_as_it_is() -> None:
    grey = page_with((50, 40, 70, 140))  # a word's letters down the page, run together
    box = Box(50, 40, 70, 72)
    assert grow_to_ink(whole(box), grey, word_gap=16, words=()) == box


def test_a_box_without_ink_stays_as_it_is() -> None:
    box = Box(40, 50, 100, 70)
    assert grow_to_ink(whole(box), page_with(), word_gap=16, words=()) == box


# ------------------------------------------------------------------------------------ pad_and_clip


def test_padding_grows_every_side() -> None:
    assert pad_and_clip(Box(50, 60, 150, 90), padding=5, width=1000, height=1000) == Box(45, 55, 155, 95)


def test_padding_is_clipped_to_the_image() -> None:
    assert pad_and_clip(Box(2, 1, 98, 49), padding=10, width=100, height=50) == Box(0, 0, 100, 50)
    assert pad_and_clip(Box(0, 0, 0, 0), padding=3, width=10, height=10) == Box(0, 0, 3, 3)


def test_zero_padding_keeps_the_box() -> None:
    box = Box(10, 10, 20, 20)
    assert pad_and_clip(box, padding=0, width=100, height=100) == box


@pytest.mark.parametrize(("height", "expected"), [(0, 2), (8, 2), (20, 3), (40, 6), (100, 15)])
def test_padding_grows_with_text_height(height: int, expected: int) -> None:
    assert padding_for(Box(0, 0, 10, height)) == expected


# ------------------------------------------------------------------------------------ fields


def values(page: PageText) -> list[tuple[str, str]]:
    return [(s.entity_type, page.text[s.start : s.end]) for s in find_field_values(page)]


def test_field_value_right_of_its_label() -> None:
    page = build_page_text(line(["Name:", "John", "Smith"], y=10, key=(0, 0, 0)))
    assert values(page) == [("PERSON", "John Smith")]


def test_field_value_glued_to_a_spaced_label() -> None:
    page = build_page_text(line(["Phone:", "+1", "212", "555", "0187"], y=10, key=(0, 0, 0)))
    assert values(page) == [("PHONE_NUMBER", "+1 212 555 0187")]


def test_field_values_under_their_labels_in_a_two_column_form() -> None:
    labels = line(["Name"], y=10, key=(0, 0, 0)) + line(["Date", "of", "Birth"], y=10, key=(0, 0, 0), x=500)
    row = line(["John", "Smith"], y=60, key=(0, 0, 1)) + line(["03/14/1979"], y=60, key=(0, 0, 1), x=500)
    page = build_page_text(labels + row)
    assert sorted(values(page)) == [("DATE_OF_BIRTH", "03/14/1979"), ("PERSON", "John Smith")]


def test_field_value_under_its_label_stops_at_the_column_gap() -> None:
    labels = line(["Phone"], y=10, key=(0, 0, 0)) + line(["Status"], y=10, key=(0, 0, 0), x=600)
    row = line(["+1", "212", "555", "0187"], y=60, key=(0, 0, 1)) + line(["Active"], y=60, key=(0, 0, 1), x=600)
    page = build_page_text(labels + row)
    assert values(page) == [("PHONE_NUMBER", "+1 212 555 0187")]


def test_field_value_on_the_line_stops_at_the_column_gap() -> None:
    words = line(["Name:", "John", "Smith"], y=10, key=(0, 0, 0)) + line(
        ["Invoice", "Total"], y=10, key=(0, 0, 0), x=700
    )
    page = build_page_text(words)
    assert values(page) == [("PERSON", "John Smith")]


def test_label_without_value_takes_nothing() -> None:
    page = build_page_text(line(["Name:"], y=10, key=(0, 0, 0)) + line(["Thank", "you"], y=200, key=(0, 0, 1)))
    assert values(page) == []


def test_value_shape_is_checked() -> None:
    page = build_page_text(line(["DOB:", "unknown"], y=10, key=(0, 0, 0)))
    assert values(page) == []


def test_value_in_an_aligned_column_far_from_its_label_is_taken() -> None:
    # "label: value" forms align values in one column, far from short labels ("Age:" ... "27").
    words = line(["Age:"], y=10, key=(0, 0, 0)) + line(["27"], y=10, key=(0, 0, 0), x=700)
    page = build_page_text(words)
    assert values(page) == [("AGE", "27")]
