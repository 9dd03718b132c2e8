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
    addressed_in_chat,
    addressed_names,
    age_from_date,
    avatar_names,
    bracketed_ages,
    build_analyzer,
    capital_towns,
    check_entities,
    complete_tokens,
    conversation_lists,
    datelines,
    dates_across_lines,
    detect_entities,
    drop_allowed,
    drop_contained_spans,
    initialled_names,
    initials_after,
    is_dosed,
    is_lab_value,
    is_letter_mark,
    is_short_phone,
    is_vague_time,
    join_name_parts,
    join_place_parts,
    licence_numbers,
    listed_names,
    lone_names,
    mailbox_names,
    member_lists,
    message_senders,
    name_lines,
    name_neighbours,
    name_particles,
    numbered_places,
    particle_name_lines,
    particles_after,
    place_particles,
    presence_names,
    propagate_names,
    read_as_prose,
    speaker_names,
    split_bitcoin,
    split_cards,
    split_ethereum,
    split_ibans,
    split_ipv6,
    street_heads,
    surnames_after_initials,
    surnames_first,
    tilde_names,
    trim_date,
    trim_person,
    trim_place,
    whole_name_words,
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
        ("PB Pryor O Benoit", "Pryor O Benoit"),  # a chat avatar's initials
        ("TO Takaya M Oohara", "Takaya M Oohara"),
        ("JO Pryor O Benoit", "JO Pryor O Benoit"),  # other capitals stay
        ("PB Pryor", "Pryor"),  # the model's span of the first name only
        ("PB Anna", "PB Anna"),
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


@pytest.mark.parametrize(
    ("text", "name", "kept"),
    [
        ("Sincerely,\nMarcus Grant\nTenant Relations", "Marcus Grant\nTenant", "Marcus Grant"),  # a title below
        ("Esther Cronin\nUnit 5935", "Esther Cronin\nUnit", "Esther Cronin"),
        ("x\nTsukihiko S\nNiita", "Tsukihiko S\nNiita", "Tsukihiko S\nNiita"),  # the name wraps
        ("we met Grace\nHill there", "Grace\nHill", "Grace\nHill"),  # running text breaks a name anywhere
    ],
)
def test_trim_person_ends_a_name_alone_on_its_line_before_a_title_below(text: str, name: str, kept: str) -> None:
    trimmed = trim_person(text, at(text, name))
    assert trimmed is not None and text[trimmed.start : trimmed.end] == kept


def test_trim_person_never_runs_on_to_a_line_with_a_number() -> None:
    text = "Name of applicant Novakova, Marie\nTelephone +915254689684\nCompany McDuff"
    trimmed = trim_person(text, at(text, "Marie\nTelephone +915254689684\nCompany"))
    assert trimmed == at(text, "Marie")


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


def test_propagate_names_ignores_lower_case_inside_addresses() -> None:
    text = "From: Celine Ellis <celine.ellis@example.com>\nThanks, Celine"
    found = propagate_names(text, [at(text, "Celine Ellis")])
    assert texts(text, found) == [("PERSON", "Celine"), ("PERSON", "Ellis"), ("PERSON", "Celine")]


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
    text = "John x@John.com John.Doe JohnDeere a.John John@x.org"
    spans = propagate_names(text, [at(text, "John")])
    assert [s.start for s in spans] == [0, 16]  # the name itself, and before the dot of "John.Doe"


def test_propagate_names_learns_names_spelled_in_an_email_address() -> None:
    text = "Email: MariaGonzalez@example.com\nMaria will call. Gonzalez agreed."
    assert texts(text, propagate_names(text, [])) == [("PERSON", "Maria"), ("PERSON", "Gonzalez")]


def test_propagate_names_learns_an_accented_name_an_email_spells_plain() -> None:
    text = "Email: CikaHrvat@gustr.com\nAfter three months Čika completed induction."
    assert texts(text, propagate_names(text, [])) == [("PERSON", "Čika")]


def test_propagate_names_finds_names_in_capitals_too() -> None:
    text = "Applicant name TRETIAKOV, Luke\nEmail LukeTretiakov@fleckens.hu\nJohn Smith\nJOHN SMITH\nINVOICE"
    spans = propagate_names(text, [at(text, "John Smith")])
    assert texts(text, spans) == [
        ("PERSON", "TRETIAKOV"),
        ("PERSON", "Luke"),
        ("PERSON", "John"),
        ("PERSON", "Smith"),
        ("PERSON", "JOHN"),
        ("PERSON", "SMITH"),
    ]


def test_propagate_names_learns_names_a_small_letter_mailbox_spells() -> None:
    text = "Invoice to Margit Lengyel\nmargit.lengyel@libero.it\nsalma.hamoudi@m.net\nSalma completed induction."
    assert texts(text, propagate_names(text, [])) == [
        ("PERSON", "Margit"),
        ("PERSON", "Lengyel"),
        ("PERSON", "Salma"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Customer Care: customer.care@shop.com",  # a shared mailbox's role
        "Write to rose.garden.tours@x.org about the Garden.",  # dictionary words, most of the mailbox not on the page
        "Mail al.li@x.org. Al and Li.",  # too short
    ],
)
def test_propagate_names_takes_no_role_or_dictionary_word_from_a_mailbox(text: str) -> None:
    assert propagate_names(text, []) == []


def test_propagate_names_needs_the_email_parts_to_be_most_of_the_local_part() -> None:
    text = "Write to Jo7734591@example.com. Jo said so."
    assert propagate_names(text, []) == []


def test_propagate_names_finds_names_ocr_ran_together() -> None:
    text = "Anna Shah 11:46\nAnnaR Shah 11:54\nAnnaShah_ 13:32\nAnnaRS AnnaDeere Annas\n@ AnnaS.\nAnnaShah."
    spans = propagate_names(text, [at(text, "Anna Shah")])
    assert sorted(text[s.start : s.end] for s in spans) == sorted(
        ["Anna", "Shah", "Shah", "AnnaR", "AnnaShah_", "AnnaS.", "AnnaShah"]  # not a sentence's full stop
    )


def test_propagate_names_finds_a_name_run_into_an_avatars_initials_opening_a_line() -> None:
    text = "Alik, Christopher, You\nAGAlik\nssh into it\nsee RTAlik\nAGB"
    spans = propagate_names(text, [at(text, "Alik")])
    assert sorted(text[s.start : s.end] for s in spans) == ["AGAlik", "Alik"]  # not within a line


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


def test_propagate_names_finds_chat_mentions_in_any_case() -> None:
    text = "Marilena, Erik, You\nthe build gives a 502 (@ erik\nask @Erik or @erikson or erik@x.org"
    spans = propagate_names(text, [at(text, "Erik")])
    assert sorted(texts(text, spans)) == [("PERSON", "@ erik"), ("PERSON", "@Erik"), ("PERSON", "Erik")]


def test_propagate_names_finds_a_name_cut_short() -> None:
    text = "Narimane Mazouz 18:03\nNar, I'll forward it\nok Nar\nNarrow escape. Narimanes"
    spans = propagate_names(text, [at(text, "Narimane Mazouz")])
    assert sorted(texts(text, spans)) == [
        ("PERSON", "Mazouz"),
        ("PERSON", "Nar"),
        ("PERSON", "Nar"),
        ("PERSON", "Narimane"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Annabel Lee\nann is here. Ann",  # written in lower case too
        "Maya Lee\nMay I?",  # a month, and only one letter cut
        "Davide Lee\nDa Silva",  # too short
    ],
)
def test_propagate_names_near_misses_of_a_name_cut_short(text: str) -> None:
    name = text.split("\n")[0]
    assert [t for _, t in texts(text, propagate_names(text, [at(text, name)]))] == name.split()


def test_propagate_names_on_empty_text() -> None:
    assert propagate_names("", []) == []


# ------------------------------------------------------------------------------------ addressed_names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Alma, can | please speak to your boss?", "Alma"),  # a dictionary word that is also a given name
        ("Sent. Edward, did the payment go through?", "Edward"),
        ("Cantemir, can we move it?", "Cantemir"),
    ],
)
def test_addressed_names_take_the_name_a_question_is_put_to(text: str, name: str) -> None:
    assert texts(text, addressed_names(text)) == [("PERSON", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Now, can we move it?",  # an interjection
        "Okay, did it work?",
        "Cool, what's the address?",  # no question word after the comma
        "Thanks, can you call?",  # a document word
        "ask Alma, can you",  # not opening a sentence
        "Alma can you",
    ],
)
def test_addressed_names_near_misses(text: str) -> None:
    assert addressed_names(text) == []


# ------------------------------------------------------------------------------------ split_cards


@pytest.mark.parametrize(
    ("text", "card"),
    [
        ("returned to card 4710 6296 7121\n3600 within five days", "4710 6296 7121\n3600"),
        ("card 4710-6296-7121-\n3600.", "4710-6296-7121-\n3600"),
        ("Visa 4111 1111\n1111 1111", "4111 1111\n1111 1111"),
    ],
)
def test_split_cards_join_a_card_number_a_line_break_cut(text: str, card: str) -> None:
    assert texts(text, split_cards(text)) == [("CREDIT_CARD", card)]


@pytest.mark.parametrize(
    "text",
    [
        "call 4710 6296 7121\n3601 now",  # the check digit does not hold
        "2016\n2017 2018 2019",
        "4710 6296 7121 3600",  # on one line: the card recognizer's
        "4710 6296\n\n7121 3600",
    ],
)
def test_split_cards_near_misses(text: str) -> None:
    assert split_cards(text) == []


# ------------------------------------------------------------------------------------ surnames_after_initials


@pytest.mark.parametrize(
    ("text", "found", "grown"),
    [
        ("send it to Marcela G\nJanoSekova-Martova at 4475", "Marcela G", "Marcela G\nJanoSekova-Martova"),
        ("Per P. Brown said", "Per P.", "Per P. Brown"),  # a dictionary word
        ("Per |. Brown said", "Per |.", "Per |. Brown"),  # "I." as OCR reads it
    ],
)
def test_surnames_after_initials_grow_a_name_over_its_surname(text: str, found: str, grown: str) -> None:
    assert texts(text, surnames_after_initials(text, [at(text, found)])) == [("PERSON", grown)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ann B The", "Ann B"),  # a document word
        ("Ann B.", "Ann B."),
        ("Ann Bo Lee", "Ann Bo"),  # no initial
        ("Ann B lee", "Ann B"),
        ("Ann B Lee", "B"),  # an initial alone is no name
    ],
)
def test_surnames_after_initials_near_misses(text: str, found: str) -> None:
    assert surnames_after_initials(text, [at(text, found)]) == []


def test_surnames_after_initials_only_grow_people() -> None:
    text = "Vitamin D Levels"
    assert surnames_after_initials(text, [at(text, "Vitamin D", "LOCATION")]) == []


# ------------------------------------------------------------------------------------ listed_names


def test_listed_names_take_the_others_of_a_list_with_a_found_name() -> None:
    text = "our 3 founders: Blot, Nucci and\nMensah. The idea"
    assert texts(text, listed_names(text, [at(text, "Mensah")])) == [("PERSON", "Blot"), ("PERSON", "Nucci")]


def test_listed_names_follow_a_list_over_line_breaks() -> None:
    text = "They had 6: Fabio, Manuela,\nMathilde, Eugène\nand Ava. Dereck"
    found = listed_names(text, [at(text, "Manuela"), at(text, "Mathilde"), at(text, "Fabio"), at(text, "Eugène")])
    assert texts(text, found) == [("PERSON", "Ava")]


@pytest.mark.parametrize(
    ("text", "found", "entity_type"),
    [
        ("Paris, London and Berlin", "Paris", "LOCATION"),  # no person found in it
        ("Ann, Monday and Bo", "Ann", "PERSON"),  # a day
        ("Ann and Bo", "Ann", "PERSON"),  # two: a list of three or more
        ("Smith, Jones & Partners", "Smith", "PERSON"),  # a firm
        ("Ann, Bo, and the rest", "Ann", "PERSON"),
    ],
)
def test_listed_names_near_misses(text: str, found: str, entity_type: str) -> None:
    assert listed_names(text, [at(text, found, entity_type)]) == []


# ------------------------------------------------------------------------------------ mailbox_names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("To: Isabelle Marx-Dos santos <isabelle.marxdossantos@yahoo.com>", "Isabelle Marx-Dos santos"),
        ("From: Ann Lee <AnnLee@cuvox de>", "Ann Lee"),  # OCR's space for the dot
        ("Cc: Zoë Ångström <zoe_angstrom42@mail.se>", "Zoë Ångström"),
        ("write to Kim Hoang (kim.hoang@x.com) today", "Kim Hoang"),
    ],
)
def test_mailbox_names_take_the_name_its_mailbox_spells(text: str, name: str) -> None:
    assert texts(text, mailbox_names(text)) == [("PERSON", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Support team <help@x.com>",
        "Ann Lee <alee@x.com>",  # an initial: the mailbox does not spell the whole name
        "Ann Lee annlee@x.com",  # no brackets
        "Mr Bo <bo@x.com>",  # too short to tell
    ],
)
def test_mailbox_names_near_misses(text: str) -> None:
    assert mailbox_names(text) == []


# ------------------------------------------------------------------------------------ lone_names


def test_lone_names_find_a_name_alone_on_a_line_though_it_is_a_word() -> None:
    text = "Can 5:45 PM\nwhat time?\n3) Can\nremind me tomorrow\nCan\nI can check\nCan do, said Can"
    found = lone_names(text, [at(text, "Can")])
    assert texts(text, found) == [("PERSON", "Can")] * 2
    assert [s.start for s in found] == [text.index("3) Can") + 3, text.index("\nCan\n") + 1]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Can 5:45 PM\nCanada", "Can"),  # a longer word
        ("Can 5:45 PM\nCan we go?", "Can"),  # not alone on its line
        ("Dear Ann\nDear", "Dear"),  # a document word
        ("Ann Lee\nMay", "May"),
    ],
)
def test_lone_names_near_misses(text: str, found: str) -> None:
    assert lone_names(text, [at(text, found)]) == []


def test_lone_names_only_of_people() -> None:
    text = "Oslo\nOslo"
    assert lone_names(text, [at(text, "Oslo", "LOCATION")]) == []


# ------------------------------------------------------------------------------------ join_name_parts


@pytest.mark.parametrize(
    "text",
    [
        "Madison N Gallagher",
        "Madison N. Gallagher",
        "Madison Gallagher",
        "Madison |. Gallagher",  # OCR reads the initial "I." as a bar
        "Madison\nI. Gallagher",  # the initial opens the next line
        "Madison van der Gallagher",
        "Madison Mac an Gallagher",  # Irish: "Matthew Mac an Ghabhann"
        "Madison O Gallagher",  # "Ó" as OCR reads it
        "Madison-Gallagher",  # "Jean-Claude", "Marx-Dos Santos"
    ],
)
def test_join_name_parts_joins_parts_across_a_space_an_initial_or_particles(text: str) -> None:
    first, last = at(text, "Madison"), at(text, "Gallagher", score=0.6)
    assert join_name_parts(text, [last, first]) == [Span("PERSON", 0, len(text), 0.6)]  # input order is irrelevant


@pytest.mark.parametrize(
    "text",
    [
        "Madison and Gallagher",
        "Madison\nGallagher",
        "Madison  Gallagher",
        "Madison, Gallagher",
        "Madison NG Gallagher",
        "Madison | Gallagher",  # a table's rule between two cells
        "Madison to the Gallagher",
        "Madison - Gallagher",
        "Madison--Gallagher",
    ],
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


# ------------------------------------------------------------------------------------ name_particles


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("Mrs. O Coighin is", "Coighin", "O Coighin"),
        ("Mrs. Ó Coighin is", "Coighin", "Ó Coighin"),
        ("— Sietske van der Wardt", "Wardt", "van der Wardt"),
        ("Gerrit de Vries", "Vries", "de Vries"),
        ("commenter Philip\n|. Jessen points", "Jessen", "|. Jessen"),
    ],
)
def test_name_particles_open_a_name(text: str, found: str, whole: str) -> None:
    assert name_particles(text, [at(text, found, score=0.7)]) == [at(text, whole, score=0.7)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ann Vries", "Vries"),  # no particle
        ("advan Vries", "Vries"),  # the end of a word, not a particle
        ("a@de Vries", "Vries"),
        ("Total | Vries", "Vries"),  # a bar alone is a table's rule, not an initial
        ("de Vries", "de Vries"),  # the particle is taken already
    ],
)
def test_name_particles_near_misses(text: str, found: str) -> None:
    assert name_particles(text, [at(text, found)]) == []


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("The property at De Bongerd 68, Oldebroek", "Bongerd 68, Oldebroek", "De Bongerd 68, Oldebroek"),
        ("lives on La Rambla 12.", "Rambla 12", "La Rambla 12"),
    ],
)
def test_place_particles_open_a_street(text: str, found: str, whole: str) -> None:
    assert place_particles(text, [at(text, found, "LOCATION", score=0.5)]) == [at(text, whole, "LOCATION", score=0.5)]


@pytest.mark.parametrize(
    ("text", "found", "entity_type"),
    [
        ("moved to De Bongerd", "Bongerd", "LOCATION"),  # no house number: a town's name may follow an article
        ("met Da Silva 2 times", "Silva 2", "PERSON"),
        ("Linde Bongerd 68", "Bongerd 68", "LOCATION"),  # the end of a word
    ],
)
def test_place_particles_near_misses(text: str, found: str, entity_type: str) -> None:
    assert place_particles(text, [at(text, found, entity_type)]) == []


def test_name_particles_only_grow_people() -> None:
    text = "Mota del Cuervo"
    assert name_particles(text, [at(text, "Cuervo", "LOCATION")]) == []


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("Veronica van der Voet of Delacruz", "Veronica van", "Veronica van der Voet"),  # cut at a particle
        ("ask Gerrit van der Wardt today", "Gerrit", "Gerrit van der Wardt"),  # cut before them
        ("Leila bin Talal, 34", "Leila", "Leila bin Talal"),
        ("— Veronica R van der\nVoet, Hoist operator", "Veronica R", "Veronica R van der\nVoet"),  # a wrapped line
    ],
)
def test_particles_after_carry_a_name_to_its_surname(text: str, found: str, whole: str) -> None:
    assert particles_after(text, [at(text, found, score=0.7)]) == [at(text, whole, score=0.7)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ann Vries and", "Ann"),  # no particle
        ("Ann\nVries and", "Ann"),
        ("Anna de Good times", "Anna"),  # a dictionary word after the particle
        ("Anna de la", "Anna"),  # particles leading nowhere
        ("Anna van-Dyke", "Anna"),
    ],
)
def test_particles_after_near_misses(text: str, found: str) -> None:
    assert particles_after(text, [at(text, found)]) == []


CHAT = "hi there 6:40 PM\nsee you soon 6:41 PM\nok 6:42 PM\n"


@pytest.mark.parametrize(
    ("message", "names"),
    [
        ("lol Else you legend 6:45 PM", ["Else"]),
        ("tell Cor to call me\n7:57 PM", ["Cor"]),  # the time on a line of its own
        ("Tomas and Coral are already here 11:29", ["Coral"]),  # the first opens the message: left to the model
        ("Kat, send me the link 7:03 PM", ["Kat"]),  # opening the message, before a comma
        ("did you get it? Mar, it is here 7:04 PM", ["Mar"]),
        ("I think Kat is right 7:05 PM", ["Kat"]),
        ("Odongo Mwaniki 13:58\ntell Cor to call me", ["Cor"]),  # under its sender's name and time
    ],
)
def test_addressed_in_chat_takes_the_capitalised_words_of_a_message_in_small_letters(
    message: str, names: list[str]
) -> None:
    text = CHAT + message
    assert texts(text, addressed_in_chat(text)) == [("PERSON", name) for name in names]


@pytest.mark.parametrize(
    "message",
    [
        "Sure thing 6:45 PM",  # opening the message, no comma
        "Ok, see you there 6:45 PM",  # an interjection
        "see you on Monday 6:45 PM",  # a day
        "see you on Mar 10 then 6:45 PM",  # a month before a number
        "meet Anna and Kat and Jo there 6:45 PM",  # more capitalised words than a message in small letters holds
        "Meeting Anna at Tesco 6:45 PM",  # a capitalised word besides
        "call Anna 6:45 PM",  # one word in small letters
        "see. Anna is here 6:45 PM",  # opening a sentence
        "| Search or start new chat 6:45 PM",  # after a mark OCR read from an icon
        "Record\n| Blood type Primary care a",  # no time beside it: a form's labels on a page with times
        "Record\ntell Cor to call me",
    ],
)
def test_addressed_in_chat_leaves_other_messages(message: str) -> None:
    text = CHAT + message
    assert addressed_in_chat(text) == []


def test_addressed_in_chat_needs_a_page_of_timed_messages() -> None:
    text = "hi there 6:40 PM\nlol Else you legend 6:45 PM\ntell Cor to call me"
    assert addressed_in_chat(text) == []
    assert addressed_in_chat("Please ask the Registrar for a copy of the form") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Patrizia\nQuinn van Beers\nthat is fine", "Quinn van Beers"),
        ("© Quinn van der Beers 11:54 AM\nok", "Quinn van der Beers"),  # an avatar's mark, a time
        ("Aziz A bin Talal", "Aziz A bin Talal"),
    ],
)
def test_a_line_that_is_a_name_with_particles_is_a_person(text: str, name: str) -> None:
    assert texts(text, particle_name_lines(text)) == [("PERSON", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Museum van Gogh",  # a common word first
        "Rio de Janeiro",  # Romance particles: places as often
        "ask Quinn van Beers",  # more on the line
        "Quinn van Beers said so",
    ],
)
def test_particle_name_lines_need_the_line_to_be_the_name(text: str) -> None:
    assert particle_name_lines(text) == []


def test_particles_after_only_grow_people() -> None:
    text = "Mota del Cuervo"
    assert particles_after(text, [at(text, "Mota", "LOCATION")]) == []


# ------------------------------------------------------------------------------------ whole_name_words


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("Dr. Vaclav Slepi¢ka, MD", "Vaclav Slepi", "Vaclav Slepi¢ka"),  # OCR reads "č" as "¢"
        ("Danijela Stojni¢ on", "Danijela Stojni", "Danijela Stojni¢"),
    ],
)
def test_whole_name_words_grow_a_name_to_its_word_end(text: str, found: str, whole: str) -> None:
    assert whole_name_words(text, [at(text, found, score=0.7)]) == [at(text, whole, score=0.7)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ann Lee, MD", "Ann Lee"),  # the word ends there
        ("Multi-channeled", "Multi"),  # a hyphen joins words
        ("ann.lee@mail.com", "ann"),
        ("Ann's", "Ann"),
        ("Ann 2", "Ann"),
    ],
)
def test_whole_name_words_near_misses(text: str, found: str) -> None:
    assert whole_name_words(text, [at(text, found)]) == []


def test_whole_name_words_only_grow_people() -> None:
    text = "Oslo¢"
    assert whole_name_words(text, [at(text, "Oslo", "LOCATION")]) == []


# ------------------------------------------------------------------------------------ name_lines


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("account? User\nBiagio Cocci\nThe new", "Biagio", "Biagio Cocci"),  # "cocci" is a dictionary word
        ("x\nYoung Nkansah", "Nkansah", "Young Nkansah"),  # the given name the dictionary knows
        ("Biagio K. Cocci", "Biagio", "Biagio K. Cocci"),
    ],
)
def test_name_lines_take_the_other_word_of_a_two_word_line(text: str, found: str, whole: str) -> None:
    assert texts(text, name_lines(text, [at(text, found)])) == [("PERSON", whole)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Volunteer Corner", "Corner"),  # the model's name is a dictionary word: a heading
        ("Biagio Notes", "Biagio"),  # a document word
        ("Biagio Today", "Biagio"),
        ("Biagio Cocci said", "Biagio"),  # not alone on the line
        ("Biagio, Cocci", "Biagio"),
    ],
)
def test_name_lines_near_misses(text: str, found: str) -> None:
    assert name_lines(text, [at(text, found)]) == []


# ------------------------------------------------------------------------------------ surnames_first


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("Name\nLARSEN, Petrine R. | EMP-8455683", "Petrine R.", "LARSEN, Petrine R."),
        ("KHURANA, Gaurang", "Gaurang", "KHURANA, Gaurang"),
        ("VAN DER BERG, Anna", "Anna", "VAN DER BERG, Anna"),
        ("Name of applicant OJO, David", "David", "OJO, David"),  # after a label, no English word
    ],
)
def test_surnames_first_take_the_surname_in_capitals(text: str, found: str, whole: str) -> None:
    assert surnames_first(text, [at(text, found, score=0.7)]) == [at(text, whole, score=0.7)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Larsen, Petrine", "Petrine"),  # not in capitals
        ("Applicant SOLE, Petrine", "Petrine"),  # an English word, not opening the line
        ("NAME, Petrine", "Petrine"),  # a label
        ("LARSEN Petrine", "Petrine"),  # no comma
    ],
)
def test_surnames_first_near_misses(text: str, found: str) -> None:
    assert surnames_first(text, [at(text, found)]) == []


# ------------------------------------------------------------------------------------ name_neighbours


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("Simone Kristoffersen wrote", "Kristoffersen", "Simone Kristoffersen"),
        ("Simone Kristoffersen wrote", "Simone", "Simone Kristoffersen"),
        ("Kristoffersen\nSimone", "Simone", "Kristoffersen\nSimone"),
        ("Ångström Zoë", "Zoë", "Ångström Zoë"),
        ("Amadeo C Vitorovic of", "Amadeo", "Amadeo C Vitorovic"),  # over a middle initial
        ("Amadeo C. Vitorovic of", "Vitorovic", "Amadeo C. Vitorovic"),
        ("directed by SimphiweyiNkosi\nDuze", "Duze", "SimphiweyiNkosi\nDuze"),  # two words OCR ran together
        ("Vinicio ladanza\nValja", "Vinicio", "Vinicio ladanza"),  # "I" read "l"
        ("x\nigor Barros Yesterday", "Barros", "igor Barros"),  # a capital read small, opening the line
        ("Customer:\nlan S Vignon\n534 Morgan", "Vignon", "lan S Vignon"),  # "I" read "l", an initial after
        ("jifi Schafer\nUnit 8792", "Schafer", "jifi Schafer"),
        ("Signed: Marcel Rezmer, MD", "Rezmer", "Marcel Rezmer"),  # a proper noun right before, on its line
        ("Parcels for Marcel\nRezmer can", "Rezmer", "Marcel\nRezmer"),  # or closing a sentence's line above
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
        ("Simone lives here", "Simone"),  # a lower-case word after a name is "l" for "I" only when unfamiliar
        ("Simone kristoffersen", "Simone"),  # no other lower-case head
        ("thanks Kristoffersen", "Kristoffersen"),  # a word in lower case opening the line is a dictionary word
        ("lol Kristoffersen", "Kristoffersen"),  # or chat shorthand
        ("so igor Barros", "Barros"),  # or does not open the line
        ("x\nlater Vignon said", "Vignon"),  # "Iater" is no name
        ("Caroline\nRezmer", "Rezmer"),  # a proper noun on the line before may head a list: no given name
        ("To: Caroline\nRezmer", "Rezmer"),  # after no word in small letters
        ("Rezmer Marcel", "Rezmer"),  # nor after the name
        ("Hospital Rezmer", "Rezmer"),  # a common word
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


def test_address_block_in_a_quoted_email() -> None:
    text = "> Heli M Ylimaki\n> 12 Oak Road\n> Smithshire\n> Dear"
    found = address_blocks(text, [at(text, "12 Oak Road", "LOCATION")])
    assert texts(text, found) == [("PERSON", "Heli M Ylimaki"), ("LOCATION", "Smithshire")]


def test_address_block_takes_a_street_line_of_a_run_whole() -> None:
    text = "> 7963 An Der Schiitt 54\n> Apt. 103\n> Dear"
    spans = [at(text, "Der Schiitt 54", "LOCATION"), at(text, "Apt. 103", "LOCATION")]
    assert texts(text, address_blocks(text, spans)) == [("LOCATION", "7963 An Der Schiitt 54")]
    alone = "Oslo\n12 people came to the fair\nDear"  # one located line: no run
    assert address_blocks(alone, [at(alone, "Oslo", "LOCATION")]) == []


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
        ("12 Oak Road\n9 on Saturday.", []),  # a day is no town
    ],
)
def test_address_block_stops_at_lines_that_are_no_address(text: str, expected: Found) -> None:
    assert texts(text, address_blocks(text, [at(text, "12 Oak Road", "LOCATION")])) == expected


def test_address_block_street_lines_are_no_sentences() -> None:
    text = "admitted on October 04,\n2025 with chest pain radiating\nUruguay 15000. The"
    assert address_blocks(text, [at(text, "Uruguay 15000.", "LOCATION")]) == []
    street = "Dear\n12 Oak Road\nUruguay 15000. The"
    found = address_blocks(street, [at(street, "Uruguay 15000.", "LOCATION")])
    assert texts(street, found) == [("LOCATION", "12 Oak Road")]


def test_address_block_takes_a_town_line_in_a_run_whole() -> None:
    text = "Stadionska ulica 318\nNovo mesto, Podravska 9845\nSlovenia"
    spans = [at(text, "Stadionska ulica 318", "LOCATION"), at(text, "Podravska 9845", "LOCATION")]
    found = texts(text, address_blocks(text, spans))
    assert found == [("LOCATION", "Novo mesto, Podravska 9845"), ("LOCATION", "Slovenia")]
    prose = "Stadionska ulica 318\nsee you at Podravska 9845"  # English small words: a sentence
    assert (
        address_blocks(prose, [at(prose, "Stadionska ulica 318", "LOCATION"), at(prose, "Podravska 9845", "LOCATION")])
        == []
    )


def test_address_block_takes_a_region_code_over_a_postcode() -> None:
    text = "677 Bousova 6 Apt. 540\nKostany\nIA\n147 87\nSo where"
    spans = [at(text, "677 Bousova 6 Apt. 540", "LOCATION"), at(text, "Kostany", "LOCATION")]
    assert texts(text, address_blocks(text, spans)) == [("LOCATION", "IA"), ("LOCATION", "147 87")]


@pytest.mark.parametrize("below", ["IA\nThe end", "OK\nThanks", "FAQ\nRead more"])
def test_address_block_leaves_capitals_over_no_postcode(below: str) -> None:
    text = f"12 Oak Road\nKostany\n{below}"
    spans = [at(text, "12 Oak Road", "LOCATION"), at(text, "Kostany", "LOCATION")]
    assert address_blocks(text, spans) == []


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
        ("Abduboriyov Date: 08/10/2020\nVisoka 7b Due date: 1/6/2020", "Visoka", "Visoka 7b"),  # an invoice's column
        ("Form\nPedro de Valdivia 767\n4032090 Las Cabras", "Valdivia", "Pedro de Valdivia 767"),  # names before it
        ("Gabriel Guevara 5583", "Guevara", "Gabriel Guevara 5583"),
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
        ("Smith 42 is here: yes", "Smith"),  # a sentence, not a label, after the number
        ("Smith\n42", "Smith"),  # the number is on another line
    ],
)
def test_numbers_elsewhere_make_no_place(text: str, span: str) -> None:
    assert numbered_places(text, [at(text, span)]) == []


@pytest.mark.parametrize(
    ("text", "span", "place"),
    [
        ("Invoice Total Smith 767", "Smith", "Smith 767"),  # a label is no street's name
        ("paid to Smith 767", "Smith", "Smith 767"),  # a word in small letters
        ("One Two Three Four Smith 767", "Smith", "Smith 767"),  # more than three names before it
    ],
)
def test_numbered_places_take_only_names_before_the_street(text: str, span: str, place: str) -> None:
    assert texts(text, numbered_places(text, [at(text, span)])) == [("LOCATION", place)]


def test_a_street_that_name_neighbours_joined_to_the_name_above_gets_its_number() -> None:
    text = "Miaside, Apr 13, 2019\nBorka G Molnar\nKamperhoug 5\nRisskov, 8229"
    grown = name_neighbours(text, [at(text, "Borka G Molnar")])
    assert texts(text, grown) == [("PERSON", "Borka G Molnar\nKamperhoug")]
    assert texts(text, numbered_places(text, grown)) == [("LOCATION", "Kamperhoug 5")]


def test_detect_entities_numbers_a_street_joined_to_the_name_above(analyzer: Analyzer) -> None:
    text = "Miaside, Apr 13, 2019\nBorka G Molnar\nKamperhoug 5\nRisskov, 8229\nDear Ms. Molnar,"
    found = texts(text, detect_entities(analyzer, text, entities=("PERSON", "LOCATION"), score_threshold=0.3))
    assert any(kind == "LOCATION" and "Kamperhoug 5" in value for kind, value in found)


@pytest.mark.parametrize(
    ("text", "street", "place"),
    [
        ("from rue de Vallélian\n75 between nine and five", "rue de Vallélian", "rue de Vallélian\n75"),
        ("at Kirke Road\n12.", "Kirke Road", "Kirke Road\n12"),
    ],
)
def test_numbered_places_take_the_house_number_opening_the_next_line(text: str, street: str, place: str) -> None:
    assert texts(text, numbered_places(text, [at(text, street, "LOCATION")])) == [("LOCATION", place)]


@pytest.mark.parametrize(
    ("text", "name", "kind", "place"),
    [
        (
            "sent to Gauselstraen\n39, 4032 STAVANGER? Parking",
            "Gauselstraen",
            "PERSON",
            "Gauselstraen\n39, 4032 STAVANGER",
        ),
        (
            "It's in Hubatschstrasse\n39, SAXEN 4351. Our",
            "Hubatschstrasse",
            "LOCATION",
            "Hubatschstrasse\n39, SAXEN 4351",
        ),
    ],
)
def test_any_name_takes_a_house_number_postcode_and_town_opening_the_next_line(
    text: str, name: str, kind: str, place: str
) -> None:
    assert texts(text, numbered_places(text, [at(text, name, kind)])) == [("LOCATION", place)]


@pytest.mark.parametrize(
    "text",
    [
        "Dear Anna Berg\n39, but nothing more",  # a number alone after a name that is no street
        "Dear Anna Berg\n39, 4032 and 12",  # no town
        "Dear Anna Berg 39, 4032 STAVANGER",  # on the name's line: numbered otherwise, or not at all
    ],
)
def test_a_name_takes_no_number_below_without_a_postcode_and_town(text: str) -> None:
    assert numbered_places(text, [at(text, "Anna Berg", "PERSON")]) == []


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [
        ("the north side of Orrspelsv 7. Management", "Orrspelsv", "Orrspelsv 7"),
        ("parcels go to Kamperhoug 5a, then", "Kamperhoug", "Kamperhoug 5a"),
        ("the north side of 13 Faubourg Saint Honoré.\nYours", "Faubourg Saint Honoré", "13 Faubourg Saint Honoré"),
    ],
)
def test_numbered_places_take_a_number_closing_a_sentence_after_a_preposition(text: str, name: str, place: str) -> None:
    assert texts(text, numbered_places(text, [at(text, name)])) == [("LOCATION", place)]


@pytest.mark.parametrize(
    "text",
    [
        "I paid Kamperhoug 20. She",  # no preposition of place
        "He lives in Kamperhoug 2019. Then",  # a year
        "a flat in Kamperhoug 5 rooms",  # the sentence goes on
        "a family of 4 Kamperhoug went",
        "I paid 20 Kamperhoug.",  # no preposition of place
    ],
)
def test_numbered_places_take_no_number_closing_a_sentence_otherwise(text: str) -> None:
    assert numbered_places(text, [at(text, "Kamperhoug")]) == []


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("we met in Oslo\n12 people came", "Oslo"),  # no street
        ("from rue de Vallélian\n2019 was a year", "rue de Vallélian"),  # a year
        ("from rue de Vallélian\n75 32 11 08", "rue de Vallélian"),  # a phone number's first digits
        ("from rue de Vallélian 4\n75 between", "rue de Vallélian 4"),  # numbered already
    ],
)
def test_numbered_places_take_no_other_number_from_the_next_line(text: str, street: str) -> None:
    assert numbered_places(text, [at(text, street, "LOCATION")]) == []


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
        # a town in capitals between the street and the country
        ("Eriksbo Vastergarde 98, ANGERED, Sweden 424 88.", "Sweden", "Vastergarde 98, ANGERED, Sweden 424 88."),
        ("Veslebakken 48, 9408 HARSTAD, Norway", "Norway", "Veslebakken 48, 9408 HARSTAD, Norway"),
        ("Södra Kroksdal 82, ÄLGARÅS\nSweden", "Södra Kroksdal 82", "Södra Kroksdal 82, ÄLGARÅS"),
        ("San Juan de la\nCosta, Chile 6363550\nReferring", "Chile", "Chile 6363550"),  # Chile's seven digits
        ("Born in Crivelli (AG), Switzerland, Dionyz later", "Crivelli", "Crivelli (AG),"),  # a canton's code
        (
            "at Apt. 14, ul. Filtrowa 70, Warszawa, 02-057. Blood",  # a town before its postcode
            "Apt. 14, ul. Filtrowa 70",
            "Apt. 14, ul. Filtrowa 70, Warszawa, 02-057.",
        ),
        (
            "7301 Jonathan\nInlet, Suite\n195,\nPetersenbury,",
            "7301 Jonathan\nInlet",
            "7301 Jonathan\nInlet, Suite\n195",
        ),
        # a town before the state's code, whose postcode a line break pushed to the next line
        (
            "It's in 950 Gonzalez Greens, Suite 966, North Robert, CO\n80604.",
            "950 Gonzalez Greens",
            "950 Gonzalez Greens, Suite 966, North Robert, CO\n80604",
        ),
        ("Tamasivaros, Hungary H-9756 for this", "Hungary", "Hungary H-9756"),
        ("Calle José Uribe 428 Dpto. 25\nLa Reina", "Calle José Uribe 428", "Calle José Uribe 428 Dpto. 25"),
        # a town closing the line before the postcode on the next one
        (
            "lease for\n89294 Carlson Motorway, Apt. 358, Jacksonton,\nAZ 42674 runs",
            "89294 Carlson Motorway",
            "89294 Carlson Motorway, Apt. 358, Jacksonton,\nAZ 42674",
        ),
        # a town, its region and its postcode opening the next line
        (
            "office is at Löchelring 60\nErbisdorf, Thüringen 55724. The group",
            "Löchelring 60",
            "Löchelring 60\nErbisdorf, Thüringen 55724",
        ),
        (
            "are located at P.O. Box 3352,\nSkagastrond 545. The roof",
            "P.O. Box 3352",
            "P.O. Box 3352,\nSkagastrond 545",
        ),
        # a town before a Dutch postcode, and the postcode
        ("Lizaboulevard 825, Zennewijnen, 6792IP", "Lizaboulevard 825", "Lizaboulevard 825, Zennewijnen, 6792IP"),
        # a town after the postcode that closes an address in running text
        ("send it to Nygade 4, 8420 Sulsted before Friday", "Nygade 4", "Nygade 4, 8420 Sulsted"),
        ("at Apt. 397 84728 Thank you", "Apt. 397", "Apt. 397 84728"),  # not an English word
        # a street and a house number with a door before the town
        ("Bijenicka 6a/7, Ivanec, Osjecko 11179", "Ivanec, Osjecko 11179", "Bijenicka 6a/7, Ivanec, Osjecko 11179"),
        ("Mail to Marina 44/43, Knurow.", "Knurow", "Marina 44/43, Knurow"),
        # a town before its region and postcode
        (
            "addressed to 30 West Ithafa, Bethlehem, Noord-Kaap 6223. The",
            "30 West Ithafa",
            "30 West Ithafa, Bethlehem, Noord-Kaap 6223.",
        ),
        # a district of three words before the country and postcode
        (
            "Address: 41 Rue de Marrakech, Residence El Ouns, Tunisia 2058",
            "41 Rue de Marrakech",
            "41 Rue de Marrakech, Residence El Ouns, Tunisia 2058",
        ),
        # a word that wraps to a line opening with a town and its postcode
        (
            "same: Flat 3, 32 Rue Camille des Moulins, Cite\nBouslama, 8042. Call",
            "Flat 3, 32 Rue Camille des Moulins",
            "Flat 3, 32 Rue Camille des Moulins, Cite\nBouslama, 8042",
        ),
        # a town that is a word, before its region and postcode
        (
            "is at Rue Chatriant 96, Pellet, Grisons 1290. In",
            "Rue Chatriant 96",
            "Rue Chatriant 96, Pellet, Grisons 1290.",
        ),
    ],
)
def test_absorb_address_fragments_grows_a_location_over_pieces_beside_it(text: str, location: str, grown: str) -> None:
    [span] = absorb_address_fragments(text, [at(text, location, "LOCATION", 0.6)])
    assert (span.entity_type, text[span.start : span.end], span.score) == ("LOCATION", grown, 0.6)


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Rome is nice", "Rome"),
        ("We flew to Oslo on Monday", "Oslo"),
        ("Oslo\n42 people came", "Oslo"),
        ("City /State/ ZIP Hrotovice 675 55", "Hrotovice 675 55"),  # a form's label
        ("Address: Suite 17, avenue de Romanens Emergency\ncontact", "Suite 17, avenue de Romanens"),  # a label
        ("The restaurant is at 27989\nWhitney Cliff. During 2004, Adams,", "27989\nWhitney Cliff."),  # a new sentence
        ("office is at Löchelring 60\nRevenue 2024 rose", "Löchelring 60"),  # an English word and a year
        ("Augtooa, Zakvvo 187 34\nTel 6956 167 909", "Augtooa, Zakvvo 187 34"),  # a label and its number
        ("Sent March 03, 2024, Ivopad 999", "Ivopad 999"),  # a date before the street
        ("on 3 March 2024, Ivopad 999", "Ivopad 999"),
        ("Since Dec. 12, Ivopad 999", "Ivopad 999"),
        ("is at Camille des Moulins, Cite\nthe 2 of them", "Camille des Moulins"),  # an English word, no town below
    ],
)
def test_absorb_address_fragments_leaves_a_location_with_nothing_beside_it(text: str, location: str) -> None:
    assert absorb_address_fragments(text, [at(text, location, "LOCATION")]) == []


def test_absorb_address_fragments_takes_a_word_wrapped_to_a_located_line() -> None:
    text = "is 5505 Gomez Views, Suite 060, South\nShawn, KY 07590"
    spans = [at(text, "5505 Gomez Views, Suite 060", "LOCATION"), at(text, "Shawn, KY 07590", "LOCATION")]
    assert "5505 Gomez Views, Suite 060, South" in texts(text, absorb_address_fragments(text, spans))[0][1]
    alone = "is 5505 Gomez Views, Suite 060, South\nThe end"
    assert absorb_address_fragments(alone, [at(alone, "5505 Gomez Views, Suite 060", "LOCATION")]) == []


def test_absorb_address_fragments_only_grows_locations() -> None:
    text = "John, Rome 12345"
    assert absorb_address_fragments(text, [at(text, "John")]) == []


# ------------------------------------------------------------------------------------ capital_towns


@pytest.mark.parametrize(
    ("text", "location", "town"),
    [
        ("Home address: 11 Barker Street,\nWEDGECARRUP,\nAustralia 6315", "11 Barker Street,", "WEDGECARRUP"),
        ("Home address: 11 Barker Street,\nWEDGECARRUP,\nAustralia 6315", "Australia", "WEDGECARRUP"),
        ("it is 14 rue du Président\nRoosevelt\nSAUMUR\nFrance 49400.", "France", "SAUMUR"),
        ("> Apt. 103\n> SCHEIBBS\n> Austria 3270.", "Apt. 103", "SCHEIBBS"),  # a quoted e-mail
        ("The property at Berggyltveien 229\nHUNDVAG, 4085 was sold", "Berggyltveien 229\n", "HUNDVAG"),
        ("the flat is Gunzing 9, BAIERDORF,\nAustria 8741", "Austria", "BAIERDORF"),
        ("Toppen 81\nBRIVE-LA-GAILLARDE", "Toppen 81", "BRIVE-LA-GAILLARDE"),
        ("Postfach 2736\nBRAILSFORD DE6 2xXJ\nPhone: +1", "Postfach 2736", "BRAILSFORD DE6 2xXJ"),  # its postcode
    ],
)
def test_capital_towns_across_a_line_break_from_a_location(text: str, location: str, town: str) -> None:
    assert texts(text, capital_towns(text, [at(text, location, "LOCATION")])) == [("LOCATION", town)]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("12 Oak Road\nINVOICE", "12 Oak Road"),  # headings in capitals are English
        ("PATIENT DETAILS\nLondon", "London"),
        ("Paris\nIBAN FR76 3000 6000", "Paris"),  # the label of an account number
        ("London\nIBAN: 1234", "London"),
        ("Oslo SAUMUR\nx", "Oslo"),  # on the same line: absorb_address_fragments' business
        ("Oslo\nThe END", "Oslo"),
        ("Oslo\nUSA", "Oslo"),  # under four letters
    ],
)
def test_capital_towns_near_misses(text: str, location: str) -> None:
    assert capital_towns(text, [at(text, location, "LOCATION")]) == []


def test_capital_towns_only_beside_locations() -> None:
    text = "John Smith\nSAUMUR"
    assert capital_towns(text, [at(text, "John Smith")]) == []


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


# ------------------------------------------------------------------------------------ is_vague_time


@pytest.mark.parametrize(
    "text",
    [
        "the coming year",
        "next month",
        "weekdays",
        "the first evening",
        "forty-eight hours",
        "30 days",
        "a couple of months",
        "three months",
        "the next\nday",
    ],
)
def test_time_phrases_that_date_nothing_are_vague(text: str) -> None:
    assert is_vague_time(text, Span("DATE_TIME", 0, len(text), 0.85))


@pytest.mark.parametrize("text", ["Tuesday", "last Tue", "12 May", "2021", "June", "every Monday", "3/4/2021", "Dec 5"])
def test_dates_with_a_digit_a_month_or_a_day_are_not_vague(text: str) -> None:
    assert not is_vague_time(text, Span("DATE_TIME", 0, len(text), 0.85))


@pytest.mark.parametrize("text", ["the 60s", "4.0-5.6", "208.71 626.13", "8+ years"])
def test_decimals_decades_and_open_durations_are_vague(text: str) -> None:
    assert is_vague_time(text, Span("DATE_TIME", 0, len(text), 0.85))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Drumul Mazilescu. The", "Drumul Mazilescu"),  # a sentence after the street
        ("Rue Mazilescu. Our Office 12", "Rue Mazilescu"),
        ("Calle Gral. Paz 12", "Calle Gral. Paz 12"),  # an abbreviation before a name
        ("12 St. Albans Road", "12 St. Albans Road"),
    ],
)
def test_trim_place_cuts_a_location_where_a_sentence_ends(text: str, kept: str) -> None:
    span = trim_place(text, Span("LOCATION", 0, len(text), 0.5))
    assert text[span.start : span.end] == kept
    assert trim_place(text, Span("PERSON", 0, len(text), 0.5)) == Span("PERSON", 0, len(text), 0.5)


@pytest.mark.parametrize(
    ("text", "kept"),
    [("the last Sunday", "Sunday"), ("next Monday", "Monday"), ("on 12 May", "12 May"), ("12 May", "12 May")],
)
def test_trim_date_drops_the_small_words_before_a_date(text: str, kept: str) -> None:
    span = trim_date(text, Span("DATE_TIME", 0, len(text), 0.85))
    assert text[span.start : span.end] == kept


def test_trim_date_keeps_other_types_and_a_date_of_small_words_only() -> None:
    assert trim_date("the", Span("DATE_TIME", 0, 3, 0.85)) == Span("DATE_TIME", 0, 3, 0.85)
    assert trim_date("the Lee", Span("PERSON", 0, 7, 0.85)) == Span("PERSON", 0, 7, 0.85)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Benjamin Jorgensen\nSalary", "Benjamin Jorgensen"),
        ("Anderson\nDOB", "Anderson"),
        ("Robert Watson Sister", "Robert Watson"),
    ],
)
def test_trim_person_drops_form_labels_read_as_names(text: str, kept: str) -> None:
    span = trim_person(text, Span("PERSON", 0, len(text), 0.85))
    assert span is not None and text[span.start : span.end] == kept
    assert trim_person("Age Gender", Span("PERSON", 0, 10, 0.85)) is None


@pytest.mark.parametrize(
    ("text", "word", "dosed"),
    [
        ("Paracetamol 500 mg twice daily", "Paracetamol", True),
        ("Salbutamol 100 mcg", "Salbutamol", True),
        ("Ann Lee 500 mg", "Ann Lee", False),  # two words: a name
        ("Paracetamol was given", "Paracetamol", True),  # a medicine by its ending
        ("Eduardo was given", "Eduardo", False),
        ("Medication\nFurosemide\nMetformin", "Furosemide", True),  # a medicine's ending, alone in a column
        ("Medication\nFurosemide\nMetformin", "Metformin", True),
        ("Dr. Josephine Lisinopril", "Lisinopril", True),
        ("Dr. Josephine", "Josephine", False),
        ("Philippine", "Philippine", False),
    ],
)
def test_a_one_word_name_followed_by_a_dose_is_a_medicine(text: str, word: str, dosed: bool) -> None:
    assert is_dosed(text, at(text, word)) is dosed
    assert not is_dosed(text, at(text, word, "LOCATION"))


@pytest.mark.parametrize(
    ("text", "word", "mark"),
    [
        ("P.S. The wallet is new", "P.S.", True),
        ("Salary: USD 68,652.34 p.a. Work e-mail", "p.a.", True),
        ("reviewed by Philip Shaw, MD on Nov 14, 2021.", "MD", True),
        ("Robinsonton, MD 97287", "MD", False),  # a state, with its postcode
        ("I moved to Oslo", "Oslo", False),
    ],
)
def test_postscripts_per_annum_and_degrees_are_no_places(text: str, word: str, mark: bool) -> None:
    assert is_letter_mark(text, at(text, word, "LOCATION")) is mark
    assert not is_letter_mark(text, at(text, word, "PERSON"))


def test_is_vague_time_only_judges_dates() -> None:
    assert not is_vague_time("next month", Span("PERSON", 0, 10, 0.85))


# ------------------------------------------------------------------------------------ is_short_phone


@pytest.mark.parametrize(
    ("text", "short"),
    [("135 - 145", True), ("0.40 - 4.00", True), ("555 0187", False), ("33 93 31", False), ("555 - 0187", False)],
)
def test_a_short_range_is_no_phone(text: str, short: bool) -> None:
    assert is_short_phone(text, Span("PHONE_NUMBER", 0, len(text), 0.4)) is short
    assert not is_short_phone(text, Span("ID_NUMBER", 0, len(text), 0.4))


@pytest.mark.parametrize(
    ("text", "value", "entity_type", "lab"),
    [
        ("Platelets 414 150 400 10^9/L", "414 150 400", "PHONE_NUMBER", True),  # a result and its range
        ("Platelets 414 10^9/L 150 400", "414 10^9/L 150 400", "DATE_TIME", True),
        ("Ferritin 38 30 400 ug/L", "38 30 400", "ID_NUMBER", True),
        ("Call 414 150 400 today", "414 150 400", "PHONE_NUMBER", False),  # no unit on the line
        ("Tel +44 20 7946 0958 Sodium 140 mmol/L", "+44 20 7946 0958", "PHONE_NUMBER", False),  # a country code
        ("Tel 020 7946 0958\nSodium 140 mmol/L", "020 7946 0958", "PHONE_NUMBER", False),  # the unit on another line
        ("Seen 3 May 2024 Sodium 140 mmol/L", "3 May 2024", "DATE_TIME", False),
    ],
)
def test_is_lab_value(text: str, value: str, entity_type: str, lab: bool) -> None:
    assert is_lab_value(text, at(text, value, entity_type)) is lab


# ------------------------------------------------------------------------------------ address block reshaped


@pytest.mark.parametrize(
    "below",
    [
        "Photo by Taus Korgay",
        "Lintila for Streeteasy.",
        "Annual General Meeting",
        "Community Notes",
        "Organisation Routing #",
        "Commission 88 $34.18 $643.66",
        "Whitney Cliff. During 2004, Adams,",  # a sentence's end inside the line
    ],
)
def test_address_block_town_lines_are_no_captions_or_headings(below: str) -> None:
    text = f"Our office\n42 Maple Street\n{below}\nEnd"
    assert texts(text, address_blocks(text, [at(text, "42 Maple Street", "LOCATION")])) == []


@pytest.mark.parametrize("below", ["Smithshire", "HA1 5PS", "United States", "San Gonzalo de Abajo"])
def test_address_block_town_lines_with_a_postcode_a_country_or_an_unknown_word(below: str) -> None:
    text = f"Our office\n42 Maple Street\n{below}\nEnd"
    assert texts(text, address_blocks(text, [at(text, "42 Maple Street", "LOCATION")])) == [("LOCATION", below)]


def test_address_block_takes_a_town_of_dictionary_words_between_two_address_lines() -> None:
    text = "your address to Samuelstraat 8\nHem\nNetherlands 4610 PF.\nBorn"
    spans = [at(text, "Samuelstraat 8", "LOCATION"), at(text, "Netherlands 4610 PF", "LOCATION")]
    assert ("LOCATION", "Hem") in texts(text, address_blocks(text, spans))
    alone = "your address to Samuelstraat 8\nHem\nThe end"  # below a street alone, "Hem" is a word
    assert texts(alone, address_blocks(alone, [at(alone, "Samuelstraat 8", "LOCATION")])) == []
    events = "07/27/2025, Oslo 5\nQuiz\n2026-01-12, Sosnowiec\nOpen Day\nMarch 03, 2024, Ivopad 999"
    spans = [at(events, place, "LOCATION") for place in ("Oslo 5", "Sosnowiec", "Ivopad 999")]
    assert not {"Quiz", "Open Day"} & {found for _, found in texts(events, address_blocks(events, spans))}
    card = "ADDRESS\nLidicka 1233\nISS\n15 Sep 2021"
    spans = [at(card, "Lidicka 1233", "LOCATION"), at(card, "15 Sep", "LOCATION")]
    assert ("LOCATION", "ISS") not in texts(card, address_blocks(card, spans))
    prose = "Samuelstraat 8\nsee you\nNetherlands 4610 PF"
    spans = [at(prose, "Samuelstraat 8", "LOCATION"), at(prose, "Netherlands 4610 PF", "LOCATION")]
    assert ("LOCATION", "see you") not in texts(prose, address_blocks(prose, spans))


def test_address_block_name_of_dictionary_words_needs_a_street_under_it() -> None:
    heading = "Board Meeting\nApr 25, 2024, Mabopane\nEnd"
    assert texts(heading, address_blocks(heading, [at(heading, "Mabopane", "LOCATION")])) == []
    letter = "Jane Doe\n12 Oak Road\nEnd"
    assert texts(letter, address_blocks(letter, [at(letter, "12 Oak Road", "LOCATION")])) == [("PERSON", "Jane Doe")]


@pytest.mark.parametrize(
    "above", ["Memorial Medical Group", "Keras Resources PLC", "DISCHARGE SUMMARY", "ClearBridge Large Cap Growth"]
)
def test_address_block_name_is_no_firm_nor_heading(above: str) -> None:
    text = f"{above}\n12 Oak Road\nEnd"
    assert texts(text, address_blocks(text, [at(text, "12 Oak Road", "LOCATION")])) == []


def test_address_block_name_may_hold_one_dictionary_word() -> None:
    text = "Mare P Nuut\n12 Oak Road\nEnd"
    assert texts(text, address_blocks(text, [at(text, "12 Oak Road", "LOCATION")])) == [("PERSON", "Mare P Nuut")]


# ------------------------------------------------------------------------------------ complete_tokens


@pytest.mark.parametrize(
    ("text", "found", "entity_type", "whole"),
    [
        (
            "reset it at\nhttps://mail.cafarchia.biz/about.\nThanks",
            "https://mail.cafarchia.bi",
            "URL",
            "https://mail.cafarchia.biz/about",
        ),
        ("site app.montoyamora-allow.nl today", "ra-allow.nl", "URL", "app.montoyamora-allow.nl"),
        ("From: Ann <ann.lee@example.com>", "lee@example.com", "EMAIL_ADDRESS", "ann.lee@example.com"),
    ],
)
def test_complete_tokens_grows_a_match_to_its_token(text: str, found: str, entity_type: str, whole: str) -> None:
    assert texts(text, complete_tokens(text, [at(text, found, entity_type)])) == [(entity_type, whole)]


@pytest.mark.parametrize(
    ("text", "found", "entity_type", "whole"),
    [
        ("see www. grafgelb.com", "grafgelb.com", "DOMAIN_NAME", "www. grafgelb.com"),
        ("at http://mail. x-y.ca/so-can now", "x-y.ca/so-can", "URL", "http://mail. x-y.ca/so-can"),
        ("to zackariya. baaqir@kothari.eu", "baaqir@kothari.eu", "EMAIL_ADDRESS", "zackariya. baaqir@kothari.eu"),
        ("is http: //mail.b.co/x now", "mail.b.co/x", "URL", "http: //mail.b.co/x"),  # a space after the colon
        ("use https:// mail.b.de/x and", "mail.b.de/x", "URL", "https:// mail.b.de/x"),  # after the slashes
        ("go to https:/Awww.m-y.com/ to", "Awww.m-y.com/", "URL", "https:/Awww.m-y.com/"),  # a slash misread
        ("go to https:/www.b.it/x now", "www.b.it/x", "URL", "https:/www.b.it/x"),  # a slash lost
        ("visit files; wood.de.", "wood.de", "DOMAIN_NAME", "files; wood.de"),  # the dot read as ";"
        ("co | www:stinis.co", "stinis.co", "DOMAIN_NAME", "www:stinis.co"),  # www's dot read as ":"
    ],
)
def test_complete_tokens_takes_a_first_label_ocr_read_with_a_space_after_its_dot(
    text: str, found: str, entity_type: str, whole: str
) -> None:
    assert texts(text, complete_tokens(text, [at(text, found, entity_type)])) == [(entity_type, whole)]


@pytest.mark.parametrize(
    ("text", "found"), [("Write to me. bob@x.org", "bob@x.org"), ("the end. x.org", "x.org"), ("time:x.org", "x.org")]
)
def test_complete_tokens_leaves_a_word_ending_a_sentence_before_an_address(text: str, found: str) -> None:
    assert complete_tokens(text, [at(text, found, "EMAIL_ADDRESS")]) == []


def test_complete_tokens_takes_the_scheme_before_an_ip_address_as_a_url() -> None:
    text = "Apply at http://209.150.75.181:3000/little-every/account now"
    assert texts(text, complete_tokens(text, [at(text, "209.150.75.181", "IP_ADDRESS")])) == [
        ("URL", "http://209.150.75.181:3000/little-every/account")
    ]


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        (
            "link https://x.eu/dl?session=\nmppa502&ref=lcdf75 ok",
            "https://x.eu/dl?session=",
            "https://x.eu/dl?session=\nmppa502&ref=lcdf75",
        ),
        ("at http://x.org/accoun\nt before", "http://x.org/accoun", "http://x.org/accoun\nt"),
        ("see https://x.org/a-\nlong-path here", "https://x.org/a-", "https://x.org/a-\nlong-path"),
        ("at x.io/w?page=v\neoi39&l=gw5 &invite=sk38 now", "x.io/w?page=v", "x.io/w?page=v\neoi39&l=gw5 &invite=sk38"),
        ("link x.co/every-her? invite=otjc893; the", "x.co/every-her?", "x.co/every-her? invite=otjc893"),
        ("see x.io/tickets >user=uu536&q=yv23 now", "x.io/tickets", "x.io/tickets >user=uu536&q=yv23"),
        (
            "https://x.co/careers/re\nset-password\nnight",
            "https://x.co/careers/re",
            "https://x.co/careers/re\nset-password",
        ),
        ("see https://x.co/re\nports |", "https://x.co/re", "https://x.co/re\nports"),  # "re" and "ports" make a word
        ("at x.com/help/set\ntings and", "x.com/help/set", "x.com/help/set\ntings"),
        ("x.org.uk/local-kee\np#section-2 and", "x.org.uk/local-kee", "x.org.uk/local-kee\np#section-2"),  # an anchor
        ("https://x.au/members/0c\n18fa8f", "https://x.au/members/0c", "https://x.au/members/0c\n18fa8f"),  # an id
    ],
)
def test_complete_tokens_follows_a_url_over_a_line_break(text: str, found: str, whole: str) -> None:
    assert texts(text, complete_tokens(text, [at(text, found, "URL")])) == [("URL", whole)]


@pytest.mark.parametrize(
    "text",
    [
        "see https://www.poole.com/\nLaboratory results",
        "at http://x.org/page\na new line",
        "at x.org\nthe end",
        "at https://x.org/docs/in\nwell-known places",  # a word before the break, and no word joined over it
        "see https://x.org/docs\nand more",
        "at https://x.co/page\n10am meeting",  # a time, no identifier
    ],
)
def test_complete_tokens_leaves_the_next_line_alone_when_it_is_no_url(text: str) -> None:
    url = text.split()[1]
    assert complete_tokens(text, [at(text, url, "URL")]) == []


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        (
            "at x.de/news/hot-start- total/back- -meet- face?token= vbhx7\n7 &re\nf=gaam920 within the day",
            "x.de/news/hot-start-",
            "x.de/news/hot-start- total/back- -meet- face?token= vbhx7\n7 &re\nf=gaam920",
        ),
        ("see x.app/settings?user=cisn933&invite=za\nnp152 now", "x.app/settings?user=cisn933&invite=za", None),
        ("go to x.io/shop/ trm27 today", "x.io/shop/", "x.io/shop/ trm27"),
        ("go to x.io/a_ b today", "x.io/a_", "x.io/a_ b"),
        (
            "https://www.venturi fr /throw-war/contact\nUb",
            "https://www.venturi",
            "https://www.venturi fr /throw-war/contact",
        ),
    ],
)
def test_complete_tokens_follows_a_url_over_spaces_ocr_read_in_it(text: str, found: str, whole: str | None) -> None:
    expected = whole or found + "\nnp152"
    assert texts(text, complete_tokens(text, [at(text, found, "URL")])) == [("URL", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "see x.org/docs within the next day",
        "visit x.org/ for more",
        "see x.org/a?b=c and more",
        "read x.org/page #travel",
        "read x.org/page - the best",
        "see x.org/a?id=5\nthe end",
        "see https://portal.acme in the morning",  # a suffix that is a word of prose
        "see https://www.x.fr de bon matin",  # the host has its suffix
    ],
)
def test_complete_tokens_leaves_prose_after_a_url(text: str) -> None:
    url = text.split()[1]
    assert complete_tokens(text, [at(text, url, "URL")]) == []


def test_complete_tokens_follows_a_domain_name_over_a_space_in_its_path() -> None:
    text = "at x.de/hot- total/back now"
    assert texts(text, complete_tokens(text, [at(text, "x.de/hot-", "DOMAIN_NAME")])) == [
        ("DOMAIN_NAME", "x.de/hot- total/back")
    ]


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("write to katrinamorris1 5@fastmail.com today", "5@fastmail.com", "katrinamorris1 5@fastmail.com"),
        ("mail jdoe 15@x.com", "15@x.com", "jdoe 15@x.com"),
        ("mail j.doe .smith@x.com", ".smith@x.com", "j.doe .smith@x.com"),
    ],
)
def test_complete_tokens_joins_a_mailbox_ocr_split_with_a_space(text: str, found: str, whole: str) -> None:
    assert texts(text, complete_tokens(text, [at(text, found, "EMAIL_ADDRESS")])) == [("EMAIL_ADDRESS", whole)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("write to 5@x.com", "5@x.com"),
        ("email me 15@x.com", "15@x.com"),
        ("to jsmith ann@x.com", "ann@x.com"),  # a whole mailbox after a word
        ("Contact Katrina 5@x.com", "5@x.com"),  # a capital: a name, no mailbox
    ],
)
def test_complete_tokens_leaves_a_word_before_a_whole_mailbox(text: str, found: str) -> None:
    assert complete_tokens(text, [at(text, found, "EMAIL_ADDRESS")]) == []


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("my e-mail\nann.vander22@btintern\net.com?", "et.com", "ann.vander22@btintern\net.com"),
        ("Work e-mail\nann@\nintelligent.co.uk\nSSN", "intelligent.co.uk", "ann@\nintelligent.co.uk"),
    ],
)
def test_complete_tokens_takes_a_mailbox_whose_host_the_line_cut(text: str, found: str, whole: str) -> None:
    assert texts(text, complete_tokens(text, [at(text, found, "URL")])) == [("EMAIL_ADDRESS", whole)]


@pytest.mark.parametrize(
    ("text", "found", "piece"),
    [
        ("E-mail: ann93@outlook.co GP: Dr. Rao\nm\nInsurance", "ann93@outlook.co", "m"),
        ("RadkaD@teleworm.u None known\ns\nAttending", "RadkaD@teleworm.u", "s"),
    ],
)
def test_complete_tokens_takes_a_suffix_the_column_wrapped_under_the_next_column(
    text: str, found: str, piece: str
) -> None:
    assert texts(text, complete_tokens(text, [at(text, found, "EMAIL_ADDRESS")])) == [("EMAIL_ADDRESS", piece)]


@pytest.mark.parametrize(
    "text",
    [
        "E-mail: ann@outlook.com GP: Dr. Rao\nm\nInsurance",  # "comm" is no suffix
        "E-mail: ann@outlook.co GP: Dr. Rao\nm and more\nInsurance",  # not alone on its line
        "E-mail: ann@outlook.co GP: Dr. Rao\nmx\nInsurance",  # "comx" is no suffix
    ],
)
def test_complete_tokens_leaves_a_line_that_completes_no_suffix(text: str) -> None:
    found = text[text.index("ann") : text.index(" GP")]
    assert complete_tokens(text, [at(text, found, "EMAIL_ADDRESS")]) == []


def test_complete_tokens_leaves_a_host_under_a_whole_address() -> None:
    text = "ann@x.com\nwww.x.com"
    assert complete_tokens(text, [at(text, "www.x.com", "URL")]) == []


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("E-mail: ann@fleckens.h\nu\nPhone", "ann@fleckens.h\nu"),
        ("mail ann@x.co\nuk today", "ann@x.co\nuk"),
        ("Tel: +45 29\nNazhmuddinIbragimov@dayrep.c\nom\nWeb", "NazhmuddinIbragimov@dayrep.c\nom"),  # "om": a word too
    ],
)
def test_complete_tokens_takes_the_last_letters_of_an_e_mail_address_from_the_next_line(text: str, whole: str) -> None:
    found = whole.split("\n")[0]
    assert texts(text, complete_tokens(text, [at(text, found, "EMAIL_ADDRESS")])) == [("EMAIL_ADDRESS", whole)]


@pytest.mark.parametrize(
    "text", ["mail ann@x.com\nto me", "mail ann@x.com\nsee you", "mail ann@x.com hq", "mail ann@x.com\nhas been"]
)
def test_complete_tokens_leaves_words_after_an_e_mail_address(text: str) -> None:
    assert complete_tokens(text, [at(text, "ann@x.com", "EMAIL_ADDRESS")]) == []


def test_complete_tokens_joins_an_ethereum_wallet_cut_by_a_line_break() -> None:
    text = "went to wallet\n0x2FC8499086cbdF17BB9Fcc7c6bb266E88\n20F4b21 as asked"
    found = complete_tokens(text, [at(text, "0x2FC8499086cbdF17BB9Fcc7c6bb266E88", "CRYPTO")])
    assert texts(text, found) == [("CRYPTO", "0x2FC8499086cbdF17BB9Fcc7c6bb266E88\n20F4b21")]


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        (
            "The wallet\n36LMNboSDSZTQvasEj92UhAyxdh4f\nMjCTq received",
            "36LMNboSDSZTQvasEj92UhAyxdh4f",
            "36LMNboSDSZTQvasEj92UhAyxdh4f\nMjCTq",
        ),
        (
            "pay 0x4c07c4f00aa2248d4e 1f91a1e0628ecf6024d60e now",
            "0x4c07c4f00aa2248d4e",
            "0x4c07c4f00aa2248d4e 1f91a1e0628ecf6024d60e",
        ),
    ],
)
def test_complete_tokens_joins_a_bitcoin_wallet_over_a_line_and_an_ethereum_one_over_a_space(
    text: str, found: str, whole: str
) -> None:
    assert texts(text, complete_tokens(text, [at(text, found, "CRYPTO")])) == [("CRYPTO", whole)]


@pytest.mark.parametrize(
    "text", ["wallet 0x4c07c4f00aa2248d4e received it", "wallet 36LMNboSDSZTQvasEj92UhAyxdh4fMjCTq\nabc9"]
)
def test_complete_tokens_leaves_words_after_a_wallet(text: str) -> None:
    wallet = text.split()[1]
    assert complete_tokens(text, [at(text, wallet, "CRYPTO")]) == []


@pytest.mark.parametrize(
    ("wallet", "rest"),
    [("bc1q8zet77y22ekfyqwx23ecwccy24q94k4ryva5m", "w"), ("0x2Bce8793223628296F5d4b7a141b6B989eB556f", ")")],
)
def test_complete_tokens_takes_a_wallets_last_glyph_from_the_next_line(wallet: str, rest: str) -> None:
    text = f"send\n{wallet}\n{rest} the 0.05"
    assert texts(text, complete_tokens(text, [at(text, wallet, "CRYPTO")])) == [("CRYPTO", f"{wallet}\n{rest}")]


def test_complete_tokens_leaves_a_word_after_a_whole_wallet() -> None:
    wallet = "bc1q8zet77y22ekfyqwx23ecwccy24q94k4ryva5mw"
    text = f"send\n{wallet}\nw the 0.05"
    assert complete_tokens(text, [at(text, wallet, "CRYPTO")]) == []


def test_complete_tokens_stops_a_wallet_at_its_length() -> None:
    whole = "0x" + "a1" * 20
    text = f"{whole}\nb2c3 next"
    assert complete_tokens(text, [at(text, whole, "CRYPTO")]) == []


def test_complete_tokens_joins_a_bech32_wallet_over_lines() -> None:
    text = "btc:\nbc1pht22hv83kug0n9tkyd5j\njh8jmwp4uy4sxsmsttf2q2hh\nqz9vpc0qmtnhds\n07:26"
    found = complete_tokens(text, [at(text, "bc1pht22hv83kug0n9tkyd5j", "CRYPTO")])
    assert texts(text, found) == [("CRYPTO", "bc1pht22hv83kug0n9tkyd5j\njh8jmwp4uy4sxsmsttf2q2hh\nqz9vpc0qmtnhds")]


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("new number +30\n2436 369737\n07:58", "2436 369737", "+30\n2436 369737"),
        ("(mother) +34 698 66 78\n27\nTel", "+34 698 66 78", "+34 698 66 78\n27"),
        ("call me on +41 72\n834 75 17? I have", "834 75 17", "+41 72\n834 75 17"),
        ("Questions: call 0664\n577 07 11.", "577 07 11", "0664\n577 07 11"),
        ("have the manager call me at (91)\n3936-3840 I'd", "3936-3840", "(91)\n3936-3840"),
        ("Phone +353 89'921 7576", "921 7576", "+353 89'921 7576"),
        ("number is 0476 79 69\n71. Management", "0476 79 69", "0476 79 69\n71"),
        ("F: (@99) 5268 2587", "99) 5268 2587", "(@99) 5268 2587"),
        ("T: +] 205-296-7450", "205-296-7450", "+] 205-296-7450"),  # the country code 1 misread
        ("Contact number +54 I5 2150 5192", "2150 5192", "+54 I5 2150 5192"),  # a group's 1 read as I
        ("number in case: 025.688.4567 ext.\n77\nThanks", "025.688.4567", "025.688.4567 ext.\n77"),  # extension
        ("Rukavina (+46 (0)8 211 252\n41) is", "(+46 (0)8 211 252", "(+46 (0)8 211 252\n41"),  # in brackets
        ("friend +46 (0)8 078\n729 03\nNext", "+46 (0)8 078", "+46 (0)8 078\n729 03"),  # two groups on the next line
    ],
)
def test_complete_tokens_joins_a_phone_number_cut_by_a_line_break(text: str, found: str, whole: str) -> None:
    assert texts(text, complete_tokens(text, [at(text, found, "PHONE_NUMBER")])) == [("PHONE_NUMBER", whole)]


@pytest.mark.parametrize("text", ["call 555 0187\n2024 was a year", "Room 12\n555 0187 x"])
def test_complete_tokens_leaves_numbers_around_a_national_phone_number(text: str) -> None:
    assert complete_tokens(text, [at(text, "555 0187", "PHONE_NUMBER")]) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("call 020 7946 0958\n12 people came", "020 7946 0958"),  # a whole national number
        ("in 2010\n577 07 11", "577 07 11"),  # a year, no area code
        ("rated 4.0\n577 07 11", "577 07 11"),
        ("see A(99) 5268 2587", "99) 5268 2587"),
    ],
)
def test_complete_tokens_leaves_numbers_around_a_whole_or_bare_phone_number(text: str, found: str) -> None:
    assert complete_tokens(text, [at(text, found, "PHONE_NUMBER")]) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Next of kin: Kakuta (partner) (@29) NHS number: 986 062 6189\n1733-292\nDate", "(@29)"),
        ("Akaho Yokoi (friend) (61) 3/13/2019 3/23/2019\n8719-9000\nHOSPITAL", "(61)"),
    ],
)
def test_complete_tokens_takes_the_area_code_on_the_line_above(text: str, code: str) -> None:
    found = complete_tokens(text, [at(text, text.split("\n")[1], "PHONE_NUMBER")])
    assert texts(text, found) == [("PHONE_NUMBER", code)]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Room (12) Ward 4\n020 7946 0958\nNext", "020 7946 0958"),  # a number with its area code
        ("Dr. Beck (196)221-5078\n555 0187", "555 0187"),  # the bracket opens a number of its own
        ("Ann (61) left\nNote: 555 0187", "555 0187"),  # the number does not open its line
    ],
)
def test_complete_tokens_leaves_brackets_above_a_whole_phone_number(text: str, number: str) -> None:
    assert complete_tokens(text, [at(text, number, "PHONE_NUMBER")]) == []


def test_complete_tokens_ignores_names_and_places() -> None:
    text = "Ann Lee-Smith lives"
    assert complete_tokens(text, [at(text, "Ann Lee", "PERSON")]) == []


# ------------------------------------------------------------------------------------ chats


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Ham 1:23 PM", "Ham"),
        ("Kristina K. 5:53 PM", "Kristina K."),
        ("Elvira Tretyakova 15:23", "Elvira Tretyakova"),
        ("Zoe Jan 22, 2026", "Zoe"),
        ("AnnaR Shah_ 11:54", "AnnaR Shah_"),  # OCR ran the initial into the name
        ("AnnaShah 13:32", "AnnaShah"),
        ("© Anes 11:48", "Anes"),  # the avatar beside the name, as OCR reads it
        ("as } AnnaR Shah 11:46", "AnnaR Shah"),
        ('"ER | Elcira L Rojas-Nunez Sat', "Elcira L Rojas-Nunez"),  # an avatar read with marks around it
        ("AS Anna Shah 11:46", "Anna Shah"),
        ("Ruby 18.01.26", "Ruby"),
        ("Ruby 18/01/2026", "Ruby"),
        ("si) Steffen S Mauer = Jan 04, 2024", "Steffen S Mauer"),  # a middle initial, a dot read as "="
        ("Blanka Król10:10 AM", "Blanka Król"),  # no space read before the time
        ("Mar 10:04 AM", "Mar"),  # a month before a clock time is no date
        ("May 9:41", "May"),
        ("Mara Cosić Fri", "Mara Cosić"),  # a chat list's day of the last message
        ("Thomas S. Yesterday", "Thomas S."),
        ("Cc. Car Fri", "Car"),  # a dictionary word, but the avatar's initial is its first letter
    ],
)
def test_message_senders_head_a_message_before_its_time(line: str, name: str) -> None:
    text = f"agreed\n{line}\nsee you there"
    assert texts(text, message_senders(text)) == [("PERSON", name)]


@pytest.mark.parametrize(
    "line",
    [
        "Today 1:23 PM",
        "Meeting 10:30 AM",
        "Doors 7:00 PM",
        "Tue 09:55",
        "see you at 10:30",
        "KK 8:33 PM",
        "A B 9:00",
        "meet at Oslo 10:00",
        "© Today 9:00",
        "Version 1.2.3",
        "Total = 10:30",
        "A = 9:00",
        "Blanka Król10.10.26",  # only a time runs into the name
        "Mar 10, 2024",
        "Tue 10:04 AM",  # a day before a time is when it was sent
        "Mar 10.10.26",
        "Budget Review Monday",  # a heading: dictionary words before a day
        "Lunch Friday",
        "A. Budget Review Monday",  # a list's letter that is no initial of the words
    ],
)
def test_message_senders_near_misses(line: str) -> None:
    assert message_senders(f"x\n{line}\ny") == []


def test_member_lists_end_with_you() -> None:
    text = "Project Falcon\nRolando, Sean, Paulina, Esther, You\nMonday"
    assert texts(text, member_lists(text)) == [
        ("PERSON", "Rolando"),
        ("PERSON", "Sean"),
        ("PERSON", "Paulina"),
        ("PERSON", "Esther"),
    ]
    assert member_lists("Thank you, Sean, for you") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("15:17\n. Khas\nonline\nwhere are you", "Khas"),
        ("Ana B.\nlast seen today at 9:12", "Ana B."),
        ("(@ Lior Ben David\nActive 5m ago", "Lior Ben David"),
        ("Dobromir\ntyping...", "Dobromir"),
    ],
)
def test_presence_names_head_a_chat(text: str, name: str) -> None:
    assert texts(text, presence_names(text)) == [("PERSON", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Support\nonline",  # a desk, no name
        "Khas\nonline banking",  # no presence
        "Team Chat\nActive now",
        "so Khas\nonline",  # more than a name on the line
    ],
)
def test_presence_names_near_misses(text: str) -> None:
    assert presence_names(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bohuslav: What a wife.", "Bohuslav"),
        ("x\nAna Ruiz: I was there, you know.", "Ana Ruiz"),
        ("Mélanie: Remember me, Aurora?", "Mélanie"),
        ("on sale until 31.12.2018. Tiago: What a wife.", "Tiago"),  # after a sentence
        ('x\nMatilde:"I am her daughter".', "Matilde"),  # in quote marks
        ("Morgan Garner, the PBX operator, said: it is", "Morgan Garner"),  # reported, with a role
        ('agreed." Ann Lee, a nurse, told us', "Ann Lee"),
    ],
)
def test_speaker_names_open_a_line_of_a_transcript(text: str, name: str) -> None:
    assert texts(text, speaker_names(text)) == [("PERSON", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Note: Please call me",  # a label
        "Interviewer: So tell me",
        "Nachname: Müller",  # a form's value, no sentence
        "Subject: Your order is here",
        "Customer: Number: INV-67",
        "so Bohuslav: What a wife.",  # not opening the line or a sentence
        "Thanks. Note: Please call me",
        'Note: "Please call me"',
        "Board Meeting, the annual one, said to be",  # no word a name may be
        "Patient Morgan, the first one, said",  # a document word
        "so Morgan Garner, the operator, said",  # not opening a sentence
    ],
)
def test_speaker_names_near_misses(text: str) -> None:
    assert speaker_names(text) == []


def test_member_lists_take_a_capital_i_read_as_l() -> None:
    text = "Aislinn, lfechukwu, Firuza, You"
    assert texts(text, member_lists(text)) == [("PERSON", "Aislinn"), ("PERSON", "lfechukwu"), ("PERSON", "Firuza")]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("< JW Jane O60\nonline", ["Jane"]),
        ("< PR ~Pedro\nYesterday", ["Pedro"]),
        ("NM Narimane Mazouz 18:03", ["Narimane Mazouz"]),
        ("JB John Blakey", ["John Blakey"]),
    ],
)
def test_avatar_names_take_the_name_an_avatar_stands_for(text: str, names: list[str]) -> None:
    assert texts(text, avatar_names(text)) == [("PERSON", name) for name in names]


@pytest.mark.parametrize(
    "text",
    [
        "HR Human Resources",  # dictionary words
        "AB Jane",  # initials of someone else
        "US Army",
        "PR Today",
        "XJW Jane",
        "JW jane",
    ],
)
def test_avatar_names_near_misses(text: str) -> None:
    assert avatar_names(text) == []


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("Miaside, Apr 13, 2019", "Miaside"),
        ("2025-11-18, NOTODDEN", "NOTODDEN"),
        ("Port Kevinbury, December 08, 2021", "Port Kevinbury"),
        ("12.03.2024, Bergen", "Bergen"),
        ("Oslo, 5 May 2024", "Oslo"),
        ("06/15/2024, Delta del Tigre", "Delta del Tigre"),  # an events list's place
        ("04.08.2026, Lidia-Schmiedecke-Gasse 5026", "Lidia-Schmiedecke-Gasse 5026"),
        ("May 10, 2026, Jiriho z Podebrad 1060", "Jiriho z Podebrad 1060"),  # a Czech particle
    ],
)
def test_datelines_name_the_place_a_letter_was_written_in(line: str, place: str) -> None:
    text = f"samuel.patel@yahoo.co.uk\n{line}\nDear Ms. Molnar,"
    assert texts(text, datelines(text)) == [("LOCATION", place)]


@pytest.mark.parametrize(
    "line",
    [
        "Monday, 12 May 2024",  # a day
        "Invoice, 2024-01-05",  # a document word
        "Oslo, Foo 12, 2024",  # no month
        "We met, 2024-01-02",  # prose
        "Oslo, 5 May 2024 at noon",  # more than a dateline
        "Oslo 5 May 2024",  # no comma
        "2024-01-05, Invoice 12",  # a document word and its number
        "Monday, 12 May 2024, Board Meeting Room",  # more than one date's line
    ],
)
def test_datelines_near_misses(line: str) -> None:
    assert datelines(f"x\n{line}\ny") == []


CONVERSATIONS = (
    "Find a conversation\nKl\nYou: the meeting ran over\nHelen L West\non my way\nRory McKeon\ngood morning!\n"
    "Rune\nrunning ten minutes late\nMon\n20.07.24"
)


def test_conversation_lists_take_each_contact_over_its_preview() -> None:
    assert texts(CONVERSATIONS, conversation_lists(CONVERSATIONS)) == [
        ("PERSON", "Helen L West"),
        ("PERSON", "Rory McKeon"),
        ("PERSON", "Rune"),
    ]


def test_conversation_lists_pass_over_a_mark_before_a_line() -> None:
    text = "Eve Magrath\nomg\n» Anas\n* You: can you send it?\n» Steffen\nsend me the link"
    assert texts(text, conversation_lists(text)) == [
        ("PERSON", "Eve Magrath"),
        ("PERSON", "Anas"),
        ("PERSON", "Steffen"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Helen L West\non my way\nRory McKeon\ngood morning!",  # two in a row are no list yet
        "Helen L West\non my way\nRory McKeon\nGood morning!\nRune\nrunning late",  # a preview in capitals breaks it
        "Email\nann@example.com\nWebsite\nexample.com\nMonday\nsee you",  # labels and days are no contacts
        "Rory 2\non my way\nRune 3\nrunning\nAnn 4\nok",  # nor are lines with a digit
    ],
)
def test_conversation_lists_near_misses(text: str) -> None:
    assert conversation_lists(text) == []


# ------------------------------------------------------------------------------------ street_heads


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("Thabani at De Veurs Comberg 251, Vucht", "Comberg 251", "De Veurs Comberg 251"),
        ("lives on Lincoln Hall Road 5", "Hall Road 5", "Lincoln Hall Road 5"),
    ],
)
def test_street_heads_take_the_words_after_a_preposition(text: str, found: str, whole: str) -> None:
    assert texts(text, street_heads(text, [at(text, found, "LOCATION")])) == [("LOCATION", whole)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("sent to Email Comberg 251", "Comberg 251"),  # a document word
        ("at the Comberg 251", "Comberg 251"),  # no capital
        ("at De Veurs\nComberg 251", "Comberg 251"),  # another line
        ("at De Veurs Comberg", "Comberg"),  # no number: no street line
    ],
)
def test_street_heads_near_misses(text: str, found: str) -> None:
    assert street_heads(text, [at(text, found, "LOCATION")]) == []


# ------------------------------------------------------------------------------------ join_place_parts


@pytest.mark.parametrize(
    ("text", "left", "right", "whole"),
    [
        ("near Olmedo de\nCamaces on", "Olmedo", "Camaces", "Olmedo de\nCamaces"),
        ("Mota del Cuervo 16630", "Mota", "Cuervo 16630", "Mota del Cuervo 16630"),
        ("Jirice u Miroslavi, JM 671 78", "Jirice", "Miroslavi, JM 671 78", "Jirice u Miroslavi, JM 671 78"),
        ("near Saalfelden am Steinernen Meer on", "Saalfelden", "Steinernen Meer", "Saalfelden am Steinernen Meer"),
    ],
)
def test_join_place_parts_over_a_particle(text: str, left: str, right: str, whole: str) -> None:
    spans = [at(text, left, "LOCATION" if left == "Olmedo" else "PERSON"), at(text, right, "LOCATION")]
    assert texts(text, join_place_parts(text, spans)) == [("LOCATION", whole)]


def test_join_place_parts_needs_a_place_and_a_particle() -> None:
    people = "Anna de Souza"
    assert join_place_parts(people, [at(people, "Anna"), at(people, "Souza")]) == []
    places = "Lima and Cusco"
    assert join_place_parts(places, [at(places, "Lima", "LOCATION"), at(places, "Cusco", "LOCATION")]) == []
    case = "Texas v Johnson"  # "v" joins no place's parts: it opposes parties
    assert join_place_parts(case, [at(case, "Texas", "LOCATION"), at(case, "Johnson")]) == []


# ------------------------------------------------------------------------------------ bracketed_ages


def test_bracketed_ages_after_a_name() -> None:
    text = "Calfucir Berrios\n(79) was appointed; Ann Lee (1999) no"
    spans = [at(text, "Calfucir Berrios"), at(text, "Ann Lee"), at(text, "appointed", "LOCATION")]
    assert texts(text, bracketed_ages(text, spans)) == [("AGE", "79")]


# ------------------------------------------------------------------------------------ more address pieces


def test_absorb_address_fragments_takes_a_postcode_pushed_to_the_next_line() -> None:
    text = "located at Unit 7599 Box 2917, DPO\nAE 24381. It serves"
    found = absorb_address_fragments(text, [at(text, "Unit 7599 Box 2917", "LOCATION")])
    assert texts(text, found) == [("LOCATION", "Unit 7599 Box 2917, DPO\nAE 24381")]
    polish = "ulica Kalinowa 157, Poland\n84-735\nPrimary care"
    found = absorb_address_fragments(polish, [at(polish, "ulica Kalinowa 157", "LOCATION")])
    assert texts(polish, found) == [("LOCATION", "ulica Kalinowa 157, Poland\n84-735")]


def test_months_are_neither_propagated_nor_neighbours() -> None:
    text = "Tiago Apr 21, 2024 and Apr"
    assert texts(text, propagate_names(text, [at(text, "Tiago Apr")])) == [("PERSON", "Tiago")]
    assert name_neighbours(text, [at(text, "Tiago")]) == []


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


def test_detect_propagates_a_name_found_elsewhere(analyzer: Analyzer) -> None:
    text = "Name: Quenby\nwe met Quenby"
    field = at(text, "Quenby", score=1.0)
    found = detect_entities(analyzer, text, entities=("PERSON",), score_threshold=0.3, found_elsewhere=[field])
    assert found == [field, at(text, "Quenby", score=PROPAGATED_SCORE, occurrence=1)]
    strict = detect_entities(analyzer, text, entities=("PERSON",), score_threshold=0.99, found_elsewhere=[field])
    assert strict == [field]  # the threshold holds for the rules' spans too


def test_detect_propagates_no_name_found_elsewhere_below_the_threshold(analyzer: Analyzer) -> None:
    text = "Name: Quenby\nwe met Quenby"
    found = detect_entities(
        analyzer, text, entities=("PERSON",), score_threshold=0.99, found_elsewhere=[at(text, "Quenby", score=0.6)]
    )
    assert found == []


@pytest.mark.parametrize(("value", "kept"), [("Registration", False), ("Gender Age", False), ("Rose Baker", True)])
def test_detect_drops_a_form_name_of_document_words_only(analyzer: Analyzer, value: str, kept: bool) -> None:
    text = f"Patient {value}\nthe end"
    found = detect_entities(
        analyzer, text, entities=("PERSON",), score_threshold=0.99, found_elsewhere=[at(text, value, score=1.0)]
    )
    assert (at(text, value, score=1.0) in found) == kept


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
    # In an e-mail address a name is always in lower case: only prose counts ("the smith").
    text = "Contact John Smith, the smith at the forge. Thanks, Smith"
    assert detect(analyzer, text, entities=("PERSON",)) == [("PERSON", "John Smith", 8)]


@pytest.mark.parametrize(
    ("text", "name", "start"), [("| love Henrik.", "Henrik", 7), ("Cecilie and | went home.", "Cecilie", 0)]
)
def test_detect_reads_a_lone_bar_as_i_keeping_offsets(analyzer: Analyzer, text: str, name: str, start: int) -> None:
    # Read as written, the model finds no one in these lines.
    assert detect(analyzer, text) == [("PERSON", name, start)]


def test_detect_unfamiliar_names_fall_below_a_raised_threshold(analyzer: Analyzer) -> None:
    text = "The kid Cecilie plays."
    assert detect(analyzer, text) == [("PERSON", "Cecilie", 8)]
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


def test_detect_an_ip_address_is_no_run_of_amounts(analyzer: Analyzer) -> None:
    assert ("IP_ADDRESS", "124.113.223.84", 21) in detect(analyzer, "please whitelist IP: 124.113.223.84")


def test_detect_drops_time_phrases_that_date_nothing(analyzer: Analyzer) -> None:
    found = detect(analyzer, "We will meet again in the coming year, on 12 May 2025.")
    assert [(t, v) for t, v, _ in found if t == "DATE_TIME"] == [("DATE_TIME", "12 May 2025")]


def test_detect_completes_a_wallet_found_from_the_layout(analyzer: Analyzer) -> None:
    text = "Wallet address\nbc1pht22hv83kug0n9tkyd5j\njh8jmwp4uy4sxsmsttf2q2hh\nThanks"
    field = at(text, "bc1pht22hv83kug0n9tkyd5j", "CRYPTO", 0.6)
    spans = detect_entities(analyzer, text, entities=("CRYPTO",), score_threshold=0.3, found_elsewhere=[field])
    assert [text[s.start : s.end] for s in spans] == ["bc1pht22hv83kug0n9tkyd5j\njh8jmwp4uy4sxsmsttf2q2hh"]


def test_a_name_with_a_polish_postcode_beside_it_is_a_place() -> None:
    text = "Box 6289\nNowa Ruda 31-231\nx"
    assert texts(text, numbered_places(text, [at(text, "Nowa Ruda")])) == [("LOCATION", "Nowa Ruda 31-231")]


# ------------------------------------------------------------------------------------ split Ethereum addresses


@pytest.mark.parametrize(
    "address",
    [
        "0x5f2c91 3ab07e44d2c9a1f0e6b7d38c25e9f14a07b6",  # a space OCR put inside
        "Ox9be41c07d2a3f58e 6c1 0a 7e2d94b1fc83a5e60d",  # several, and O read for 0
        "0xc3A8e2f7b1D94a6E0c5 5lb9e3F27a4d1C08e6b",  # an l read for 1, a digit dropped
        "0x5ea7f5c131£66076cD673722d55224a3F65BB483",  # £ read for f
        "0x149967d7ff3al1103ecf9c482a5399ca0e56bfbfd",  # a glyph added: 41 digits
        "Q@xe4d1503F42f26e9e5c6427Dd93C74C20Ac13Ae42",  # its 0 read as two glyphs
        "Oxd8c33 1cOédeffae950b401d976\ndéd1cfce0348 1c",  # split on its line and over the next
    ],
)
def test_an_ethereum_address_ocr_split_on_its_line_is_taken_whole(address: str) -> None:
    text = f"Send ETH only to\n{address} by Friday."
    [span] = split_ethereum(text)
    assert (span.entity_type, text[span.start : span.end]) == ("CRYPTO", address)


@pytest.mark.parametrize(
    "text",
    [
        "0x41 is the code of the letter A in ASCII and in many other tables",  # prose after a hex number
        "0x5f2c91 3ab07e44",  # too short for an address
        "0x5f2c91 Maria Lopez sent 3ab07e44d2c9a1f0e6b7d38c25e9f14a07b6",  # not hex
        "max@x5f2c913ab07e44d2c9a1f0e6b7d38c25e9f14a07b6",  # inside a word
    ],
)
def test_text_that_is_not_a_split_ethereum_address(text: str) -> None:
    assert split_ethereum(text) == []


def test_an_ethereum_address_takes_no_number_after_it() -> None:
    text = "to 0x5f2c913ab07e44d2c9a1f0e6b7d38c25e9f14a07 25 ETH"
    [span] = split_ethereum(text)
    assert text[span.start : span.end] == "0x5f2c913ab07e44d2c9a1f0e6b7d38c25e9f14a07"


# ------------------------------------------------------------------------------------ split IPv6 addresses


@pytest.mark.parametrize(
    "address",
    [
        "1a:943 1:de1f:1799:77b3:c28b:1e17:deea",  # a space inside a group
        "2001 :db8:b641:91b5::3b43",  # before a colon, in a shortened address
        "DFBF:AD4A:D5DC:2A3F:D11F:C60B:1\nDED:9F1D",  # a group cut by the line's end
        "7c9b:16a4:9253:be06:9291:de62:e6cb:66\n75",  # the last digits on the next line
        "fe80: 0000: 321f : 0000: 3b34:be\n44:a59b:ceee",  # spaces at the colons, and cut
        "200 1:db8:cd14:0:0:0:£17f:ba88",  # £ read for f
        "2001:DB8:E047:BOC9::",  # O read for 0
    ],
)
def test_an_ipv6_address_ocr_cut_or_misread_is_taken_whole(address: str) -> None:
    text = f"Requests from {address} were rate-limited."
    [span] = split_ipv6(text)
    assert (span.entity_type, text[span.start : span.end]) == ("IP_ADDRESS", address)


@pytest.mark.parametrize(
    "text",
    [
        "at 10:30 and 11:45:20 we met",  # times
        "MAC 00:1A:2B:3C:4D:5E here",  # six groups
        "John 3:16 a dead beef cafe: face",  # a verse, hex words
        "2001:db8::1\nface the music",  # prose on the next line
    ],
)
def test_text_that_is_no_ipv6_address_beyond_its_own(text: str) -> None:
    assert [text[s.start : s.end] for s in split_ipv6(text)] in ([], ["2001:db8::1"])


# ------------------------------------------------------------------------------------ split Bitcoin addresses


@pytest.mark.parametrize(
    "address",
    [
        "39wgbZaTY MY FQShUH2LUkPsyn3BJB\nzgEy7",  # no checksum to hold: OCR may have misread it
        "3J98t1WpEZ73CNmQ viecrnyiWrnqRhWNLy",  # the checksum holds
        "1 BNgBtRqTCUyAFdspT YQsXPj6hpYfw6VaB",  # a space after the first digit
        "bclqfwes8xmrdd47gpvlz40g\n679grxvyvn3xwsrva2",  # bc1 read as bcl, 42 characters
        "be1q58cm43vj6w8ccv7qzwjyugzh04va\n3zhzt2fcmz",  # bc1 read as be1
        "bc1q2ps4wnawnkSgtjwignx8ll6532lqd7ka2f4sc8g 78thw684g3fqkq360\n8",  # a capital misread, a digit lost
    ],
)
def test_a_bitcoin_address_ocr_split_over_spaces_and_lines_is_taken_whole(address: str) -> None:
    text = f"My wallet:\n{address} received the refund."
    [span] = split_bitcoin(text)
    assert (span.entity_type, text[span.start : span.end]) == ("CRYPTO", address)


@pytest.mark.parametrize(
    "text",
    [
        "1st Floor of the building",
        "3Com Corp is here",
        "3Dprinted TeX parts are nice",  # too short, prose after it
        "bc1qfwes8xmrdd47 and then some words here",  # a bech32 start cut short by prose
        "bc1qfwes8xmrdd47gpvl ZQXW0ASDF2PLKJ 679grxvyvn3xwsrva2",  # capitals: no bech32 piece
        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy in one piece",  # left to the recognizer
        "3 Gonzalez Mbeki Kowalczyk Yamamoto Okonkwo",  # names: no digits after the first
    ],
)
def test_text_that_is_not_a_split_bitcoin_address(text: str) -> None:
    assert split_bitcoin(text) == []


def test_complete_tokens_joins_an_ethereum_wallet_split_on_its_line_and_cut_by_its_end() -> None:
    text = "wallet Oxb4bf1e95d80570497d8744a7 166408\n7f2fcbf8ea - double check"
    found = "Oxb4bf1e95d80570497d8744a7 166408"
    assert texts(text, complete_tokens(text, [at(text, found, "CRYPTO")])) == [("CRYPTO", found + "\n7f2fcbf8ea")]


# ------------------------------------------------------------------------------------ split IBANs


@pytest.mark.parametrize(
    "iban",
    [
        "GB65EZWG297 14094153653",  # a space where no group ends
        "PL78819780039800723058117\n754",  # the last digits on the next line
        "GB65 EZWG 2971 4094 1536 53",  # in groups of four
    ],
)
def test_an_iban_ocr_split_anywhere_is_taken_whole_where_its_check_digits_hold(iban: str) -> None:
    text = f"My IBAN is\n{iban}. Name Monique Brouwers"
    [span] = split_ibans(text)
    assert (span.entity_type, text[span.start : span.end]) == ("IBAN_CODE", iban)


@pytest.mark.parametrize("text", ["GB65EZWG297 14094153654. My", "AB12 CD 34 EF", "GB65EZWG29714094153653 whole"])
def test_text_that_is_not_a_split_iban(text: str) -> None:
    assert split_ibans(text) == []


# ------------------------------------------------------------------------------------ initialled_names


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("we need to add\nMelisande M. Auger as guardian", None, "Melisande M. Auger"),  # "Melisande" unfamiliar
        ("Per P Svard Lundgren 1981", "Svard Lundgren", "Per P Svard"),  # "Per" is a word, "Svard" found
        (", Hudson C Cazaly\n", "Hudson", "Hudson C Cazaly"),  # "Cazaly" is in the dictionary
        ("signed Moustafa |. Mellink today", "Moustafa", "Moustafa |. Mellink"),  # "I." read "|."
        ("The Anna I. Kovacs case", "Anna", "Anna I. Kovacs"),
        ("Secretary: Nazhmuddin E\nIbragimov\nTel:", None, "Nazhmuddin E\nIbragimov"),  # the surname wrapped
        ("Invoice to:\nJindtich § Holinka Date:", "Holinka", "Jindtich § Holinka"),  # "Š" read as "§"
    ],
)
def test_initialled_names_take_two_words_around_an_initial(text: str, found: str | None, whole: str) -> None:
    spans = [at(text, found)] if found else []
    assert texts(text, initialled_names(text, spans)) == [("PERSON", whole)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Take Vitamin D Daily", None),  # dictionary words, no name found
        ("I told Anna I. She said no", "Anna"),  # a pronoun after the initial
        ("Dear Sir A. Kovacs", None),  # a document word
        ("Patient B Kovacs", None),
        ("Melisande MM Auger", None),  # two capitals are no initial
        ("Melisande M. auger", None),
        ("x@Melisande M. Auger", None),  # inside an address
    ],
)
def test_initialled_names_near_misses(text: str, found: str | None) -> None:
    assert initialled_names(text, [at(text, found)] if found else []) == []


def test_initialled_names_count_only_people_as_found() -> None:
    text = "Per P Long"  # two dictionary words
    assert initialled_names(text, [at(text, "Long", "LOCATION")]) == []
    assert texts(text, initialled_names(text, [at(text, "Long")])) == [("PERSON", text)]


# ------------------------------------------------------------------------------------ initials_after


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("Mellink, Moustafa |. 8/4/1938", "Moustafa |."),
        ("Mellink, Moustafa I.\nE-mail", "Moustafa I."),
        ("Mellink, Moustafa I.", "Moustafa I."),
    ],
)
def test_initials_after_grow_a_name_over_its_closing_initial(text: str, whole: str) -> None:
    assert texts(text, initials_after(text, [at(text, "Moustafa")])) == [("PERSON", whole)]


@pytest.mark.parametrize(
    ("text", "whole"), [("Full name U. Moustafa\nCompany", "U. Moustafa"), ("by J. R. Moustafa", "J. R. Moustafa")]
)
def test_initials_after_grow_a_name_over_the_initials_opening_it(text: str, whole: str) -> None:
    assert texts(text, initials_after(text, [at(text, "Moustafa")])) == [("PERSON", whole)]


@pytest.mark.parametrize(
    "text",
    [
        "Moustafa Ik",
        "Moustafa I.B.",
        "Moustafa i.",
        "Moustafa IB.",
        "Moustafa  I.",
        "Dr. Moustafa",  # a title
        "U.S. Moustafa",  # an abbreviation
        "A. B. C. Moustafa",  # three initials: a list's marks
        "U.\nMoustafa",  # on the line before
    ],
)
def test_initials_after_near_misses(text: str) -> None:
    assert initials_after(text, [at(text, "Moustafa")]) == []


def test_initials_after_grow_only_people() -> None:
    text = "Moustafa I."
    assert initials_after(text, [at(text, "Moustafa", "LOCATION")]) == []


# ------------------------------------------------------------------------------------ tilde_names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("O\n~Alexandre\n3/8/2026", "Alexandre"),
        ("~ Anna Berg\nsee you", "Anna Berg"),
        ("  ~ Anna K. Berg", "Anna K. Berg"),
    ],
)
def test_tilde_names_take_a_name_after_a_tilde_alone_on_its_line(text: str, name: str) -> None:
    assert texts(text, tilde_names(text)) == [("PERSON", name)]


@pytest.mark.parametrize(
    "text", ["~5 min", "about ~Anna", "~Anna said hi", "~ Today", "~anna", "~ Anna Berg Cole Dahl"]
)
def test_tilde_names_near_misses(text: str) -> None:
    assert tilde_names(text) == []


# ------------------------------------------------------------------------------------ dates_across_lines


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("was sold on 20\nDec 2017. Scarlett", "Dec 2017", "20\nDec 2017"),
        ("born on the 3rd\nMarch 1990", "March 1990", "3rd\nMarch 1990"),
        ("We met on January 24,\n2017 in the park", "January 24", "January 24,\n2017"),
        ("dated Sept 9\n2021", "Sept 9", "Sept 9\n2021"),
    ],
)
def test_dates_across_lines_take_the_day_or_year_a_line_break_cut_off(text: str, found: str, whole: str) -> None:
    assert texts(text, dates_across_lines(text, [at(text, found, "DATE_TIME")])) == [("DATE_TIME", whole)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Page 3 of 20\nDecember 2017 report", "December 2017"),
        ("Total 4.20\nDec 2017", "Dec 2017"),
        ("room 120\nDec 2017", "Dec 2017"),  # three digits are no day
        ("on 20 Dec 2017", "Dec 2017"),  # the same line: the model's span
        ("January 24, 2017\n2018 budget", "January 24, 2017"),  # the year is there already
        ("January 24,\n20175 units", "January 24"),
        ("Invoice 12\nDecember", "December"),
    ],
)
def test_dates_across_lines_near_misses(text: str, found: str) -> None:
    assert dates_across_lines(text, [at(text, found, "DATE_TIME")]) == []


# ------------------------------------------------------------------------------------ licence_numbers


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("His driver's license number is SKFBMFH08463.", "SKFBMFH08463"),
        ("registered to Ann Lee, driver's licence JKGASHLWJZGQ.", "JKGASHLWJZGQ"),
        ("DRIVER LICENSE\nDL SKFBMFH08463\nEXP", "SKFBMFH08463"),
        ("Drivers license #: K-203-55-1190", "K-203-55-1190"),
        ("Her driving licence number is MORGA657054SM9IJ.", "MORGA657054SM9IJ"),
    ],
)
def test_licence_numbers_after_their_name(text: str, number: str) -> None:
    assert texts(text, licence_numbers(text)) == [("US_DRIVER_LICENSE", number)]


@pytest.mark.parametrize(
    "text",
    [
        "Her driver's license SUSPENDED after the crash",  # a status in capitals
        "His driver's license expired in May",
        "Hemoglobin 13.5 g/dL 120000",  # a unit, not a label
        "driver's license CLASS B",
    ],
)
def test_licence_numbers_leave_words_after_the_name(text: str) -> None:
    assert licence_numbers(text) == []
