"""Form-field stage: values beside or under their labels, on hand-built word boxes (no OCR, no NLP)."""

from __future__ import annotations

import pytest

from redactor.engine.fields import FIELD_SCORE, find_field_values
from redactor.engine.geometry import build_page_text
from redactor.engine.models import Box, PageText, Word

CHAR = 18  # width of one character in the hand-built words
HEIGHT = 30  # so a column gap is anything over 45 px, and "under a label" is within 45 px of its left edge


def line(texts: list[str], *, y: int = 10, key: tuple[int, int, int] = (0, 0, 0), x: int = 40) -> list[Word]:
    """Words of one OCR line, left to right, 12 px apart."""
    words = []
    for text in texts:
        words.append(Word(text, Box(x, y, x + CHAR * len(text), y + HEIGHT), 95.0, key))
        x += CHAR * len(text) + 12
    return words


def values(page: PageText) -> list[tuple[str, str]]:
    return [(s.entity_type, page.text[s.start : s.end]) for s in find_field_values(page)]


def on_one_line(*texts: str) -> list[tuple[str, str]]:
    return values(build_page_text(line(list(texts))))


def test_empty_page_has_no_fields() -> None:
    assert find_field_values(build_page_text([])) == []


def test_span_offsets_and_score() -> None:
    page = build_page_text(line(["Patient", "Name:", "Zoë", "Ångström"]))
    [span] = find_field_values(page)
    assert (span.entity_type, span.start, span.end, span.score) == ("PERSON", 14, 26, FIELD_SCORE)
    assert page.text[span.start : span.end] == "Zoë Ångström"


# ------------------------------------------------------------------------------------ labels and their types


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Date", "of", "birth:", "03/14/1979"], ("DATE_OF_BIRTH", "03/14/1979")),
        (["DOB:", "03/14/1979"], ("DATE_OF_BIRTH", "03/14/1979")),
        (["D.O.B.", "03/14/1979"], ("DATE_OF_BIRTH", "03/14/1979")),
        (["DOB", "Boyd", "ote", "ee"], ("DATE_OF_BIRTH", "Boyd ote ee")),  # a date OCR garbled into words
        (["Born", "on", "3", "May", "1961"], ("DATE_OF_BIRTH", "3 May 1961")),
        (["SSN:", "123-45-6789"], ("US_SSN", "123-45-6789")),
        (["Social", "Security", "No.", "123-45-6789"], ("US_SSN", "123-45-6789")),
        (["Passport", "No.", "X1234567"], ("US_PASSPORT", "X1234567")),
        (["Driver's", "License", "#", "D123"], ("US_DRIVER_LICENSE", "D123")),
        (["Card", "Number:", "4111", "1111", "1111", "1111"], ("CREDIT_CARD", "4111 1111 1111 1111")),
        (["IBAN:", "GB82", "WEST", "1234"], ("IBAN_CODE", "GB82 WEST 1234")),
        (["Wallet", "address:", "1BoatSLRHtKNngkdXEeobR76b"], ("CRYPTO", "1BoatSLRHtKNngkdXEeobR76b")),
        (["ID:", "A123"], ("ID_NUMBER", "A123")),
        (["Policy", "No.", "P-55"], ("ID_NUMBER", "P-55")),
        (["Account", "Number:", "12345678"], ("US_BANK_NUMBER", "12345678")),
        (["E-mail:", "john@x.org"], ("EMAIL_ADDRESS", "john@x.org")),
        (["Email", "address:", "john", "@x.org"], ("EMAIL_ADDRESS", "john @x.org")),
        (["Tel.", "020", "7946", "0958"], ("PHONE_NUMBER", "020 7946 0958")),
        (["Mobile", "+47", "22", "33"], ("PHONE_NUMBER", "+47 22 33")),
        (["Fax#", "555", "0187"], ("PHONE_NUMBER", "555 0187")),
        (["Home", "Address:", "42", "Maple", "Street"], ("LOCATION", "42 Maple Street")),
        (["Ship", "to:", "Jane", "Doe"], ("LOCATION", "Jane Doe")),
        (["Billed", "to:", "Walid", "Mahi"], ("LOCATION", "Walid Mahi")),  # not "to:" alone
        (["Shipped", "to:", "Jane", "Doe"], ("LOCATION", "Jane Doe")),
        (["Full", "Name:", "Zoë", "Ångström"], ("PERSON", "Zoë Ångström")),
        (["Surname:", "O'Brien"], ("PERSON", "O'Brien")),
        (["Nickname", "God"], ("PERSON", "God")),
        (["Preferred", "name:", "Bea"], ("PERSON", "Bea")),
        (["Alias:", "Zed"], ("PERSON", "Zed")),
        (["Known", "as", "Roza"], ("PERSON", "Roza")),
        (["Attn.", "Jane", "Doe"], ("PERSON", "Jane Doe")),
        (["Patient", "John", "Smith"], ("PERSON", "John Smith")),
        (["From:", "Jane", "Doe"], ("PERSON", "Jane Doe")),
        (["Age:", "27"], ("AGE", "27")),
        (["Age:", "ay?"], ("AGE", "ay?")),  # two digits OCR garbled
        (["Age:", "YA"], ("AGE", "YA")),
    ],
)
def test_each_label_names_its_value_type(words: list[str], expected: tuple[str, str]) -> None:
    assert on_one_line(*words) == [expected]


@pytest.mark.parametrize(
    "words",
    [
        ["Wallet:", "abc"],  # a wallet needs six characters with a digit
        ["Age:", "twenty"],
        ["Age:", "N/A"],
        ["Age:", "NA"],
        ["DOB:", "unknown"],
        ["Name:", "john", "smith"],  # a name starts with a capital
        ["Name:", "42", "John"],
        ["Email:", "none"],
        ["Name:"],
        ["From", "Jane", "Doe"],  # "From" and "To" are labels only with a colon
        ["Invoice", "No.", "12345"],  # "No." names a value only at the end of its line
        ["Usage", "2"],  # no label inside another word
        ["Cellar", "door"],
    ],
)
def test_no_value_without_a_label_and_a_value_of_its_shape(words: list[str]) -> None:
    assert on_one_line(*words) == []


@pytest.mark.parametrize("name", [["Łukasz", "Nowak"], ["Šimon", "Novák"]])
def test_name_value_starting_with_a_central_european_capital(name: list[str]) -> None:
    assert on_one_line("Name:", *name) == [("PERSON", " ".join(name))]


# ------------------------------------------------------------------------------------ value on the label's line


@pytest.mark.parametrize("separator", [":", "-", "|", "__", "...", "—"])  # a blank's line before the value too
def test_separator_word_between_label_and_value_is_skipped(separator: str) -> None:
    assert on_one_line("Name", separator, "John") == [("PERSON", "John")]


def test_value_stops_at_the_next_label() -> None:
    found = on_one_line("Name:", "John", "Smith", "DOB:", "03/14/1979")
    assert found == [("PERSON", "John Smith"), ("DATE_OF_BIRTH", "03/14/1979")]


def test_a_weak_label_still_ends_the_value_before_it() -> None:
    # "Age" mid-line without a colon is no label of its own, but "John Smith" stops before it.
    assert on_one_line("Name:", "John", "Smith", "Age", "27") == [("PERSON", "John Smith")]


def test_value_that_is_itself_a_label_is_not_taken() -> None:
    assert on_one_line("Email:", "Phone:", "555", "0187") == [("PHONE_NUMBER", "555 0187")]


def test_label_word_mid_sentence_is_no_label() -> None:
    assert on_one_line("The", "patient", "John", "Smith") == []
    assert on_one_line("Pay", "by", "Card", "No.", "4111") == []


@pytest.mark.parametrize(("gap", "expected"), [(45, "John Smith"), (46, "John")])
def test_value_on_the_line_stops_at_a_gap_wider_than_one_and_a_half_text_heights(gap: int, expected: str) -> None:
    name, john = line(["Name:", "John"])
    smith = line(["Smith"], x=john.box.x1 + gap)
    assert values(build_page_text([name, john, *smith])) == [("PERSON", expected)]


@pytest.mark.parametrize(("gap", "expected"), [(45, []), (46, [("PHONE_NUMBER", "555 0187")])])
def test_label_after_a_column_gap_is_a_label(gap: int, expected: list[tuple[str, str]]) -> None:
    total = line(["Total", "12"])
    words = total + line(["Phone", "555", "0187"], x=total[-1].box.x1 + gap)
    assert values(build_page_text(words)) == expected


def test_label_far_right_of_a_line_is_a_label() -> None:
    words = line(["Total", "12"]) + line(["Phone", "555", "0187"], x=400)
    assert values(build_page_text(words)) == [("PHONE_NUMBER", "555 0187")]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Name:", "John", "Smith", "john@x.org"], "John Smith"),  # a name stops before an address or a number
        (["Name:", "John", "Smith", "42"], "John Smith"),
        (["Names:", "Ann", "and", "Bo"], "Ann and Bo"),
        (["Name:", "John", "Smith", "A12"], "John Smith"),
        (["Name:", "Jabtoniska,", "R6za", "1959"], "Jabtoniska, R6za"),  # OCR read "ó" as "6": a letter misread
        (["Name:", "Gyula", "Szab6"], "Gyula Szab6"),
    ],
)
def test_name_value_stops_at_digits_or_email(words: list[str], expected: str) -> None:
    assert on_one_line(*words) == [("PERSON", expected)]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Name:", "Ann", "Lee", "Smith", "Jones", "Brown", "Black"], ("PERSON", "Ann Lee Smith Jones Brown")),
        (["Age:", "27", "years"], ("AGE", "27")),
        (["DOB:", "3", "May", "1961", "09:00", "UTC"], ("DATE_OF_BIRTH", "3 May 1961 09:00")),
        (
            ["Address:", *"42 Maple Street Springfield IL 62704 USA North America Earth Sol".split()],
            ("LOCATION", "42 Maple Street Springfield IL 62704 USA North America Earth"),
        ),
        (["Phone:", "1", "2", "3", "4", "5", "6", "7"], ("PHONE_NUMBER", "1 2 3 4 5")),
    ],
)
def test_value_length_is_capped_per_type(words: list[str], expected: tuple[str, str]) -> None:
    assert on_one_line(*words) == [expected]


# ------------------------------------------------------------------------------------ value under the label


def label_and_row(label: list[str], row: list[str], *, row_y: int = 60, row_x: int = 40) -> PageText:
    return build_page_text(line(label) + line(row, y=row_y, key=(0, 0, 1), x=row_x))


def test_value_under_a_label_without_one_beside_it() -> None:
    assert values(label_and_row(["Name"], ["John", "Smith"])) == [("PERSON", "John Smith")]


@pytest.mark.parametrize(("row_y", "taken"), [(115, True), (120, False)])
def test_value_under_a_label_must_be_within_two_and_a_half_text_heights(row_y: int, taken: bool) -> None:
    # The label's box ends at y=40; 2.5 heights are 75 px.
    found = values(label_and_row(["Name"], ["John", "Smith"], row_y=row_y))
    assert found == ([("PERSON", "John Smith")] if taken else [])


@pytest.mark.parametrize(("row_x", "taken"), [(85, True), (86, False)])
def test_value_under_a_label_must_start_under_it(row_x: int, taken: bool) -> None:
    found = values(label_and_row(["Name"], ["John", "Smith"], row_x=row_x))
    assert found == ([("PERSON", "John Smith")] if taken else [])


@pytest.mark.parametrize(
    ("label", "below", "found"),
    [
        (["Current", "age"], ["69"], [("AGE", "69")]),  # a word qualifies the label; its value starts under the line
        (["Legal", "guardian"], ["Ana", "Ruiz"], [("PERSON", "Ana Ruiz")]),
        (["The", "patient", "gave", "her", "age"], ["69"], []),  # a sentence ending in a label's word
    ],
)
def test_a_qualified_label_on_its_own_line_takes_the_value_under_it(
    label: list[str], below: list[str], found: list[tuple[str, str]]
) -> None:
    assert values(label_and_row(label, below)) == found


def test_a_label_ending_a_line_after_a_column_gap_is_not_qualified_by_the_other_column() -> None:
    # "Citizenship" heads another column: only words close before the label qualify it.
    words = line(["Citizenship"]) + line(["age"], x=700)
    words += line(["69"], y=60, key=(0, 0, 1))
    assert values(build_page_text(words)) == []


@pytest.mark.parametrize(
    ("before", "found"),
    [(["["], [("PERSON", "Ines Becker")]), (["We", "need", "your"], [])],
)
def test_a_form_box_edge_read_before_a_label_leaves_it_opening_its_line(before: list[str], found: list) -> None:
    words = line([*before, "Full", "name"], x=30) + line(["Ines", "Becker"], y=60, key=(0, 0, 1), x=40)
    assert values(build_page_text(words)) == found


def test_row_of_labels_under_a_label_is_no_value() -> None:
    assert values(label_and_row(["Name"], ["Notes:", "none"])) == []
    assert values(label_and_row(["Name"], ["Phone", "555", "0187"])) == [("PHONE_NUMBER", "555 0187")]


def test_words_on_the_same_row_are_not_under_the_label() -> None:
    # Another OCR block on the label's own row (a few px lower) is beside it, not under it.
    words = line(["Name"]) + line(["John"], y=12, key=(1, 0, 0))
    assert values(build_page_text(words)) == []


def test_a_near_value_beside_the_label_wins_over_the_row_below() -> None:
    assert values(label_and_row(["Name:", "Jane", "Doe"], ["John", "Smith"])) == [("PERSON", "Jane Doe")]


def test_the_row_below_wins_over_a_far_value_beside_the_label() -> None:
    words = line(["Name:"]) + line(["Jane"], x=700) + line(["John", "Smith"], y=60, key=(0, 0, 1))
    assert values(build_page_text(words)) == [("PERSON", "John Smith")]


def test_a_table_row_below_is_no_value_for_the_label_above() -> None:
    # Labels in one column, values in another: the far value beside is the label's, not the next row's label.
    words = line(["Nickname"]) + line(["God"], x=700)
    words += line(["ETH", "address"], y=60, key=(0, 0, 1)) + line(["0x65040a01a5223d"], y=60, x=705, key=(0, 0, 1))
    assert ("PERSON", "God") in values(build_page_text(words))
    assert ("PERSON", "ETH") not in values(build_page_text(words))


def test_a_grid_header_of_unknown_labels_takes_the_row_below() -> None:
    # "Collected" and "Reported" head columns of their own: the row under "Next of kin" holds its value.
    words = line(["Next", "of", "kin"]) + line(["Collected"], x=500) + line(["Reported"], x=800)
    words += line(["Mirjana", "Lovrić"], y=60, key=(0, 0, 1)) + line(["03", "June", "2015"], y=60, x=500, key=(0, 0, 1))
    assert values(build_page_text(words)) == [("PERSON", "Mirjana Lovrić")]


def test_a_skewed_row_below_is_under_the_label_where_the_label_is() -> None:
    # The page rises to the right: the row's far end is level with the label, its start is under it.
    words = line(["Patient"], y=50) + line(["Age"], x=900, y=5)
    words += line(["GODINA,", "Asya"], y=100, key=(0, 0, 1)) + line(["32y"], x=900, y=45, key=(0, 0, 1))
    assert ("PERSON", "GODINA, Asya") in values(build_page_text(words))


def test_an_iban_value_keeps_all_its_groups() -> None:
    assert on_one_line("IBAN", "ES85", "7013", "4988", "8024", "7938", "5122") == [
        ("IBAN_CODE", "ES85 7013 4988 8024 7938 5122")
    ]


def test_a_grid_row_of_values_below_labels_is_the_labels_value() -> None:
    # Labels in one row, their values in the next: the far word beside "Name" is the next label.
    words = line(["Name"]) + line(["Staff", "no."], x=700)
    words += line(["Carys", "Morrison"], y=60, key=(0, 0, 1)) + line(["EMP-5239155"], y=60, x=705, key=(0, 0, 1))
    assert ("PERSON", "Carys Morrison") in values(build_page_text(words))


def test_value_under_a_label_skips_an_overlapping_line() -> None:
    # A second OCR line that starts on the label's row is skipped; the next row down is taken.
    words = line(["Name"]) + line(["Jane"], y=20, key=(1, 0, 0), x=300) + line(["John"], y=60, key=(0, 0, 2))
    assert values(build_page_text(words)) == [("PERSON", "John")]


def test_value_across_the_row_in_a_line_ocr_read_apart() -> None:
    # A form's values column: OCR reads it as other lines, level with the labels.
    words = line(["Age"]) + line(["Name"], y=50, key=(0, 0, 1)) + line(["36"], y=12, key=(1, 0, 0), x=400)
    words += line(["John", "Smith"], y=52, key=(1, 0, 1), x=400)
    assert values(build_page_text(words)) == [("AGE", "36"), ("PERSON", "John Smith")]


@pytest.mark.parametrize(
    ("label", "row_y", "row_x"),
    [(["Age"], 30, 400), (["Age"], 12, 20), (["Age", "is", "a", "number"], 12, 800)],  # lower, left, no lone label
)
def test_no_value_across_the_row_off_it_or_after_a_label_in_a_sentence(
    label: list[str], row_y: int, row_x: int
) -> None:
    words = line(label, x=200) + line(["36"], y=row_y, key=(1, 0, 0), x=row_x)
    assert values(build_page_text(words)) == []


def test_age_label_with_its_unit() -> None:
    assert on_one_line("Age", "(years):", "37") == [("AGE", "37")]


def test_age_written_with_a_y() -> None:
    assert values(label_and_row(["Age", "Gender"], ["58y", "Female"])) == [("AGE", "58y")]


def test_a_value_stops_before_the_next_label() -> None:
    assert on_one_line("Account", "number:", "83508144", "Routing", "number:", "094973457") == [
        ("US_BANK_NUMBER", "83508144")
    ]
    assert on_one_line("Employee:", "Job", "title:", "Analyst") == []


@pytest.mark.parametrize("words", [["Hemoglobin", "g/dL", "12.0", "-", "17.5"], ["Range", "(g/dL)", "4"]])
def test_a_lab_unit_is_no_licence_label(words: list[str]) -> None:
    assert on_one_line(*words) == []


def test_dl_in_capitals_is_a_licence_label() -> None:
    assert on_one_line("DL:", "D1234567") == [("US_DRIVER_LICENSE", "D1234567")]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Next", "of", "kin:", "Edward", "Horton", "(son)"], ("PERSON", "Edward Horton")),
        (["Signed", "by:", "Dr.", "Thea", "Solberg", "on", "Dec"], ("PERSON", "Dr. Thea Solberg")),
        (["Verified", "by:", "Murron", "Simpson,", "FRCP"], ("PERSON", "Murron Simpson,")),
        (["HR", "representative:", "Agust", "Svensson"], ("PERSON", "Agust Svensson")),
        (["Name:", "BELYAKOVA,", "Efimiya"], ("PERSON", "BELYAKOVA, Efimiya")),
        (["Name:", "John", "SMITH"], ("PERSON", "John SMITH")),
    ],
)
def test_a_name_value_keeps_only_name_parts(words: list[str], expected: tuple[str, str]) -> None:
    assert on_one_line(*words) == [expected]


def test_a_surname_opening_with_a_particle_under_its_label() -> None:
    assert values(label_and_row(["LN"], ["van", "Beers"])) == [("PERSON", "van Beers")]
    assert values(label_and_row(["LN"], ["vanished"])) == []


def test_a_manager_under_its_label() -> None:
    found = values(label_and_row(["Line", "manager"], ["Léa", "H", "Deladoëy-Chopard"]))
    assert found == [("PERSON", "Léa H Deladoëy-Chopard")]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Address:", "503", "Brendan", "Trafficway.", "Unlike", "the"], ("LOCATION", "503 Brendan Trafficway.")),
        (["Wallet:", "payments", "accepted", "at", "0xAEE19EBE8b41AB24"], ("CRYPTO", "0xAEE19EBE8b41AB24")),
        (["Phone", "number", "is", "082", "875", "2166."], ("PHONE_NUMBER", "082 875 2166.")),
        (["Card", "no.:", "39311125", "Macedo", "the", "end"], ("CREDIT_CARD", "39311125")),
    ],
)
def test_a_value_is_cut_to_its_sentence_and_a_number_to_its_digits(words: list[str], expected: tuple[str, str]) -> None:
    assert on_one_line(*words) == [expected]


@pytest.mark.parametrize(("value", "taken"), [("123-45-6789", True), ("123456789", True), ("£259.78", False)])
def test_a_social_security_value_has_its_shape(value: str, taken: bool) -> None:
    assert on_one_line("SSN:", value) == ([("US_SSN", value)] if taken else [])


# ------------------------------------------------------------------------------------ addresses over several lines


def small_line(texts: list[str], *, y: int, key: tuple[int, int, int]) -> list[Word]:
    """A line in smaller letters, as an id card prints its labels."""
    return [
        Word(w.text, Box(w.box.x0, w.box.y0, w.box.x1, w.box.y0 + HEIGHT * 2 // 3), 95.0, key)
        for w in line(texts, y=y, key=key)
    ]


def id_card(*rows: list[Word]) -> list[tuple[str, str]]:
    """An id card's address field: a small "ADDRESS" label, then the given rows."""
    return values(build_page_text(small_line(["ADDRESS"], y=10, key=(0, 0, 0)) + [w for row in rows for w in row]))


def test_an_address_value_runs_on_over_the_lines_under_it() -> None:
    street = line(["29", "Jameson", "Street"], y=40, key=(0, 0, 1))
    town = line(["Declan", "Ville,", "Louth", "E94", "Y3TA"], y=75, key=(0, 0, 2))
    assert id_card(street, town) == [("LOCATION", "29 Jameson Street"), ("LOCATION", "Declan Ville, Louth E94 Y3TA")]
    beside = line(["Address:", "12", "Oak", "Road"]) + line(["London"], y=45, key=(0, 0, 1), x=40 + 8 * CHAR + 12)
    assert values(build_page_text(beside)) == [("LOCATION", "12 Oak Road"), ("LOCATION", "London")]


@pytest.mark.parametrize(
    "below",
    [
        small_line(["ISS"], y=75, key=(0, 0, 2)),  # the next label, in smaller letters
        line(["Mar", "10,", "2019"], y=75, key=(0, 0, 2)),  # a date
        line(["Phone:", "555", "0187"], y=75, key=(0, 0, 2)),  # a label
        line(["Smithshire"], y=140, key=(0, 0, 2)),  # a paragraph further down
        line(["Smithshire"], y=75, key=(0, 0, 2), x=200),  # in another column
        line(["He", "lives", "on", "the", "north", "side"], y=75, key=(0, 0, 2)),  # prose
    ],
)
def test_an_address_value_stops_at_a_line_that_does_not_carry_it_on(below: list[Word]) -> None:
    street = line(["29", "Jameson", "Street"], y=40, key=(0, 0, 1))
    assert ("LOCATION", "29 Jameson Street") in id_card(street, below)


def test_an_address_value_runs_on_to_a_postcode_shorter_than_its_commas() -> None:
    tail = HEIGHT // 5  # a comma's tail below the line makes the word's box that much taller
    street = [
        Word(w.text, Box(w.box.x0, w.box.y0, w.box.x1, w.box.y1 + tail * w.text.endswith(",")), 95.0, w.line_key)
        for w in line(["1492", "Randall", "Drive,", "Keaau,"], y=40, key=(0, 0, 1))
    ]
    postcode = line(["96749"], y=80, key=(0, 0, 2))
    assert id_card(street, postcode) == [("LOCATION", "1492 Randall Drive, Keaau,"), ("LOCATION", "96749")]


def test_an_address_value_keeps_its_line_spacing() -> None:
    street = line(["29", "Jameson", "Street"], y=40, key=(0, 0, 1))
    town = line(["Declan", "Ville"], y=75, key=(0, 0, 2))
    heading = line(["Reported"], y=125, key=(0, 0, 3))  # 50 px on, where the lines above were 35 apart
    assert ("LOCATION", "Reported") not in id_card(street, town, heading)
    assert ("LOCATION", "Reported") in id_card(street, town, line(["Reported"], y=110, key=(0, 0, 3)))
    assert ("LOCATION", "Sumqayit") in id_card(street, town, line(["Sumqayit"], y=119, key=(0, 0, 3)))  # OCR's give


def test_an_address_value_takes_at_most_three_lines() -> None:
    rows = [line([f"Line{n}"], y=40 + 35 * n, key=(0, 0, n + 1)) for n in range(4)]
    assert id_card(*rows) == [("LOCATION", "Line0"), ("LOCATION", "Line1"), ("LOCATION", "Line2")]


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["Driver's", "licence:", "JKGASHLWJZGQ"], "JKGASHLWJZGQ"),
        (["DL:", "SKFBMFHXWQ"], "SKFBMFHXWQ"),
        (["Driving", "licence", "XEVLHVSN8109"], "XEVLHVSN8109"),  # British English
        (["License", "No.", "SKFBMFH08463"], "SKFBMFH08463"),
        (["DL:", "OWUIFDVZCUOD"], "OWUIFDVZCUOD"),  # vowels enough for a word, but five consonants in a row
    ],
)
def test_a_licence_number_of_capitals_only_is_taken(words: list[str], value: str) -> None:
    assert on_one_line(*words) == [("US_DRIVER_LICENSE", value)]


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["Crypto", "wallet", "JUkro4tdR", "9B3qR", "yiomsSG2sMJgjwn", "WZpV"], "JUkro4tdR 9B3qR yiomsSG2sMJgjwn WZpV"),
        (
            ["Payout", "wallet", "0xbc43a6f8a1ff9641857accc80d278ec298cf4c25"],
            "0xbc43a6f8a1ff9641857accc80d278ec298cf4c25",
        ),
        (["Wallet:", "1BoatSLRHtKNngkdXEeobR76b", "Thanks"], "1BoatSLRHtKNngkdXEeobR76b"),  # a word ends it
    ],
)
def test_a_wallet_after_its_label_is_taken_in_pieces(words: list[str], value: str) -> None:
    assert on_one_line(*words) == [("CRYPTO", value)]


@pytest.mark.parametrize("value", ["SUSPENDED", "NOTAPPLICABLE", "PENDING", "N/A", "INSTRUCTION", "CANCELLED"])
def test_a_licence_status_in_capitals_is_no_number(value: str) -> None:
    assert on_one_line("Driver's", "licence:", value) == []


# ------------------------------------------------------------------------------------ a town's fields


@pytest.mark.parametrize(
    "words",
    [
        ["Town", "/", "Postcode", "Groot-Loon,", "3840"],
        ["City/State/ZIP:", "Bussum,", "1404", "JM"],
        ["Postcode", "/", "City", "3840", "Groot-Loon"],
        ["Town:", "Groot-Loon"],
        ["ZIP", "code:", "90210"],
        ["City,", "postal", "code", "9140560", "Yumbel"],
    ],
)
def test_a_towns_fields_label_a_location(words: list[str]) -> None:
    [(entity_type, _)] = on_one_line(*words)
    assert entity_type == "LOCATION"


@pytest.mark.parametrize("words", [["City", "Council", "meets", "today"], ["Town", "hall", "meeting"]])
def test_a_town_word_without_a_colon_labels_nothing(words: list[str]) -> None:
    assert on_one_line(*words) == []


def test_an_address_across_a_column_gap_beats_the_next_rows_label_under_its_own() -> None:
    page = build_page_text(
        line(["City", "/", "State", "/", "ZIP"], key=(0, 0, 1))
        + line(["Bussum,", "1404", "JM"], key=(0, 0, 1), x=400)
        + line(["Nationality"], y=50, key=(0, 0, 2))
        + line(["Liberian"], y=50, key=(0, 0, 2), x=400)
    )
    assert values(page) == [("LOCATION", "Bussum, 1404 JM")]


@pytest.mark.parametrize(("label", "other"), [(["Bill", "to:"], ["Number:"]), (["Billed", "to:"], ["Invoice", "#"])])
def test_the_next_columns_label_and_value_are_no_address_across_the_gap(label: list[str], other: list[str]) -> None:
    page = build_page_text(
        line(label, key=(0, 0, 1))
        + line([*other, "INV-94923"], key=(0, 0, 1), x=400)
        + line(["Royale", "Moise"], y=50, key=(0, 0, 2))
    )
    assert values(page)[0] == ("LOCATION", "Royale Moise")
