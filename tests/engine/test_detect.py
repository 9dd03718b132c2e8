"""Detection stage: the span post-processing on hand-written text, then detect_entities on the real analyzer."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from redactor.engine.detect import (
    DENY_LIST_ENTITY,
    PROPAGATED_SCORE,
    Analyzer,
    absorb_address_fragments,
    address_blocks,
    age_from_date,
    build_analyzer,
    check_entities,
    detect_entities,
    drop_allowed,
    drop_contained_spans,
    join_name_parts,
    name_neighbours,
    numbered_places,
    propagate_names,
    read_as_prose,
    trim_person,
)
from redactor.engine.models import Span
from redactor.errors import InvalidOptionError, MissingDependencyError

Found = list[tuple[str, str]]


def at(text: str, needle: str, entity_type: str = "PERSON", score: float = 0.85, *, occurrence: int = 0) -> Span:
    """The span of the ``occurrence``-th ``needle`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return Span(entity_type, start, start + len(needle), score)


def texts(text: str, spans: Iterable[Span]) -> Found:
    """(type, covered text) pairs in reading order."""
    return [(s.entity_type, text[s.start : s.end]) for s in sorted(spans, key=lambda s: (s.start, s.end))]


# ------------------------------------------------------------------------------------ read_as_prose


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("the Devil | would like", "the Devil I would like"),
        ("| met her", "I met her"),
        ("she and |", "she and I"),
        ("|\n| a", "I\nI a"),
        ("a|b || x |y", "a|b || x |y"),  # only a bar standing alone as a word
        ("", ""),
    ],
)
def test_read_as_prose_turns_lone_bars_into_i_keeping_offsets(text: str, prose: str) -> None:
    assert read_as_prose(text) == prose
    assert len(read_as_prose(text)) == len(text)


# ------------------------------------------------------------------------------------ trim_person


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Dear John Smith", "John Smith"),
        ("Dear Mr. John Smith,", "John Smith,"),
        ("John Smith Email:", "John Smith"),
        ("Name: Patient John", "John"),
        ("Dear  John", "John"),
        ("  John  ", "John"),
        ("John", "John"),
        ("Zoë Ångström Thanks", "Zoë Ångström"),
    ],
)
def test_trim_person_drops_label_words_at_the_edges(text: str, kept: str) -> None:
    trimmed = trim_person(text, Span("PERSON", 0, len(text), 0.85))
    assert trimmed is not None
    assert text[trimmed.start : trimmed.end] == kept
    assert trimmed.score == 0.85


def test_trim_person_keeps_label_words_inside_the_name() -> None:
    text = "Hello, John Dear Smith"  # only the edges are trimmed
    span = at(text, "John Dear Smith")
    assert trim_person(text, span) == span


def test_trim_person_works_inside_a_longer_text() -> None:
    text = "Thank you.\nRegards John Smith\nInvoice 7"
    trimmed = trim_person(text, at(text, "Regards John Smith"))
    assert trimmed == at(text, "John Smith")


@pytest.mark.parametrize("text", ["Dear", "Date: Mr. Dr.", "Dear Customer", "   "])
def test_trim_person_drops_a_span_of_only_label_words(text: str) -> None:
    assert trim_person(text, Span("PERSON", 0, len(text), 0.85)) is None


def test_trim_person_leaves_other_types_alone() -> None:
    span = Span("LOCATION", 0, 11, 0.6)
    assert trim_person("Dear Street", span) is span


# ------------------------------------------------------------------------------------ age_from_date


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("83 years old", "83"),
        ("83-year-old", "83"),
        ("83 yrs old", "83"),
        ("He is 83 year old", "83"),
        ("a 7 Year Old", "7"),
    ],
)
def test_age_from_date_keeps_only_the_number(text: str, age: str) -> None:
    span = age_from_date(text, Span("DATE_TIME", 0, len(text), 0.85))
    assert (span.entity_type, text[span.start : span.end], span.score) == ("AGE", age, 0.85)


def test_age_from_date_inside_a_longer_text() -> None:
    text = "He is 83 years old today"
    assert age_from_date(text, at(text, "83 years old", "DATE_TIME")) == at(text, "83", "AGE")


@pytest.mark.parametrize("text", ["June 2020", "aged 83 years", "83 years", "1983 years old"])
def test_age_from_date_leaves_real_dates(text: str) -> None:
    span = Span("DATE_TIME", 0, len(text), 0.85)
    assert age_from_date(text, span) == span


def test_age_from_date_only_looks_at_dates() -> None:
    span = Span("PERSON", 0, 12, 0.85)
    assert age_from_date("83 years old", span) == span


# ------------------------------------------------------------------------------------ propagate_names


def test_propagate_names_finds_every_occurrence_of_each_name_part() -> None:
    text = "Dear John Smith, thanks. John wrote to johnny. Contact: Smith"
    spans = propagate_names(text, [at(text, "John Smith")])
    assert [(text[s.start : s.end], s.start) for s in spans] == [
        ("John", 5),
        ("Smith", 10),
        ("John", 25),
        ("Smith", 56),
    ]
    assert {(s.entity_type, s.score) for s in spans} == {("PERSON", PROPAGATED_SCORE)}


def test_propagate_names_skips_words_also_written_in_lower_case() -> None:
    text = "Ann Lee called. ann is here. Lee too."
    assert texts(text, propagate_names(text, [at(text, "Ann Lee")])) == [("PERSON", "Lee"), ("PERSON", "Lee")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Al met Al.", "Al"),  # too short
        ("Dear all, Dear me", "Dear"),  # a document word
        ("Patient waiting. Patient", "Patient"),
    ],
)
def test_propagate_names_skips_short_and_document_words(text: str, name: str) -> None:
    assert propagate_names(text, [at(text, name)]) == []


def test_propagate_names_ignores_other_entity_types() -> None:
    text = "Paris is nice. Paris again."
    assert propagate_names(text, [at(text, "Paris", "LOCATION")]) == []


def test_propagate_names_never_matches_inside_an_email_or_a_longer_word() -> None:
    text = "John x@John.com John.Doe JohnX a.John John@x.org"
    spans = propagate_names(text, [at(text, "John")])
    assert [s.start for s in spans] == [0, 16]  # the name itself, and before the dot of "John.Doe"


def test_propagate_names_learns_names_spelled_in_an_email_address() -> None:
    text = "Email: MariaGonzalez@example.com\nMaria will call. Gonzalez agreed."
    assert texts(text, propagate_names(text, [])) == [("PERSON", "Maria"), ("PERSON", "Gonzalez")]


def test_propagate_names_needs_the_email_parts_to_be_most_of_the_local_part() -> None:
    text = "Write to Jo7734591@example.com. Jo said so."
    assert propagate_names(text, []) == []


def test_propagate_names_handles_accented_names() -> None:
    text = "Zoë Ångström wrote; Ångström replied. Zoë"
    spans = propagate_names(text, [at(text, "Zoë Ångström")])
    assert texts(text, spans) == [("PERSON", "Zoë"), ("PERSON", "Ångström"), ("PERSON", "Ångström"), ("PERSON", "Zoë")]


@pytest.mark.parametrize(
    ("text", "name"), [("Łukasz Nowak signed. Łukasz left.", "Łukasz"), ("Šimon ran. Šimon", "Šimon")]
)
def test_propagate_names_handles_central_european_capitals(text: str, name: str) -> None:
    first = at(text, name)
    assert at(text, name, "PERSON", PROPAGATED_SCORE, occurrence=1) in propagate_names(text, [first])


def test_propagate_names_on_empty_text() -> None:
    assert propagate_names("", []) == []


# ------------------------------------------------------------------------------------ join_name_parts


@pytest.mark.parametrize("text", ["Madison N Gallagher", "Madison N. Gallagher", "Madison Gallagher"])
def test_join_name_parts_joins_parts_across_a_space_or_an_initial(text: str) -> None:
    first, last = at(text, "Madison"), at(text, "Gallagher", score=0.6)
    assert join_name_parts(text, [last, first]) == [Span("PERSON", 0, len(text), 0.6)]  # input order is irrelevant


@pytest.mark.parametrize(
    "text",
    ["Madison and Gallagher", "Madison\nGallagher", "Madison  Gallagher", "Madison, Gallagher", "Madison NG Gallagher"],
)
def test_join_name_parts_leaves_other_gaps_apart(text: str) -> None:
    assert join_name_parts(text, [at(text, "Madison"), at(text, "Gallagher")]) == []


def test_join_name_parts_only_joins_people() -> None:
    text = "Madison Gallagher"
    assert join_name_parts(text, [at(text, "Madison"), at(text, "Gallagher", "LOCATION")]) == []


def test_join_name_parts_ignores_overlapping_parts() -> None:
    text = "Ann Bo"
    assert join_name_parts(text, [at(text, "Ann Bo"), at(text, "Bo")]) == []


def test_join_name_parts_joins_neighbours_pairwise() -> None:
    text = "Ann Bo Cy"
    spans = join_name_parts(text, [at(text, "Ann"), at(text, "Bo"), at(text, "Cy")])
    assert texts(text, spans) == [("PERSON", "Ann Bo"), ("PERSON", "Bo Cy")]


# ------------------------------------------------------------------------------------ name_neighbours


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("Simone Kristoffersen wrote", "Kristoffersen", "Simone Kristoffersen"),
        ("Simone Kristoffersen wrote", "Simone", "Simone Kristoffersen"),
        ("Kristoffersen\nSimone", "Simone", "Kristoffersen\nSimone"),
        ("Ångström Zoë", "Zoë", "Ångström Zoë"),
    ],
)
def test_name_neighbours_takes_an_unfamiliar_word_beside_a_name(text: str, found: str, whole: str) -> None:
    assert name_neighbours(text, [at(text, found, score=0.7)]) == [at(text, whole, score=0.7)]


def test_name_neighbours_extends_both_ways_separately() -> None:
    text = "Cecilie Simone Kristoffersen"
    spans = name_neighbours(text, [at(text, "Simone")])
    assert texts(text, spans) == [("PERSON", "Cecilie Simone"), ("PERSON", "Simone Kristoffersen")]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("John Smith", "John"),  # "Smith" is a dictionary word
        ("Dear Kristoffersen", "Kristoffersen"),  # a document word
        ("Email Kristoffersen", "Kristoffersen"),
        ("a@Simone Kristoffersen", "Kristoffersen"),  # part of an e-mail address
        ("Simone Kristoffersen-Lund", "Simone"),  # part of a longer word
        ("Simone  Kristoffersen", "Simone"),  # two spaces are no single gap
        ("Simone, Kristoffersen", "Simone"),
    ],
)
def test_name_neighbours_leaves_known_words_and_other_gaps(text: str, found: str) -> None:
    assert name_neighbours(text, [at(text, found)]) == []


def test_name_neighbours_only_grows_people() -> None:
    text = "Simone Kristoffersen"
    assert name_neighbours(text, [at(text, "Simone", "LOCATION")]) == []


# ------------------------------------------------------------------------------------ address_blocks


def test_address_block_takes_town_and_country_below_and_the_name_above() -> None:
    text = "Invoice 42\nJohn Smith\n42 Maple Street\nSpringfield IL 62704\nUnited States\nInvoice total"
    found = address_blocks(text, [at(text, "42 Maple Street", "LOCATION", 0.6)])
    assert texts(text, found) == [
        ("PERSON", "John Smith"),
        ("LOCATION", "Springfield IL 62704"),
        ("LOCATION", "United States"),
    ]
    assert {s.score for s in found} == {PROPAGATED_SCORE}


def test_address_block_takes_unit_lines_above_the_street() -> None:
    text = "Jane Doe\nApt 5\n12 Oak Road\nLondon\nSW1A 1AA\nTotal: 5"
    found = address_blocks(text, [at(text, "12 Oak Road", "LOCATION")])
    assert texts(text, found) == [
        ("PERSON", "Jane Doe"),
        ("LOCATION", "Apt 5"),
        ("LOCATION", "London"),
        ("LOCATION", "SW1A 1AA"),
    ]


def test_address_block_runs_from_the_last_located_line() -> None:
    text = "12 Oak Road\nLondon\nSW1A 1AA\nUnited Kingdom"
    spans = [at(text, "12 Oak Road", "LOCATION"), at(text, "London", "LOCATION")]
    assert texts(text, address_blocks(text, spans)) == [("LOCATION", "SW1A 1AA"), ("LOCATION", "United Kingdom")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dear Customer\n12 Oak Road\nBill to: Acme", []),  # a greeting is no name; a label line is no place
        ("John Smith\n12 Oak Road\nemail: a@b.com", [("PERSON", "John Smith")]),
        ("John Smith\n12 Oak Road\nhello world", [("PERSON", "John Smith")]),
        ("12 Oak Road", []),
        ("john smith\n12 Oak Road", []),
    ],
)
def test_address_block_stops_at_lines_that_are_no_address(text: str, expected: Found) -> None:
    assert texts(text, address_blocks(text, [at(text, "12 Oak Road", "LOCATION")])) == expected


def test_address_block_takes_at_most_two_lines_below() -> None:
    text = "12 Oak Road\nLondon\nSW1A 1AA\nUnited Kingdom"
    found = address_blocks(text, [at(text, "12 Oak Road", "LOCATION")])
    assert texts(text, found) == [("LOCATION", "London"), ("LOCATION", "SW1A 1AA")]


def test_address_block_needs_a_short_located_line() -> None:
    text = "Jane Doe\nWe met at 12 Oak Road in the morning and talked for hours about everything under the sun.\nLondon"
    assert address_blocks(text, [at(text, "12 Oak Road", "LOCATION")]) == []


def test_address_block_ignores_people_and_empty_text() -> None:
    text = "Jane Doe\nJohn Smith\nLondon"
    assert address_blocks(text, [at(text, "John Smith")]) == []
    assert address_blocks("", []) == []


def test_address_block_does_not_take_the_letter_body_below_the_town() -> None:
    text = "John Smith\n42 Maple Street\nSpringfield\nThank you for your order"
    spans = [at(text, "42 Maple Street", "LOCATION"), at(text, "Springfield", "LOCATION")]
    assert ("LOCATION", "Thank you for your order") not in texts(text, address_blocks(text, spans))


# ------------------------------------------------------------------------------------ numbered_places


@pytest.mark.parametrize(
    ("text", "span", "place"),
    [
        ("Maarit Sillanpaa\nMuhle 88\nDear Ms. S", "Maarit Sillanpaa\nMuhle", "Muhle 88"),  # a name run into the street
        ("Graz, Steiermark 3385\nmail", "Steiermark", "Steiermark 3385"),
        ("Ltd\n8312 Johnson Dale, Ramoshaven", "Johnson Dale", "8312 Johnson Dale"),
        ("Kongshøj Allé 70.\n", "Kongshøj Allé", "Kongshøj Allé 70"),
    ],
)
def test_a_name_with_only_a_number_beside_it_on_its_line_is_a_place(text: str, span: str, place: str) -> None:
    found = numbered_places(text, [at(text, span)])
    assert texts(text, found) == [("LOCATION", place)]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("John Smith is 42 years old", "John Smith"),  # more than a number after the name
        ("Room 12 for John Smith today", "John Smith"),  # more than a number before it
        ("Smith\n42", "Smith"),  # the number is on another line
    ],
)
def test_numbers_elsewhere_make_no_place(text: str, span: str) -> None:
    assert numbered_places(text, [at(text, span)]) == []


def test_numbered_places_grow_only_names_and_places() -> None:
    text = "Date 2024 12"
    assert numbered_places(text, [at(text, "2024", "DATE_TIME")]) == []


# ------------------------------------------------------------------------------------ absorb_address_fragments


@pytest.mark.parametrize(
    ("text", "location", "grown"),
    [
        ("I live at 12 Oak Road, Apt. 397 84728 today", "12 Oak Road", "12 Oak Road, Apt. 397 84728"),
        ("Rome, Italy 37368", "Italy", "Italy 37368"),
        ("Via Roma 5, Suite 126 Tarariras Canelones.", "Via Roma 5", "Via Roma 5, Suite 126 Tarariras Canelones"),
        ("Springfield, IL 62704\nPhone 555", "Springfield", "Springfield, IL 62704"),
        ("Unit 4, Rome", "Rome", "Unit 4, Rome"),
        ("1600 Pennsylvania Ave NW, Washington", "1600 Pennsylvania Ave", "1600 Pennsylvania Ave NW, Washington"),
    ],
)
def test_absorb_address_fragments_grows_a_location_over_pieces_beside_it(text: str, location: str, grown: str) -> None:
    [span] = absorb_address_fragments(text, [at(text, location, "LOCATION", 0.6)])
    assert (span.entity_type, text[span.start : span.end], span.score) == ("LOCATION", grown, 0.6)


@pytest.mark.parametrize(
    ("text", "location"),
    [("Rome is nice", "Rome"), ("We flew to Oslo on Monday", "Oslo"), ("Oslo\n42 people came", "Oslo")],
)
def test_absorb_address_fragments_leaves_a_location_with_nothing_beside_it(text: str, location: str) -> None:
    assert absorb_address_fragments(text, [at(text, location, "LOCATION")]) == []


def test_absorb_address_fragments_only_grows_locations() -> None:
    text = "John, Rome 12345"
    assert absorb_address_fragments(text, [at(text, "John")]) == []


# ------------------------------------------------------------------------------------ drop_allowed


EMAILS = "Write to john@acme.com or JOHN@ACME.COM, John."


def email_spans() -> list[Span]:
    return [
        at(EMAILS, "john@acme.com", "EMAIL_ADDRESS", 1.0),
        at(EMAILS, "john"),
        at(EMAILS, "acme.com", "DOMAIN_NAME", 0.5),
        at(EMAILS, "JOHN@ACME.COM", "EMAIL_ADDRESS", 1.0),
        at(EMAILS, "John"),
    ]


def test_drop_allowed_drops_spans_inside_any_case_occurrence() -> None:
    kept = drop_allowed(EMAILS, email_spans(), ("john@acme.com",))
    assert kept == [at(EMAILS, "John")]


def test_drop_allowed_strips_the_term_and_keeps_spans_only_partly_inside() -> None:
    kept = drop_allowed(EMAILS, email_spans(), ("  acme.com ",))
    assert texts(EMAILS, kept) == [
        ("PERSON", "john"),
        ("EMAIL_ADDRESS", "john@acme.com"),
        ("EMAIL_ADDRESS", "JOHN@ACME.COM"),
        ("PERSON", "John"),
    ]


@pytest.mark.parametrize("allow_list", [(), ("",), ("   ",), ("nowhere",)])
def test_drop_allowed_without_a_matching_term_keeps_everything(allow_list: tuple[str, ...]) -> None:
    assert drop_allowed(EMAILS, email_spans(), allow_list) == email_spans()


def test_drop_allowed_takes_terms_literally() -> None:
    text = "a.b a+b"
    assert drop_allowed(text, [at(text, "a+b", "X")], ("a.b",)) == [at(text, "a+b", "X")]


# ------------------------------------------------------------------------------------ drop_contained_spans


def test_drop_contained_spans_keeps_outer_and_overlapping_spans() -> None:
    outer, inner, overlapping, apart = (
        Span("PERSON", 0, 10, 0.5),
        Span("DATE_TIME", 2, 5, 1.0),
        Span("LOCATION", 5, 15, 0.3),
        Span("PERSON", 20, 25, 0.1),
    )
    assert drop_contained_spans([apart, inner, overlapping, outer]) == [outer, overlapping, apart]


def test_drop_contained_spans_on_a_tie_keeps_the_higher_score() -> None:
    low, high = Span("PERSON", 0, 10, 0.5), Span("LOCATION", 0, 10, 0.9)
    assert drop_contained_spans([low, high]) == [high]
    assert drop_contained_spans([Span("A", 3, 4, 0.5), Span("B", 3, 4, 0.5)]) == [Span("A", 3, 4, 0.5)]


def test_drop_contained_spans_on_nothing() -> None:
    assert drop_contained_spans([]) == []


# ------------------------------------------------------------------------------------ the analyzer


def detect(
    analyzer: Analyzer,
    text: str,
    *,
    entities: tuple[str, ...] | None = None,
    score_threshold: float = 0.3,
    allow_list: tuple[str, ...] = (),
    deny_list: tuple[str, ...] = (),
) -> list[tuple[str, str, int]]:
    """(type, covered text, start) of what detect_entities reports, in its order."""
    spans = detect_entities(
        analyzer, text, entities=entities, score_threshold=score_threshold, allow_list=allow_list, deny_list=deny_list
    )
    return [(s.entity_type, text[s.start : s.end], s.start) for s in spans]


def test_build_analyzer_reports_its_types(analyzer: Analyzer) -> None:
    assert "ORGANIZATION" not in analyzer.entity_types
    assert set(analyzer.default_entities) <= set(analyzer.entity_types)
    assert {"PERSON", "LOCATION", "EMAIL_ADDRESS", "AGE", "DATE_OF_BIRTH", "DOMAIN_NAME", "ID_NUMBER"} <= set(
        analyzer.default_entities
    )
    assert "UK_NINO" in analyzer.entity_types and "UK_NINO" not in analyzer.default_entities  # on request only


def test_build_analyzer_without_the_model_is_a_missing_dependency() -> None:
    with pytest.raises(MissingDependencyError, match="no_such_model"):
        build_analyzer("no_such_model")


def test_check_entities_accepts_known_types_and_nothing(analyzer: Analyzer) -> None:
    check_entities(analyzer, None)
    check_entities(analyzer, ())
    check_entities(analyzer, ("PERSON", "UK_NINO"))


def test_check_entities_lists_the_unknown_ones(analyzer: Analyzer) -> None:
    with pytest.raises(InvalidOptionError, match=r"^Unknown entity type BAR, FOO; supported: ABA_ROUTING_NUMBER, AGE"):
        check_entities(analyzer, ("FOO", "PERSON", "BAR"))
    with pytest.raises(InvalidOptionError):
        check_entities(analyzer, ("ORGANIZATION",))


CONTACT = "Contact John Smith at john.smith@example.com or +1 212 555 0187."


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_detect_blank_text_finds_nothing(analyzer: Analyzer, text: str) -> None:
    assert detect_entities(analyzer, text, entities=None, score_threshold=0.0) == []


def test_detect_finds_each_entity_once(analyzer: Analyzer) -> None:
    assert detect(analyzer, CONTACT) == [
        ("PERSON", "John Smith", 8),
        ("EMAIL_ADDRESS", "john.smith@example.com", 22),
        ("PHONE_NUMBER", "+1 212 555 0187", 48),
    ]


def test_detect_only_the_asked_types(analyzer: Analyzer) -> None:
    assert detect(analyzer, CONTACT, entities=("EMAIL_ADDRESS",)) == [("EMAIL_ADDRESS", "john.smith@example.com", 22)]


def test_detect_score_threshold(analyzer: Analyzer) -> None:
    assert [t for t, _, _ in detect(analyzer, CONTACT, score_threshold=0.9)] == ["EMAIL_ADDRESS", "PHONE_NUMBER"]
    assert all(s.score >= 0.9 for s in detect_entities(analyzer, CONTACT, entities=None, score_threshold=0.9))


def test_detect_allow_list_drops_the_allowed_term_and_its_parts(analyzer: Analyzer) -> None:
    found = detect(analyzer, CONTACT, allow_list=("JOHN.SMITH@EXAMPLE.COM",))
    assert found == [("PERSON", "John Smith", 8), ("PHONE_NUMBER", "+1 212 555 0187", 48)]


def test_detect_deny_list_is_reported_even_outside_the_asked_types(analyzer: Analyzer) -> None:
    found = detect(analyzer, CONTACT, entities=("EMAIL_ADDRESS",), deny_list=("Contact",))
    assert found == [(DENY_LIST_ENTITY, "Contact", 0), ("EMAIL_ADDRESS", "john.smith@example.com", 22)]


def test_detect_found_elsewhere_goes_through_type_threshold_and_allow_filters(analyzer: Analyzer) -> None:
    text = "Ref: 4455 Name: Ola"
    elsewhere = [
        at(text, "4455", "US_SSN", 0.6),  # kept
        at(text, "Ola", "PERSON", 0.2),  # under the threshold
        at(text, "Ref", "CRYPTO", 0.6),  # allowed below
    ]
    found = detect_entities(
        analyzer,
        text,
        entities=("US_SSN", "CRYPTO"),
        score_threshold=0.3,
        allow_list=("ref",),
        found_elsewhere=elsewhere,
    )
    assert found == [elsewhere[0]]


def test_detect_found_elsewhere_takes_no_part_in_name_propagation(analyzer: Analyzer) -> None:
    text = "Name: Quenby\nQuenby"
    found = detect_entities(
        analyzer, text, entities=("PERSON",), score_threshold=0.99, found_elsewhere=[at(text, "Quenby", score=1.0)]
    )
    assert found == [at(text, "Quenby", score=1.0)]


@pytest.mark.parametrize("text", ["Qty 2 12.50 25.00", "2 x 1,250.00 2,500.00"])
def test_detect_drops_table_amounts(analyzer: Analyzer, text: str) -> None:
    # Presidio reads "2 12.50 25.00" as a phone number and "1,250.00" as a date; neither is reported.
    assert detect(analyzer, text, score_threshold=0.4) == []


def test_detect_trims_greetings_off_names(analyzer: Analyzer) -> None:
    assert detect(analyzer, "Dear John Smith,\nThanks.") == [("PERSON", "John Smith", 5)]


def test_detect_reads_an_age_not_a_date(analyzer: Analyzer) -> None:
    assert detect(analyzer, "My patient is a 83-year-old woman.") == [("AGE", "83", 16)]


def test_detect_grows_an_address_over_its_unit_and_postcode(analyzer: Analyzer) -> None:
    text = "I live at 12 Oak Road, Apt. 397 84728 now."
    assert detect(analyzer, text) == [("LOCATION", "12 Oak Road, Apt. 397 84728", 10)]


def test_detect_propagates_a_name_to_a_mention_the_model_missed(analyzer: Analyzer) -> None:
    text = "Contact John Smith today. Thanks, Smith"
    found = detect_entities(analyzer, text, entities=("PERSON",), score_threshold=0.3)
    assert found == [at(text, "John Smith"), at(text, "Smith", score=PROPAGATED_SCORE, occurrence=1)]


def test_detect_does_not_propagate_a_name_written_in_lower_case_elsewhere(analyzer: Analyzer) -> None:
    text = "Contact John Smith at john.smith@example.com. Thanks, Smith"
    assert detect(analyzer, text, entities=("PERSON",)) == [("PERSON", "John Smith", 8)]


@pytest.mark.parametrize(
    ("text", "name", "start"), [("| love Henrik.", "Henrik", 7), ("Cecilie and | went home.", "Cecilie", 0)]
)
def test_detect_reads_a_lone_bar_as_i_keeping_offsets(analyzer: Analyzer, text: str, name: str, start: int) -> None:
    # Read as written, the model finds no one in these lines.
    assert detect(analyzer, text) == [("PERSON", name, start)]


def test_detect_unfamiliar_names_fall_below_a_raised_threshold(analyzer: Analyzer) -> None:
    text = "My kid Cecilie plays."
    assert detect(analyzer, text) == [("PERSON", "Cecilie", 7)]
    assert detect(analyzer, text, score_threshold=0.4) == []


def test_detect_keeps_a_first_name_that_is_also_a_document_word(analyzer: Analyzer) -> None:
    assert detect(analyzer, "Mr. Bill Gates") == [("PERSON", "Bill Gates", 4)]


def test_a_middle_initial_after_a_line_break_joins_the_name() -> None:
    text = "the verses from Lea\nU Reiniger's Tales"
    joined = join_name_parts(text, [at(text, "Lea"), at(text, "Reiniger")])
    assert texts(text, joined) == [("PERSON", "Lea\nU Reiniger")]


def test_people_listed_with_and_are_names_not_a_firm(analyzer: Analyzer) -> None:
    text = "The brainchild of our founders: Carvalho, Orlygsdettir and Reho."
    found = {t for _, t in texts(text, detect_entities(analyzer, text, entities=("PERSON",), score_threshold=0.3))}
    assert {"Orlygsdettir", "Reho"} <= found


def test_every_span_names_the_recognizer_or_rule_that_found_it(analyzer: Analyzer) -> None:
    text = "Dear Ms Kowalczyk,\nEmail jane.doe@example.com\nKowalczyk will call."
    spans = detect_entities(analyzer, text, entities=None, score_threshold=0.3)
    sources = {(s.entity_type, text[s.start : s.end]): s.source for s in spans}
    assert sources[("EMAIL_ADDRESS", "jane.doe@example.com")].endswith("EmailRecognizer")  # Presidio's or ours
    assert all(source for source in sources.values()), sources


@pytest.mark.parametrize(
    ("rule", "text", "given", "source"),
    [
        (propagate_names, "Anna Quist came. Quist left.", "Anna Quist", "propagate_names"),
        (name_neighbours, "Simone Kristoffersen signed", "Kristoffersen", "name_neighbours"),
        (numbered_places, "Muhle 88", "Muhle", "numbered_places"),
    ],
)
def test_rules_tag_what_they_add(rule, text: str, given: str, source: str) -> None:
    entity = "LOCATION" if rule is numbered_places else "PERSON"
    added = rule(text, [at(text, given, entity)])
    assert added and {s.source for s in added} == {source}


def test_the_source_is_not_part_of_a_spans_identity() -> None:
    assert Span("PERSON", 0, 4, 0.5, "a") == Span("PERSON", 0, 4, 0.5, "b")


@pytest.mark.parametrize(
    "before",
    ["Order ref 2291,\nthank you for the visit.\n", "Flat 4B, USA,\nWe spoke at length.\nThen "],
)
def test_absorb_address_fragments_never_reaches_back_to_an_earlier_line(before: str) -> None:
    text = before + "She lives at 12 Main Street."
    grown = absorb_address_fragments(text, [at(text, "Main Street", "LOCATION")])
    assert texts(text, grown) == [("LOCATION", "12 Main Street")]
