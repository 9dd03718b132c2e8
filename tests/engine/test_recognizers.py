"""Our Presidio recognizers, each on its own: what it must find (exact text and offsets) and near misses it must not."""

from __future__ import annotations

import pytest
from presidio_analyzer import PatternRecognizer

from redactor.engine import recognizers as r
from redactor.engine.detect import Analyzer, detect_entities

Hit = tuple[str, int]  # covered text, start offset


def hits(recognizer: PatternRecognizer, text: str) -> list[Hit]:
    """What ``recognizer`` alone reports in ``text``, without NLP artifacts or context enhancement."""
    results = recognizer.analyze(text, recognizer.supported_entities)
    return sorted((text[x.start : x.end], x.start) for x in results)


def scored(recognizer: PatternRecognizer, text: str) -> list[tuple[str, float]]:
    return sorted((text[x.start : x.end], x.score) for x in recognizer.analyze(text, recognizer.supported_entities))


def one(text: str, found: str, occurrence: int = 0) -> list[Hit]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(found, start + 1)
    return [(found, start)]


def check(recognizer: PatternRecognizer, text: str, found: str | None) -> None:
    assert hits(recognizer, text) == ([] if found is None else one(text, found))


# ------------------------------------------------------------------------------------ DateOfBirthRecognizer

DOB = r.DateOfBirthRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("She was born on 3 May 1961 in Oslo", "3 May 1961"),
        ("born 12/05/1990.", "12/05/1990"),
        ("His birthday is June 5, 1980", "June 5, 1980"),
        ("Her date of birth is 1990-01-02", "1990-01-02"),
        ("Born on 3 May 1961", "3 May 1961"),
        ("BORN ON 3 MAY 1961", "3 MAY 1961"),
        ("born on 3rd of March 1961", "3rd of March 1961"),
        ("Ann Lee, born on\n3 May 1961, is the policyholder", "3 May 1961"),  # over a line break
    ],
)
def test_date_of_birth_after_a_birth_phrase(text: str, found: str) -> None:
    check(DOB, text, found)
    assert scored(DOB, text) == [(found, 0.6)]


@pytest.mark.parametrize("text", ["born in May", "reborn 12/05/1990", "Invoice date 3 May 1961", "", "born on"])
def test_date_of_birth_needs_the_phrase_right_before_a_date(text: str) -> None:
    check(DOB, text, None)


# ------------------------------------------------------------------------------------ AgeRecognizer

AGE = r.AgeRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found", "score"),
    [
        ("a 41 year old man", "41", 0.6),
        ("41-year-old", "41", 0.6),
        ("41 years old", "41", 0.6),
        ("41 yrs. old", "41", 0.6),
        ("aged 41", "41", 0.6),
        ("AGED 41", "41", 0.6),
        ("at the age of 41", "41", 0.6),
        ("41 yrs", "41", 0.5),
        ("41 y/o", "41", 0.5),
        ("41yo", "41", 0.5),
        ("she turned 41 in May", "41", 0.5),
        ("Ann celebrated\n41 years with friends", "41", 0.5),  # over a line break
        ("The applicant, aged\n41, has lived here", "41", 0.6),
        ("retired at the age\nof 41.", "41", 0.6),
        ("My birthday is on Sunday. I'll turn 41.", "41", 0.5),
        ("she's 4 now can you believe it", "4", 0.5),
        ("He is 41 now", "41", 0.5),
        ("Written when he was\n59.", "59", 0.5),
        ("When I was 12 we moved", "12", 0.5),
    ],
)
def test_age_is_the_number_alone(text: str, found: str, score: float) -> None:
    check(AGE, text, found)
    assert scored(AGE, text) == [(found, score)]


@pytest.mark.parametrize(
    "text",
    [
        "1234 years old",
        "aged 4100",
        "41 years ago",
        "page 41",
        "41 years",
        "age 41",
        "",
        "it turned 180 degrees",
        "the knob turns 45 degrees",
        "celebrated 500 years",
        "celebrated 41 wins",
        "turn 90 degrees left",
        "it's 5 now",
        "she's 41",
        "when I was 5 minutes late",
        "when she was 10:30 in",
        "when he was 3 pm",
    ],
)
def test_age_near_misses(text: str) -> None:
    check(AGE, text, None)


# ------------------------------------------------------------------------------------ DomainNameRecognizer

DOMAIN = r.DomainNameRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("visit example.com today", "example.com"),
        ("www.example.co.uk", "www.example.co.uk"),
        ("EXAMPLE.COM", "EXAMPLE.COM"),
        ("see sub.example.org.", "sub.example.org"),
        ("my-site.io", "my-site.io"),
        ("john@example.com", "example.com"),
    ],
)
def test_domain_with_a_public_suffix(text: str, found: str) -> None:
    check(DOMAIN, text, found)


@pytest.mark.parametrize("text", ["file.txt", "a.b", "foo.notatld", "1.2.3.4", "e.g. this", "version 2.10"])
def test_domain_without_a_public_suffix_is_no_domain(text: str) -> None:
    check(DOMAIN, text, None)


# ------------------------------------------------------------------------------------ TitledNameRecognizer

TITLED = r.TitledNameRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mr. O'Brien", "O'Brien"),
        ("Miss Ann", "Ann"),
        ("MR. Ann", "Ann"),
        ("Dear Ann,", "Ann"),
        ("named Bob", "Bob"),
        ("Thanks,\nAnn", "Ann"),
        ("Regards,\nJohn Q. Smith Jr", "John Q. Smith Jr"),
        ("Yours truly,\nJohn Q Smith", "John Q Smith"),
        ("Best regards,\nJohn Q. Smith", "John Q. Smith"),
        ("Mrs. Jane-Ann", "Jane-Ann"),
        ("Best,\nMare P Nuut", "Mare P Nuut"),
        ("Cheers,\nGreta", "Greta"),
        ("Yours faithfully,\nZora Obad", "Zora Obad"),
        ("made a real difference.”\n— Fern Young\n", "Fern Young"),
        ("— Severin Akhtar, Pump operator", "Severin Akhtar"),
        ("Photo: Stella Post", "Stella Post"),
        ("Words by Kaue Lima", "Kaue Lima"),
        ("Edited by Calebe Fonseca, Scientist", "Calebe Fonseca"),
        ("news\nBy Vivien J Major\n", "Vivien J Major"),
        ("to remove my kid Impi from the will", "Impi"),
        ("Our landlord Tomas Berg said", "Tomas Berg"),
        ("a tenant named\nTomas Berg said", "Tomas Berg"),  # over a line break
        ("ask my\nlandlord Tomas", "Tomas"),
    ],
)
def test_titled_name_after_a_title_greeting_or_closing(text: str, found: str) -> None:
    check(TITLED, text, found)


@pytest.mark.parametrize(
    "text",
    [
        "Hi there",
        "dear Ann",
        "Dr. ann lee",
        "Mr. A B",
        "Sincerely, John",
        "Dear\nAnn",
        "",
        "Photo: the hall",
        "passed By Ann",
        "my son is here",
        "a friend Anna",  # no relation of the writer's
        "my sonAnna",
    ],
)
def test_titled_name_near_misses(text: str) -> None:
    check(TITLED, text, None)


OWNER = r.OwnerNameRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mason's new mobile number is +41 91 371 00 25.", "Mason"),
        ("Please update Ana Ruiz's passport details", "Ana Ruiz"),
        ("said Oduya’s wife", "Oduya"),
    ],
)
def test_owner_name_before_what_only_a_person_owns(text: str, found: str) -> None:
    check(OWNER, text, found)


@pytest.mark.parametrize(
    "text",
    ["The Company's address", "Client's address is", "Mason's car", "Our office's phone", "Masons' address"],
)
def test_owner_name_near_misses(text: str) -> None:
    check(OWNER, text, None)


INTRODUCED = r.IntroducedNameRecognizer("en")


@pytest.mark.parametrize(("text", "found"), [("I'm Pavel originally from", "Pavel"), ("I am Ana Ruiz and", "Ana Ruiz")])
def test_introduced_names(text: str, found: str) -> None:
    check(INTRODUCED, text, found)


@pytest.mark.parametrize("text", ["I'm Happy to help", "I am The One", "I'm pavel", "Tim Pavel"])
def test_introduced_near_misses(text: str) -> None:
    check(INTRODUCED, text, None)


COMPANION = r.CompanionNameRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("She lives with Agatha at Unit 7691", "Agatha"),
        ("he was accompanied by Tomás Ruiz to", "Tomás Ruiz"),
        ("married to Grace", "Grace"),  # a proper noun too
    ],
)
def test_companion_names(text: str, found: str) -> None:
    check(COMPANION, text, found)


@pytest.mark.parametrize(
    "text",
    ["lives with Diabetes", "lives with HIV", "living with The Family", "lives with agatha", "delivers with Ann"],
)
def test_companion_near_misses(text: str) -> None:
    check(COMPANION, text, None)


CALLED = r.CalledNameRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Call Mei on +39 3444223594 or e-mail", "Mei"),
        ("Call Grace on 020 7946 0000", "Grace"),  # a dictionary word, but a proper noun too
        ("Ring Vojtěch at home on 27 591698 if the office is closed", "Vojtěch"),
        ("You can reach Aleksandra directly on +49 30 65656354.", "Aleksandra"),
        ("text Ana Ruiz at (555) 010-2233", "Ana Ruiz"),
    ],
)
def test_called_name_before_a_number_to_call(text: str, found: str) -> None:
    check(CALLED, text, found)


@pytest.mark.parametrize(
    "text",
    [
        "Contact Support on 0800 123 456",
        "Call Center at 9am",
        "Call Reception on 020 7946 0000",
        "Call The Office on +44 20 7946 0000",
        "call Mei on Monday",
        "Call May on +39 3444223594",  # a stop word first: too often no name
        "Call May",
    ],
)
def test_called_name_near_misses(text: str) -> None:
    check(CALLED, text, None)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Dr. Ann Lee", "Ann Lee"),
        ("Hello Ann Lee", "Ann Lee"),
        ("my name is John Smith", "John Smith"),
        ("Sincerely,\nJohn Smith", "John Smith"),
    ],
)
def test_titled_name_takes_the_whole_surname(text: str, found: str) -> None:
    check(TITLED, text, found)


def test_titled_name_takes_accented_names() -> None:
    check(TITLED, "Prof. Zoë Ångström", "Zoë Ångström")


# ------------------------------------------------------------------------------------ StreetAddressRecognizer

STREET = r.StreetAddressRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("2326 Parkdale Avenue", "2326 Parkdale Avenue"),
        ("enter on 4990 De la Providence Avenue today", "4990 De la Providence Avenue"),  # a particle inside
        ("left at 9,\navenue Christophe Leclercq", "9,\navenue Christophe Leclercq"),  # the number closing a line
        ("here: Dózsa györgy utca\n243., Alsógyörgyfalva", "Dózsa györgy utca\n243."),  # the number opening one
        ("42 Maple Street, Boston", "42 Maple Street"),
        ("1600 Pennsylvania Ave NW", "1600 Pennsylvania Ave"),
        ("Via Leopardi 83", "Via Leopardi 83"),
        ("lives on Avenida San Miguel de Tucuman\nN° 722. Local", "Avenida San Miguel de Tucuman\nN° 722"),
        ("tenant at 267 Thomas Dip, Crawfordstad", "267 Thomas Dip"),  # an Australian suffix
        ("sent to Unit\n4180\nThanks", "Unit\n4180"),  # a unit's word closing the line
        ("Apt, 616\nann@x.com", "Apt, 616"),  # a full stop read as a comma
        ("Ruzova dolina 27 Due date", "Ruzova dolina 27"),  # a Slovak street word, its accents dropped
        ("Michaelkirchstr. 15 and Debreceni Ut 82. St.", "Debreceni Ut 82."),  # "út" read with a capital
        ("Kossuth u. 12.", "Kossuth u. 12."),
        ("corner of Ingrid Drives and Main", "Ingrid Drives"),
        ("Suite 254", "Suite 254"),
        ("Suite#12", "Suite#12"),
        ("Apt. 4B", "Apt. 4B"),
        ("P.O. Box 12", "P.O. Box 12"),
        ("PO Box 12", "PO Box 12"),
        ("Room 101", "Room 101"),
        ("Please return to Postbox 296", "Postbox 296"),
        ("Postfach 2454, Wien", "Postfach 2454"),
        ("a new one to 7779 Michaela\nRue, North Emma", "7779 Michaela\nRue"),  # running text wrapped the name
        ("at 12 Old Oak\nRoad today", "12 Old Oak\nRoad"),
        ("Position details\nCalle 169M Sur # 91-3\nNechi, 689928", "Calle 169M Sur # 91-3"),
        ("Address\nCarrera 2K # 3-3 Sur, Barbosa", "Carrera 2K # 3-3 Sur"),
        ("Diagonal 45 Bis No. 12-80", "Diagonal 45 Bis No. 12-80"),
        ("Dr. Kelly Morris 149, Chatterjee Marg, Bhatpara,", "149, Chatterjee Marg"),
        ("5 Lamb Siding Due date: September 08, 2021", "5 Lamb Siding"),
        ("2/9 Berry Frontage", "2/9 Berry Frontage"),  # a unit's number before the house number
        ("Invoice to: Samira\n50/08, Yogi Chowk\nChennai", "50/08, Yogi Chowk"),
        ("We'll meet at Vordere PLC, 0786\nRichardson Overpass, Kobenhavn", "0786\nRichardson Overpass"),
        ("held at aleja\nPitsudskiego 605, Swarzedz", "aleja\nPitsudskiego 605"),  # the number says it is one
        ("deliver your parcel to Avda. Mac\nIver 40 on Friday", "Avda. Mac\nIver 40"),
        ("Søren Jaabæks vei 148, Oslo", "Jaabæks vei 148"),  # a Scandinavian street word of its own
        ("Vidkuns gate 71\nHARSTAD 9405", "Vidkuns gate 71"),
        ("Arany jános utca 139., Hetvenfa", "Arany jános utca 139."),  # a given name in small letters
        ("Ampliación Hidalgo 446 Edif. 945 , Depto. 560 .", "Ampliación Hidalgo 446 Edif. 945 , Depto. 560"),
        ("held at Rotonda Mauro, 961 Piano 2, Port", "Rotonda Mauro, 961 Piano 2"),  # a comma before the number
        ("Rotonda Dolores, 49 Appartamento 53", "Rotonda Dolores, 49 Appartamento 53"),
        ("lives at R Palmeira 14, A dos Francos", "R Palmeira 14"),  # an abbreviated street word
        ("lives at R. de Esteves, 56, Rio Maior", "R. de Esteves, 56"),
        ("Mercy Medical Group\n922 Stanley Ithafa\neThekwini", "922 Stanley Ithafa"),  # a Zulu street word
        ("Customer: Anna\n382 Danny Circles\nmail", "382 Danny Circles"),  # a plural street suffix
        (
            "Pedestrians must enter on 41 Rue de\nMarrakech St. the first",
            "Rue de\nMarrakech St.",
        ),  # wrapped at a particle
        ("Zachary Luttrell\nC/ Manuel Iradier 77\nBeniarbeig", "C/ Manuel Iradier 77"),
        ("Fair 2024, Praça de Maceda, S/N Spring", "Praça de Maceda, S/N"),  # "sin número"
        ("Sold to: Klas\nΠάροδος Σκινέως 88\nΚιλκίς", "Πάροδος Σκινέως 88"),  # a Greek street word
        ("here they are: Michimalonco 739 Piso 87, Arauco, Chile", "Michimalonco 739 Piso 87"),  # a name, number, flat
        ("Address: Gabriel Guevara 5583\nDpto. 371, Chanco,", "Gabriel Guevara 5583\nDpto. 371"),
        ("sent to? User: 2, avenue\nTurpin, 52359 Klein.", "2, avenue\nTurpin"),  # the number says it is a street
        ("to the same: 938 route\nLaetitia Dupont.", "938 route\nLaetitia Dupont."),
        ("Please return to Budaorsi ut 14., Gavavencsellé", "Budaorsi ut 14."),  # "út" read without its accent
        ("to the same: plac Korczaka 90\nOlsztyn", "plac Korczaka 90"),  # a Polish square, in small letters
        ("Address: Boriñaur enparantza 29\nnext", "Boriñaur enparantza 29"),  # a Basque street word after the name
        ("2026, C. Duilio Falcón 29 Puerta 5\nQuiz", "C. Duilio Falcón 29 Puerta 5"),  # a door after the number
        ("Via Roma 12-14, Milano", "Via Roma 12-14"),  # a range of house numbers
        ("Trg revolucije 95\nBohinjska Bistrica", "Trg revolucije 95"),  # a street's name in small letters
        ("Cesta v Smartno 376\nLjutomer", "Cesta v Smartno 376"),  # a Slovene particle
        ("Jamila\nFazenda de da Conceição, 21\nSalvador", "Fazenda de da Conceição, 21"),  # two particles
        ("Mail it to Ana at Estação Marina Camargo,\n23, Costela", "Estação Marina Camargo,\n23"),  # number wrapped
        ("change my address to Largo\nda Figueira, 75, Entroncamento", "Largo\nda Figueira, 75"),
        ("my new address: al. Gatczynskiego\n44/43, 66-568 Knurow", "al. Gatczynskiego\n44/43"),
        ("the keys from Klesarski put 4b/1.", "Klesarski put 4b/1."),  # South Slavic street words after the name
        ("Zajčevi dvori 9", "Zajčevi dvori 9"),
        ("Atatürk caddesi 12", "Atatürk caddesi 12"),  # Turkish
        ("Av. 186 Bis N° 968, Mar del Plata", "Av. 186 Bis N° 968"),  # a numbered street and its house number
        ("the corner of Reed Isle St. and Darrell\nCrescent St. Written", "Darrell\nCrescent"),  # a wrapped name
        ("Pusztai tér 5.", "Pusztai tér 5."),  # Hungarian and Croatian street words after the name
        ("Kozarčev vijenac 872", "Kozarčev vijenac 872"),
        ("Teréz krt. 28., Berhida", "Teréz krt. 28."),
        ("at Nymanin kuja 8\nVantaa", "Nymanin kuja 8"),  # Finnish street words apart from the name
        ("U Hostivařského Nádraží 8", "U Hostivařského Nádraží 8"),  # a Czech street opened by a preposition
        ("Pri tehelni 96, Bratislava", "Pri tehelni 96"),
        ("0 HÜSEYN ARİF", "0 HÜSEYN ARİF"),  # Azerbaijani streets in capitals
        ("7 Q.PİRİMOV\nBaku", "7 Q.PİRİMOV"),
        ("3 Y. HƏSƏNOV", "3 Y. HƏSƏNOV"),
        ("7 1-Cİ MƏDƏN", "7 1-Cİ MƏDƏN"),
        ("Cl. 1ª # 9-62 Este", "Cl. 1ª # 9-62 Este"),  # Colombian abbreviations and ordinals
        ("Avenida carrera 162 # 7-7 Sur", "Avenida carrera 162 # 7-7 Sur"),
        ("Tr. 190 # 63I-2 Este", "Tr. 190 # 63I-2 Este"),
        ("Ship to H.No. 41\nDelhi", "H.No. 41"),  # an Indian house number
        ("2181 88th Avenue", "2181 88th Avenue"),  # an ordinal street
        ("4643-B Jasper Extension", "4643-B Jasper Extension"),  # a house number's letter after a hyphen
        ("47/646 Dhaliwal Ganj", "47/646 Dhaliwal Ganj"),  # Indian street words
        ("5 Mary Cul-de-sac", "5 Mary Cul-de-sac"),
        ("Please send to 934 allé Lemire\nnext", "934 allé Lemire"),  # Quebec's "allé"
        ("I'm staying at 7594 montée Asselin this week", "7594 montée Asselin"),  # a street word after the number
        ("staying at Esplanada de Borges, 61 this week", "Esplanada de Borges, 61"),  # a comma before the number
        ("lives at Av. Armando Luna # 2-8 Sur today", "Av. Armando Luna # 2-8 Sur"),  # a named Colombian street
        ("233 lalyssos Avenue\nnext", "233 lalyssos Avenue"),  # OCR's "l" for a capital I
    ],
)
def test_street_lines(text: str, found: str) -> None:
    check(STREET, text, found)


def test_street_lines_do_not_run_across_lines() -> None:
    assert hits(STREET, "12 Oak Road\n14 Elm Road") == [("12 Oak Road", 0), ("14 Elm Road", 12)]


@pytest.mark.parametrize("text", ["Calle 12 and more", "Avenida 5 # 3", "Calle 7 # 2024-05-01", "calle 12 # 3-4"])
def test_grid_street_needs_the_number_and_its_block(text: str) -> None:
    check(STREET, text, None)


def test_street_lines_do_not_break_after_the_house_number() -> None:
    check(STREET, "Apartment 36A\nNorthgate Medical Center", "Apartment 36A")
    check(STREET, "Apartment 36\nNorthgate Medical Center", "Apartment 36")


def test_a_house_number_closing_running_text_joins_the_street_below() -> None:
    text = "Collection is from 3256\nMasonic Hill Road between nine and five."
    assert ("3256\nMasonic Hill", 19) in hits(STREET, text)
    text = "Can you validate the following? 41\nChurch Way, BRAILSFORD"  # after a question
    assert ("41\nChurch Way", 32) in hits(STREET, text)


def test_a_street_word_wraps_only_before_a_house_number() -> None:
    check(STREET, "Rue de la Paix\nLondon", "Rue de la Paix")


@pytest.mark.parametrize(
    "text",
    [
        "I walked 5 miles down the Street",
        "the street",
        "42 maple street",
        "Page 2 of 3",
        "Box",
        "Boarding at Departure gate 12",  # an English word before a street word English uses too
        "Please enter the gate 5 code",
        "see R Johnson 2019, p. 4",  # an abbreviated street word needs a house number, not a year
        "R Johnson and Av Smith",
        "Table 4 Interior",  # a flat's word needs its number
        "paid Anna 5 Piso",
        "the bus route\nLondon to Leeds",  # no house number before the street word
        "we sent 3 via\nDHL Express",  # English writes "via" after a number too
        "the Place 2023-06-01 meeting",
        "Via email 5 times",  # a street's name in small letters is no English
        "Place ordered 3",
        "I put 3 apples on the table",  # "put" after an English word
        "Vila Nova is lovely",  # a Brazilian street word needs a house number
        "Vila Nova,\n23 people came",  # a wrapped number needs a comma or the line's end after it
        "Facilities\nRoad closures are expected",  # a heading over a line a street's suffix opens
        "4/22/2024, Stuttgart\nVolunteer Corner",  # a date's year is no house number
        "Calle 12 and No. 5",
        "U Thant said 12",  # a preposition's street holds no English word in small letters
        "K Smith 12",  # "K" and "V" initial a name
        "Na 5 minut",
        "I bought 5 PCS",  # capitals after a number: a word beyond English or an initial are needed
        "we paid 10 USD",
        "at 3 A.M. sharp",
        "Tr. 190 is closed",
        "we had 12 lovely Road trips",  # a word in small letters is OCR's "l" for "I" only when no English
        "the Room\n12 people came",  # only a flat's or a unit's word closing a line
        "Flat\n12 people came",
    ],
)
def test_street_near_misses(text: str) -> None:
    check(STREET, text, None)


STREET_ENDING = r.StreetEndingRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Nybyvägen 65", "Nybyvägen 65"),
        ("Hauptstraße 5", "Hauptstraße 5"),
        ("at Kaiserring 3, Wien", "Kaiserring 3"),
        ("Ahornweg", "Ahornweg"),
        ("Łódźweg 4", "Łódźweg 4"),  # capitals beyond Latin-1
        ("The property at Grolmanstra&e 25, Bremen", "Grolmanstra&e 25"),  # OCR's reading of "ß"
        ("HauptstraBe 5", "HauptstraBe 5"),
        ("Samo Filipič\nMilan-Gnatz-Gasse 73/76\nNeubrandenburg", "Milan-Gnatz-Gasse 73/76"),  # named after a person
        ("Burkard-Säuberlich-Platz 819", "Burkard-Säuberlich-Platz 819"),
        ("deliver your parcel to Knudsenmyra 6 on Saturday", "Knudsenmyra 6"),  # a Norwegian landscape word
        ("Senol-Schinke-Ring 6-5\nHamburg", "Senol-Schinke-Ring 6-5"),  # a house number with its door
        ("Hauptstraße 2023-06-01", "Hauptstraße"),  # a date is no house number
        ("Lizaboulevard 825, Zennewijnen", "Lizaboulevard 825"),  # Dutch and Flemish endings
        ("Jurresingel 65", "Jurresingel 65"),
        ("Josélei 0\nAntwerpen", "Josélei 0"),
        ("Berntsenskogen 12", "Berntsenskogen 12"),  # Norwegian landscape words
        ("Thomassenholtet 8", "Thomassenholtet 8"),
        ("Bergespranget 1", "Bergespranget 1"),
        ("Eviebaan 498", "Eviebaan 498"),  # Dutch
        ("I'm staying at Damborského 934 this week", "Damborského 934"),  # a Czech street is an adjective
        ("Panská 247, Praha", "Panská 247"),
        ("Gorjančeva 7a", "Gorjančeva 7a"),
        ("deliver your parcel to Linzbothova\n9 on Saturday", "Linzbothova\n9"),  # over a line, after "to"
        ("Name: Petra Ivanova\n9 items", None),  # a surname over a number: no preposition before it
    ],
)
def test_street_named_by_its_ending(text: str, found: str | None) -> None:
    check(STREET_ENDING, text, found)


@pytest.mark.parametrize(
    "text",
    [
        "Patient: John",
        "Springfield",
        "Stringer Bell",
        "Bring your ID card.",
        "Spring 12",
        "Engineering",
        "Brigade 4",
        "Referring physician: Dr. Broberg",  # "refer" with its consonant doubled
        "Boulevard 12",
        "Golden 5",  # an English word ending like a Norwegian street
        "Hidden 3",
        "Panská street",  # an adjective's street needs its house number
        "Geneva 5",  # an English word ending like a Slovene street
    ],
)
def test_street_ending_is_the_end_of_a_word_that_is_no_english_word(text: str) -> None:
    check(STREET, text, None)
    check(STREET_ENDING, text, None)


# ------------------------------------------------------------------------------------ LocativeCueRecognizer

LOCATIVE = r.LocativeCueRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("the corner of Skogarlond 53", "Skogarlond 53"),
        ("I grew up in Säve", "Säve"),
        ("she lives in New York City", "New York City"),
        ("located at 12 Baker Street", "12 Baker Street"),
        ("born in Oslo", "Oslo"),
        ("My zip code is 90210", "90210"),
        ("My zip code is\n9179. I just turned 26.", "9179"),  # over a line break
        ("the postcode is SW1A 1AA", "SW1A 1AA"),
        ("She moved to United Kingdom\nFrom: x", "United Kingdom"),
        ("a sign-in from 172.26.160.182 near Ilulissat on 04.07.2027", "Ilulissat"),
        ("a sign-in near MARSEILLE on October 31", "MARSEILLE"),
        ("who grew up in SAVE. Kenneth", "SAVE"),  # after a locative phrase, even a dictionary word
        ("she lives at 12 St. Albans Road", "12 St. Albans Road"),  # an abbreviation's full stop
        ("she moved to Canada.\nRegards,", "Canada"),  # a sentence's full stop ends the place
        ("a sign-in near Uruguay. On 12 Jan 2015", "Uruguay"),
        ("a sign-in near TUMBY BAY. The", "TUMBY BAY"),  # "BAY." is no abbreviation
        ("I'm at Vale de Cavalcante,\nsee you", "Vale de Cavalcante"),  # where a chat's writer is
        ("I’m at Akurgerði 6, ring twice", "Akurgerði 6"),
        ("My zip code is\n95397. The group", "95397"),  # the postcode wrapped to the next line
        ("Our office moved to 2986 Papineau Avenue last year.", "2986 Papineau Avenue"),  # not "la" of "last"
        ("Ms. Jonsdottir flew to\nPatreksfjordur on Tuesday", "Patreksfjordur"),  # where someone travelled
        ("we drove to Puqueldón for lunch", "Puqueldón"),
        ("Born in Cite El Malja Hamra, Tunisia, he", "Cite El Malja Hamra"),  # the cue opening a sentence
        ("we arrived at Azevedo do Campo this week", "Azevedo do Campo"),  # a small word inside the name
        ("Please return to Unit 7172 Box 3530, DPO", "Unit 7172 Box 3530"),
        ("a sign-in near Oslo do you know", "Oslo"),  # a small word leading nowhere
        ("still lives on Kraljevec II. 5a/8. On 25 Oct", "Kraljevec II. 5a/8"),  # a flat after the house
        ("Leonardo later studied in Mallet. Please", "Mallet"),
        ("Pedestrians must enter on Dean Brook St.\nthe first", "Dean Brook St."),  # where a visitor goes in
        ("the van is parked on Wendypad 87 tonight", "Wendypad 87"),
        ("He lives on the north side of Jackson Summit. The", "Jackson Summit"),  # a side of a place
        ("The bus station is on Knight Ville. The applicant", "Knight Ville"),  # a street after a preposition
        ("we returned to Jade\nVille by helicopter", "Jade\nVille"),
        ("at the corner of 5th St. and Ford\nLoop", "Ford\nLoop"),
    ],
)
def test_place_after_a_locative_cue(text: str, found: str) -> None:
    check(LOCATIVE, text, found)


@pytest.mark.parametrize(
    "text",
    [
        "lives in new york",
        "Oslo is far",
        "he lived in Oslo",  # a capitalised word after "in" alone: "in March", "in English"
        "zip code 90210",
        "I'm at 80 percent",  # the writer's cue needs a name
        "I'm at work",
        "BORN IN Oslo",  # only the cue's first letter may be a capital
        "he was born in 1985 and",  # a year, no house number
        "we arrived at 5 pm",
        "the flight flew over Oslo",
        "zip code is\n\n",
        "an update on European Union rules",  # suffixes that close institutions' names
        "servers at the Data Center",
        "a ruling of the Supreme Court",
        "she works in Real Estate",
        "on Walker branch",  # a suffix in small letters
    ],
)
def test_locative_near_misses(text: str) -> None:
    check(LOCATIVE, text, None)


CAPITAL_TOWN = r.CapitalTownRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Lodge street in ARENDAL. It was", "ARENDAL"),
        ("a flat in ÄLGARÅS", "ÄLGARÅS"),
        ("The Princess Royal arrived at OSLO this morning", "OSLO"),
        ("Dr. Lundberg flew to HOLUM on Saturday", "HOLUM"),
        ("journalism at the University of\nVITROLLES.", "VITROLLES"),
    ],
)
def test_a_town_in_capitals_after_a_preposition(text: str, found: str) -> None:
    check(CAPITAL_TOWN, text, found)


@pytest.mark.parametrize(
    "text",
    [
        "written in PDF form",  # a town has four letters or more
        "PAID IN FULL",
        "in ARENDAL-style",
        "Please send it to HOME address",  # English words in capitals
        "paid in\nFULL",
        "refer to ALL staff",
        "wire the deposit to IBAN GB21 JQWX 0881 0376 5779 36",
    ],
)
def test_capitals_after_a_preposition_that_name_no_town(text: str) -> None:
    check(CAPITAL_TOWN, text, None)


# ------------------------------------------------------------------------------------ PostalLineRecognizer

POSTAL = r.PostalLineRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("City, postal code\nJirice u Miroslavi, JM 671 78\nNext", "Jirice u Miroslavi, JM 671 78"),  # a particle
        ("Sokolska 114\n829 32 Povraznik", "829 32 Povraznik"),  # a Czech or Slovak postcode before the town
    ],
)
def test_postal_lines_of_czech_and_slovak_towns(text: str, found: str) -> None:
    check(POSTAL, text, found)


def test_postcode_city_needs_the_line_to_end_after_the_town() -> None:
    check(POSTAL, "829 32 Povraznik and more", None)


@pytest.mark.parametrize(
    ("text", "found", "score"),
    [
        ("Freeport, NY 11520", "Freeport, NY 11520", 0.6),
        ("Springfield, IL 62704-1234", "Springfield, IL 62704-1234", 0.6),
        ("Hamilton, ON L8K 1A4", "Hamilton, ON L8K 1A4", 0.6),
        ("LONDON, EC2V 7JS", "LONDON, EC2V 7JS", 0.6),
        ("APO AE 09012", "APO AE 09012", 0.6),
        ("SÄVE, 590 90", "SÄVE, 590 90", 0.5),
        ("SW1A 1AA", "SW1A 1AA", 0.5),
        ("K1A 0B1", "K1A 0B1", 0.5),
        ("75008 Paris\nnext", "75008 Paris", 0.4),
        ("1262 Dol pri Ljubljani\nnext", "1262 Dol pri Ljubljani", 0.4),
        ("6981 BA Doesburg, Gelderland", "6981 BA Doesburg", 0.5),  # a Dutch postcode anywhere in a line
        ("send it to 7469LW Pesse before Friday", "7469LW Pesse", 0.5),
        ("4686 PX Den Hout", "4686 PX Den Hout", 0.5),
        ("San Porfirio de la Montaña, 47411", "San Porfirio de la Montaña, 47411", 0.5),  # two particles
        ("Bruck an der Leitha, AT 2460", "Bruck an der Leitha, AT 2460", 0.6),
        ("Frankfurt am Main, HE 60311", "Frankfurt am Main, HE 60311", 0.6),
        ("Pacov, VY 395 01", "Pacov, VY 395 01", 0.6),
        ("Mingacevir, AZ1486", "Mingacevir, AZ1486", 0.6),
        ("Riga, LV-1050", "Riga, LV-1050", 0.6),
        ("ul. Biernacka 122\n04-927 Warszawa", "04-927 Warszawa", 0.4),  # a Polish postcode before its town
        ("363-774-3143\nUT 28259\nPersonal e-mail", "UT 28259", 0.5),  # a state and ZIP alone on a line
    ],
)
def test_postal_lines(text: str, found: str, score: float) -> None:
    check(POSTAL, text, found)
    assert scored(POSTAL, text) == [(found, score)]


@pytest.mark.parametrize(
    "text",
    [
        "freeport, ny 11520",
        "Oslo 1234",
        "In 2023 Revenue grew",
        "75008 Paris is big",
        "© 2022 Campbell Group",
        "Doors open at 1230 AM sharp",  # a time, not a Dutch postcode
        "the 2023 US Open was",  # a year and an abbreviation
        "ref 0123 AB Smith today",  # no Dutch postcode opens with 0
        "see UT 28259 here",  # a state and a ZIP within a line need their town
        "XX 12345",
    ],
)
def test_postal_near_misses(text: str) -> None:
    check(POSTAL, text, None)


# ------------------------------------------------------------------------------------ CityPostcodeRecognizer

CITY_POSTCODE = r.CityPostcodeRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Feira de Santana 44072-410\nnext", "Feira de Santana 44072-410"),
        ("Vyskytna nad Jihlavou 588 41", "Vyskytna nad Jihlavou 588 41"),
        ("Fagotstraat 55\nSpijkenisse 3208 DE\nHello Ilya,", "Spijkenisse 3208 DE"),
        ("I now live in Sterre der Zeestraat\n197, Margraten 6269 AK.", "Margraten 6269 AK"),
        ("Coimbra 3744-519", "Coimbra 3744-519"),
        ("ZIP Hrotovice 675 55", "Hrotovice 675 55"),  # not the label before it
        ("Vesturgata 54\nHellissandur, 360", "Hellissandur, 360"),  # Iceland's three digits after a comma
        ("Cesta 12\nLjutomer, 3565\nHello", "Ljutomer, 3565"),
        ("Looking to support Sons in Dunakeszi 2120 in its mission", "Dunakeszi 2120"),  # in running text
        ("Aasa 43, Koidu 90410 for this card", "Aasa 43, Koidu 90410"),  # a street and number before them
        ("at Hrisateigur 32, 641 Húsavík. Blood", "Hrisateigur 32, 641 Húsavík"),  # the postcode first
        ("for Holmatun 45, Bessastadahreppur 225 runs", "Holmatun 45, Bessastadahreppur 225"),  # three digits after
        ("with Diana at Jagodnjak 2c, Vrgorac\n75695. The", "Jagodnjak 2c, Vrgorac\n75695"),  # cut by the line
        ("I lived in Gosposka\nulica 61, Nazarje 3331. I", "Gosposka\nulica 61, Nazarje 3331"),  # a street word after
        ("Seanan Ville P61C2KE", "Seanan Ville P61C2KE"),  # an Irish Eircode after its town
        ("Dublin, D02 X285\nIreland", "Dublin, D02 X285"),
    ],
)
def test_city_postcodes(text: str, found: str) -> None:
    check(CITY_POSTCODE, text, found)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Praca Juliana Brito, S/N\nMiranda do Douro, Coimbra 9469-007\nTel", "Miranda do Douro, Coimbra 9469-007"),
        ("Bijenicka 6a/7, Ivanec, Osjecko-baranjska 11179\nOn Apr 10", "Ivanec, Osjecko-baranjska 11179"),
        ("sent to 23, Costela, Brazil 16477271. From", "Costela, Brazil 16477271"),
        ("Lidingö, Jönköpings län 63590.\nNext", "Lidingö, Jönköpings län 63590"),  # a Swedish county's word
    ],
)
def test_city_region_postcodes(text: str, found: str) -> None:
    assert one(text, found)[0] in hits(CITY_POSTCODE, text)


@pytest.mark.parametrize(
    "text",
    [
        "Invoice 2024-001",
        "Room 1234 AB",
        "Order Number 123 45",
        "Tel 0957 056 1295",
        "Oslo 1234",
        "Oslo 3208 DEF",
        "Dear Sir, 360",  # dictionary words before a comma and three digits
        "Bergen, 2024",  # a year, not a postcode
        "Bergen, 3565 people came",  # a postcode after a comma closes its line
        "Total, Amount 12345",  # a town and its region hold a word no dictionary knows
        "Vik, Rogaland 2024",
        "in Windows 2000",  # a year after "in"
        "in Room 1234",
        "in Dunakeszi 2120.5",
        "Invoice W25PYD8",  # an Eircode's town is no English word
        "Chapter 4, Section 1234",
        "Chapter 12, Section 101",
        "Room 12, 2024 Report",
        "On October 28, 2017 Ari said",  # a date, its year no postcode
    ],
)
def test_city_postcode_near_misses(text: str) -> None:
    check(CITY_POSTCODE, text, None)


# ------------------------------------------------------------------------------------ PlaceOfRecognizer

PLACE_OF = r.PlaceOfRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("while studying at the University of Katowice. Several", "Katowice"),
        ("the City of Zaragoza approved", "Zaragoza"),
    ],
)
def test_a_town_named_by_what_it_is_the_seat_of(text: str, found: str) -> None:
    check(PLACE_OF, text, found)


@pytest.mark.parametrize(
    "text", ["the University of Technology", "City of Light", "the Bay of Pigs", "a university of Katowice", "Town of"]
)
def test_place_of_near_misses(text: str) -> None:
    check(PLACE_OF, text, None)


# ------------------------------------------------------------------------------------ PrefixedTownRecognizer

PREFIXED_TOWN = r.PrefixedTownRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("songwriters from around the world to Lower Prenticeport to share", "Lower Prenticeport"),
        ("Medical Group West Stephenchester, Essex E3T 2QQ", "West Stephenchester"),
        ("originally from New\nPhyllisberg, and", "New\nPhyllisberg"),
        ("2631 St. Philipchester", "St. Philipchester"),
        ("we spent a week in Boulogne-sur-Mer last May", "Boulogne-sur-Mer"),  # a French compound name
        ("Cousin-près-Meyer", "Cousin-près-Meyer"),
        ("born in Aix-en-Provence.", "Aix-en-Provence"),
    ],
)
def test_prefixed_towns(text: str, found: str) -> None:
    check(PREFIXED_TOWN, text, found)


@pytest.mark.parametrize(
    "text",
    ["New Township", "North Robert", "West Side", "the new Stockton", "Upper Stocktonx", "well-to-do", "Sur-en-sur"],
)
def test_prefixed_town_near_misses(text: str) -> None:
    check(PREFIXED_TOWN, text, None)


# ------------------------------------------------------------------------------------ DocumentDateRecognizer

DATE = r.DocumentDateRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Issued 15 Sep 2024.", "15 Sep 2024"),
        ("June 28, 2023", "June 28, 2023"),
        ("Sept 3, 2021", "Sept 3, 2021"),
        ("3rd March 2021", "3rd March 2021"),
        ("3 May, 2024", "3 May, 2024"),
        ("2024-05-03", "2024-05-03"),
        ("05/04/2024", "05/04/2024"),
        ("05.04.24", "05.04.24"),
        ("03/14/1979", "03/14/1979"),
        ("15 Sep 2024 10:15 PM", "15 Sep 2024 10:15 PM"),
        ("2024-05-03 10:15:59", "2024-05-03 10:15:59"),
        ("your card was charged on Apr\n25, 2016\nVital signs", "Apr\n25, 2016"),  # a line break for a space
        ("sold on 15\nSep 2024.", "15\nSep 2024"),
        ("Cinzia 16/08/202\ncall you later", "16/08/202"),  # the year's last digit unread at the line's end
        ("Cinzia 16/08/2(\n", "16/08/2("),
        ("seen on Q7/16/2021 with", "Q7/16/2021"),  # a month's 0 read as a letter
        ("born l2/03/1990.", "l2/03/1990"),
        ("Date of birth: 7/23) 1978", "7/23) 1978"),  # a slash read as a bracket
        ("Discharged\nQ6 Jan 2025 18 Jan", "Q6 Jan 2025"),  # a day's 0 read as a letter beside a month's name
        ("on Apr @7, 2025.", "Apr @7, 2025"),
        ("Margrethe\n1970- 02-14\nFlat", "1970- 02-14"),  # a space read after a hyphen
    ],
)
def test_document_dates(text: str, found: str) -> None:
    check(DATE, text, found)


@pytest.mark.parametrize(
    "text",
    [
        "2024-13-45",
        "1/2/3",
        "Version 1.2.2024x",
        "Monday 5",
        "1700-01-01",
        "12345",
        "Apr\n\n25, 2016",
        "16/08/202x1",
        "1/2/3",
        "QQ/II/2021",  # no digit before the year
        "QQ Jan 2025",
        "Apr @@, 2025",
        "see 7/23) 12345",
    ],
)
def test_document_date_near_misses(text: str) -> None:
    check(DATE, text, None)


def test_document_date_iso_with_t_separator() -> None:
    check(DATE, "2024-05-03T10:15", "2024-05-03T10:15")


@pytest.mark.parametrize("text", ["03/24/1979", "12/31/2024"])
def test_document_date_us_order(text: str) -> None:
    check(DATE, text, text)


# ------------------------------------------------------------------------------------ LoosePhoneRecognizer

PHONE = r.LoosePhoneRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Call +1 212 555 0187 now", "+1 212 555 0187"),
        ("(212) 555-0187", "(212) 555-0187"),
        ("212.555.0187", "212.555.0187"),
        ("0047 22 33 44 55", "0047 22 33 44 55"),
        ("2125550187", "2125550187"),  # ten digits need no grouping
        ("555 0187", "555 0187"),  # seven grouped digits
        ("Tel: 020 7946 0958 ext. 12", "020 7946 0958 ext. 12"),
        ("or call +447700\n704910. The board", "+447700\n704910"),  # a line break cut it
        ("Questions: call 035\n198 242.", "035\n198 242"),  # a national number after "call"
        ("Phone (01) 23\n45 67 89", "(01) 23\n45 67 89"),
        ("reach Jess directly on 0745\n104 041. The club", "0745\n104 041"),  # a trunk 0 and two groups
        ("at home on +41 (Q)47 214 30 32 if", "+41 (Q)47 214 30 32"),  # "(0)" as OCR may read it
    ],
)
def test_loose_phone(text: str, found: str) -> None:
    check(PHONE, text, found)


@pytest.mark.parametrize(
    "text",
    [
        "1234567",  # seven ungrouped digits
        "123456",
        "12/05/1990",  # date-shaped
        "123-45-6789",
        "1,234.56 99.00",  # amounts
        "12345678901234567",  # too long
        "A1234567890",
        "+44\n12",
        "+447700\n\n704910",
        "recall 035\n198 242",  # no cue, only a word ending in one
        "call 2\n2019",  # too few digits
        "Total 0123\n45 67",  # a trunk 0, but groups too short
        "since 1745\n104 041",  # no trunk 0
    ],
)
def test_loose_phone_near_misses(text: str) -> None:
    check(PHONE, text, None)


# ------------------------------------------------------------------------------------ OCR-tolerant identifiers

CRYPTO = r.OcrTolerantCryptoRecognizer("en")
IBAN = r.OcrTolerantIbanRecognizer("en")
EMAIL = r.OcrTolerantEmailRecognizer("en")


@pytest.mark.parametrize(
    "text",
    [
        "16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ",
        "I6Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ",  # "I" for "1": the checksum breaks, the shape stays
        "LpoAADYaqcAwhMGMynuU9yfxfQ57fzi9Ld",  # "L" for "1", and a letter added
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "belqar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",  # "bc1" read as "bel"
        "bclqar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "bciqwyesekcoqtyt4fojmt4rpr2lgepsccmwg4tozm6eqng58742fsnsdwvhsh",  # "bc1" read as "bci", 62 characters
    ],
)
def test_crypto_like_addresses(text: str) -> None:
    check(CRYPTO, f"Send to {text} today", text)


@pytest.mark.parametrize(
    "text",
    [
        "1234567890123456789012345678",
        "International",
        "16Yeky6GMjeNkAiNcBY7Zh",
        "x16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ",
        "belowthesurfaceofthewaterandtheice",  # a bech32-like start and length, but no digit
    ],
)
def test_crypto_near_misses(text: str) -> None:
    check(CRYPTO, text, None)


@pytest.mark.parametrize(
    "text",
    [
        "GB82 WEST 1234 5698 7654 32",
        "GB82WEST12345698765432",
        "DE89 3704 OO44 0532 0130 00",
        "DKO9 9891 5761 5284 18",  # "O" for a check digit's "0"
    ],
)
def test_iban_like_codes(text: str) -> None:
    check(IBAN, f"IBAN {text}.", text)


@pytest.mark.parametrize("text", ["gb82 west 1234 5698", "GB82 WEST", "GBXX WEST 1234 5698"])
def test_iban_near_misses(text: str) -> None:
    check(IBAN, text, None)


def test_iban_with_its_country_misread_after_the_word_iban() -> None:
    check(IBAN, "pay to IBAN F16504268499646132 quoting", "F16504268499646132")  # "FI" read as "F1"
    check(IBAN, "pay to F16504268499646132 quoting", None)


@pytest.mark.parametrize("text", ["john @example.com", "john@ example .com", "john.doe@example.com", "a+b@mail.co.uk"])
def test_email_with_ocr_spaces(text: str) -> None:
    check(EMAIL, f"Mail: {text}", text)


@pytest.mark.parametrize(
    ("text", "found"),
    [("Ann Lee <AnnLee@cuvox de> wrote", "AnnLee@cuvox de"), ("From: Ann «ann lee@gmx net»", "ann lee@gmx net")],
)
def test_email_in_brackets_with_spaces_for_its_dots(text: str, found: str) -> None:
    check(EMAIL, text, found)


@pytest.mark.parametrize("text", ["a <b> c", "x < y at z > w", "<ann at home>"])
def test_no_email_in_brackets_without_an_at(text: str) -> None:
    check(EMAIL, text, None)


@pytest.mark.parametrize("text", ["ann.lee@skinnerio", "AnnLee@gmxnet"])
def test_email_whose_last_dot_ocr_lost(text: str) -> None:
    check(EMAIL, f"Mail: {text} | docs", text)


@pytest.mark.parametrize(
    "text", ["john at example.com", "@example.com", "a@b", "john@", "ping @jordan", "x@abc", "ab@cd"]
)
def test_email_near_misses(text: str) -> None:
    check(EMAIL, text, None)


DOMAIN_OCR = r.OcrTolerantDomainRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Visit\n_my.flores. com Dutch", "my.flores. com"),
        ("portal.hoefig. biz\nFull name", "portal.hoefig. biz"),
        ("or visit mail.weinhage-laufen. fr.\nCheers,", "mail.weinhage-laufen. fr"),
        ("19:54\ncampbellmartinaspernatur.or\ng has it cheaper", "campbellmartinaspernatur.or\ng"),
        ("https://portal.logistica-poblacin.\nde/register", "portal.logistica-poblacin.\nde"),
        ("mario. frueh@laird.co.uk | portal. charrier. dev", "portal. charrier. dev"),
        ("see www. grafgelb. co. uk today", "www. grafgelb. co. uk"),
    ],
)
def test_host_broken_before_its_suffix(text: str, found: str) -> None:
    check(DOMAIN_OCR, text, found)


@pytest.mark.parametrize(
    "text",
    [
        "forty bikes. joan",  # one label: a sentence's end
        "lost it. have you",
        "see report.final. pdf",  # no public suffix
        "shop.example.com",  # whole: Presidio's URL recognizer has it
        "Shop.Example. Com",  # capitals: a sentence, not a host
        "e.g.\nit works",
        "version 2.10. de",
        "mail.example. com-like",
        "it is in the report.\nthe end",  # one label before the line's end: a sentence
        "see fig.1.\nzz top",  # no public suffix
        "log in to the portal. then. go",  # no public suffix
        "visit the shop. Then it",  # capitals: a sentence
    ],
)
def test_host_broken_before_its_suffix_near_misses(text: str) -> None:
    check(DOMAIN_OCR, text, None)


# ------------------------------------------------------------------------------------ LongNumberRecognizer

LONG = r.LongNumberRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("12345678", "12345678"),
        ("Card 4111 1111 1111 1111.", "4111 1111 1111 1111"),
        ("1234-5678-9012", "1234-5678-9012"),
        ("Acc 12 34 56 78", "12 34 56 78"),
        ("(12345678)", "12345678"),
    ],
)
def test_long_numbers(text: str, found: str) -> None:
    check(LONG, text, found)


@pytest.mark.parametrize("text", ["1234567", "v1.12345678", "1,234,567,890", "12345678.90", "ABC12345678", "1234 567"])
def test_long_number_near_misses(text: str) -> None:
    check(LONG, text, None)


def test_long_number_is_taken_whole_however_long() -> None:
    check(LONG, "Ref 123456789012345678901234", "123456789012345678901234")


# ------------------------------------------------------------------------------------ CountryRecognizer

COUNTRY = r.CountryRecognizer("en")


def test_country_names_come_from_phonenumbers() -> None:
    names = r.country_names()
    assert names == sorted(set(names))
    assert {"Norway", "United Kingdom", "Netherlands", "Chad", "Turkey"} <= set(names)
    assert all(len(name) > 3 for name in names)  # "Iran" is 4, "Cuba" 4; nothing as short as "UK"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I moved to Norway.", ["Norway"]),
        ("Turkey, Chad", ["Chad", "Turkey"]),
        ("the Netherlands", ["Netherlands"]),
        ("this morning from Czech\nRepublic. I", ["Czech\nRepublic"]),  # cut by a line
    ],
)
def test_country_names_as_capitalised(text: str, found: list[str]) -> None:
    assert sorted(t for t, _ in hits(COUNTRY, text)) == found


@pytest.mark.parametrize(
    "text", ["turkey and chad", "NORWAY", "Norwayland", "United Kingdoms", "United\n\nKingdom", "Czech\nRepublics"]
)
def test_country_near_misses(text: str) -> None:
    check(COUNTRY, text, None)


# ------------------------------------------------------------------------------------ is_english_word


@pytest.mark.parametrize(
    "word",
    [
        "house",
        "Houses",
        "Details",
        "Routing",
        "Quickly",
        "Bed",
        "reds",
        "Taxes",
        "Fixed",
        "Allergies",
        "Ethereum",
        "Onboarding",
    ],
)
def test_english_words_and_their_endings(word: str) -> None:
    assert r.is_english_word(word)


@pytest.mark.parametrize(
    "word",
    ["Cecilie", "Kristoffersen", "Qty", "john", "ed", "xyz", "", "Anders", "Cazaly"],  # no "caza" + "-ly"
)
def test_names_and_nonsense_are_no_english_words(word: str) -> None:
    assert not r.is_english_word(word)


def test_english_words_are_lower_case_only() -> None:
    words = r.english_words()
    assert "house" in words and "john" not in words and all(w.islower() for w in words)


# ------------------------------------------------------------------------------------ UnfamiliarNameRecognizer


def unfamiliar(analyzer: Analyzer, text: str, entities: list[str] | None = None) -> list[tuple[str, int, float]]:
    recognizer = r.UnfamiliarNameRecognizer("en")
    artifacts = analyzer.engine.nlp_engine.process_text(text, "en")
    results = recognizer.analyze(text, entities or ["PERSON"], artifacts)
    return [(text[x.start : x.end], x.start, x.score) for x in results]


def test_unfamiliar_proper_noun_is_a_name(analyzer: Analyzer) -> None:
    assert unfamiliar(analyzer, "My kid Cecilie plays.") == [("Cecilie", 7, r.UnfamiliarNameRecognizer.SCORE)]


def test_unfamiliar_names_are_reported_word_by_word(analyzer: Analyzer) -> None:
    found = unfamiliar(analyzer, "said Hugo to Nesiba Toivonen.")  # the model: EVENT, then ORG
    assert found == [("Hugo", 5, 0.35), ("Nesiba", 13, 0.35), ("Toivonen", 20, 0.35)]


def test_names_the_model_found_itself_are_left_to_it(analyzer: Analyzer) -> None:
    assert unfamiliar(analyzer, "My kid Cecilie Toivonen plays.") == []  # the model's own PERSON


@pytest.mark.parametrize(
    "text",
    [
        "Qty: 4",  # a form label
        "Microsoft Teams is down.",  # inside an organisation's name
        "I met Bob.",  # an English word (and the model's own PERSON)
        "Cecilie",  # no sentence: the model tags it NOUN
        "my kid cecilie plays.",  # not title case
    ],
)
def test_unfamiliar_name_near_misses(analyzer: Analyzer, text: str) -> None:
    assert unfamiliar(analyzer, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("I'm so jealous! said Hugo to Nesiba.", ["Hugo", "Nesiba"]),  # tagged EVENT and ORG
        ("Have you been to a Zair Irizarry concert before?", ["Zair", "Irizarry"]),  # tagged PRODUCT
        (
            "The catering contract.\nLooking Ahead\nJeanette Lochnain, born July 14, is the named policyholder.",
            ["Jeanette", "Lochnain"],  # a heading run into the name: one WORK_OF_ART
        ),
        ("Please send the documents to Patrizia R. Colombo at the office.", ["Patrizia", "Colombo"]),
        ("I want to add Malik Brandt as a beneficiary to my account.", ["Malik", "Brandt"]),  # "malik" is a word
    ],
)
def test_unknown_names_the_model_calls_a_thing_are_names(analyzer: Analyzer, text: str, names: list[str]) -> None:
    assert [name for name, _, _ in unfamiliar(analyzer, text)] == names


@pytest.mark.parametrize(
    "text",
    [
        "Celebrating its 10th year, Jandja Liquidity Services Inc. is a charity.",  # English words in the firm
        "He works at Genco Shipping & Trading Limited in Oslo.",
        "Zalando Ltd hired her last year.",  # a company form
        "Mail it to Town Hall Oslo.",  # three names: a place, though it ends in an unknown word
        "He works for Microsoft Teams now.",
    ],
)
def test_a_firm_holding_english_words_or_a_company_form_is_no_name(analyzer: Analyzer, text: str) -> None:
    assert unfamiliar(analyzer, text) == []


def test_unfamiliar_names_only_when_people_are_asked_for(analyzer: Analyzer) -> None:
    assert unfamiliar(analyzer, "My kid Cecilie plays.", ["LOCATION"]) == []
    assert r.UnfamiliarNameRecognizer("en").analyze("My kid Cecilie plays.", ["PERSON"], None) == []


# ------------------------------------------------------------------------------------ registration


def test_our_recognizers_one_of_each_for_the_language() -> None:
    ours = r.our_recognizers("en")
    names = [x.name for x in ours]
    assert len(names) == len(set(names)) == 30
    assert {x.supported_language for x in ours} == {"en"}
    assert "UnfamiliarNameRecognizer" in names and "CountryRecognizer" in names


@pytest.mark.parametrize(
    ("text", "entity", "found"),
    [
        ("He was born on 3 May 1961.", "DATE_OF_BIRTH", "3 May 1961"),
        ("A 41 year old man.", "AGE", "41"),
        ("Visit example.com today.", "DOMAIN_NAME", "example.com"),
        ("Ref 88776655 attached.", "ID_NUMBER", "88776655"),
        ("Mail john @example.com now.", "EMAIL_ADDRESS", "john @example.com"),
        ("Order at shop.flores. com now.", "URL", "shop.flores. com"),
    ],
)
def test_our_recognizers_are_in_the_analyzer(analyzer: Analyzer, text: str, entity: str, found: str) -> None:
    spans = detect_entities(analyzer, text, entities=(entity,), score_threshold=0.3)
    assert [(s.entity_type, text[s.start : s.end]) for s in spans] == [(entity, found)]


def test_domain_is_scored_up_by_context(analyzer: Analyzer) -> None:
    def score(text: str) -> float:
        [span] = detect_entities(analyzer, text, entities=("DOMAIN_NAME",), score_threshold=0.0)
        return span.score

    assert score("See example.com") < score("Visit our website example.com")


# ------------------------------------------------------------------------------------ addresses seen abroad


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("35297 69 Rue de Kairouan", "69 Rue de Kairouan"),
        ("Rambla de Quique Frutos 74 Piso 2", "Rambla de Quique Frutos 74 Piso 2"),
        ("Gosposka ulica 53", "Gosposka ulica 53"),
        ("Ligethidai utca 77., Zala", "Ligethidai utca 77."),
        ("Rúa Olmos 32, Poveda", "Rúa Olmos 32"),
    ],
)
def test_romance_and_central_european_streets(text: str, found: str) -> None:
    check(STREET, text, found)


def test_romanian_block_and_flat_are_part_of_the_street() -> None:
    text = "61482 Intrarea Mugurel Diaconescu Nr. 555 Bl. 14 Sc. 35 Ap. 384"
    check(STREET, text, "Intrarea Mugurel Diaconescu Nr. 555 Bl. 14 Sc. 35 Ap. 384")


def test_a_block_and_flat_may_open_the_next_line() -> None:
    text = "at Drumul Dinu Nr. 899\nBI. 42 Sc. 60 Ap. 872, Mizil"  # "Bl." as OCR reads it
    check(NUMBERED_STREET, text, "Drumul Dinu Nr. 899\nBI. 42 Sc. 60 Ap. 872")


def test_only_an_abbreviated_unit_opens_the_next_line() -> None:
    check(NUMBERED_STREET, "at Drumul Dinu Nr. 899\nLocal shops are near", "Drumul Dinu Nr. 899")


@pytest.mark.parametrize("text", ["I was in via de la paix", "the ulica was long", "Calle"])
def test_street_words_alone_are_no_street(text: str) -> None:
    check(STREET, text, None)


def test_house_number_with_a_slash_after_a_street_ending() -> None:
    check(STREET_ENDING, "Reischlstraße 0/5", "Reischlstraße 0/5")


def test_email_with_a_space_after_its_last_dot() -> None:
    check(EMAIL, "SusanneFilemonsen@dayrep. com\n097", "SusanneFilemonsen@dayrep. com")
    check(EMAIL, "mail john@x.org. Then we", "john@x.org")  # a sentence after it is left alone


IPV6 = r.OcrTolerantIpv6Recognizer("en")


def test_ipv6_with_spaces_around_its_colons() -> None:
    check(IPV6, "IP: d48b:3914:bb75:89a7 : 53be: 5df5:158e:5530\n", "d48b:3914:bb75:89a7 : 53be: 5df5:158e:5530")


@pytest.mark.parametrize("text", ["at 10:30: 12:45 and 14:00", "Ratio 1:2:3:4:5:6", "ab:cd"])
def test_ipv6_near_misses(text: str) -> None:
    check(IPV6, text, None)


# ------------------------------------------------------------------------------------ issue 11 additions

WEEKDAY = r.WeekdayRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("CAyaB. Tue Zoltan J. 09:55", "Tue"),
        ("moved to Thursday at noon", "Thursday"),
        ("give me five minutes { Tue, 30 Mar }", "Tue, 30 Mar"),
        ("Lucas 20:19 { Thu, 01 Apr |", "Thu, 01 Apr"),
    ],
)
def test_weekdays(text: str, found: str) -> None:
    check(WEEKDAY, text, found)


@pytest.mark.parametrize("text", ["she sat down", "we wed in June", "Monsoon", "Saturn", "Fridge"])
def test_weekday_near_misses(text: str) -> None:
    check(WEEKDAY, text, None)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("use my card 3452 exp 01/28 ok", "01/28"),
        ("card expires 12/27.", "12/27"),
        ("376504774846882 exp\n07/29", "07/29"),  # the chat wrapped the line
        ("Valid thru 12/2029", "12/2029"),
        ("Expiry: 03/30", "03/30"),
    ],
)
def test_card_expiry_dates(text: str, found: str) -> None:
    check(DATE, text, found)


@pytest.mark.parametrize("text", ["scored 01/28 points", "exp 13/28", "exp 01/2"])
def test_card_expiry_needs_its_word_and_a_month(text: str) -> None:
    check(DATE, text, None)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("wallet 0x9c89CEC1AFD59b1E76f5589Bf81920400E22C6f2 ok", "0x9c89CEC1AFD59b1E76f5589Bf81920400E22C6f2"),
        ("at OxAEE19EBE8b41AB2448157e4E6f67F05d5fEe0b2a", "OxAEE19EBE8b41AB2448157e4E6f67F05d5fEe0b2a"),
        ("wallet\n0x2FC8499086cbdF17BB9Fcc7c6bb266E88\n20F4b21", "0x2FC8499086cbdF17BB9Fcc7c6bb266E88"),
    ],
)
def test_ethereum_wallets(text: str, found: str) -> None:
    check(CRYPTO, text, found)


@pytest.mark.parametrize("text", ["0x1F", "0xdeadbeef", "0xabcdefabcdefab1"])  # a cut wallet has 16 or more
def test_short_hex_numbers_are_no_wallet(text: str) -> None:
    check(CRYPTO, text, None)


def test_ipv6_with_a_letter_read_for_a_digit() -> None:
    check(IPV6, "from 2a02:e650:0:0:0:le6c:aaf4:f2c6 near", "2a02:e650:0:0:0:le6c:aaf4:f2c6")


NUMBERED_STREET = r.NumberedStreetRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("located at\nGang Peta No. 1, Malang", "Gang Peta No. 1"),
        ("at Diagonal\nCorrientes N° 191.", "Corrientes N° 191"),
        ("lives at Av. San Martin N° 665, Mendoza", "Av. San Martin N° 665"),  # a dictionary word after a street word
        ("Av. Ciudad Autónoma de Buenos Aires N° 5914", "Av. Ciudad Autónoma de Buenos Aires N° 5914"),  # particles
    ],
)
def test_streets_numbered_with_no(text: str, found: str) -> None:
    check(NUMBERED_STREET, text, found)


@pytest.mark.parametrize(
    "text", ["Invoice No. 12345", "Policy No. 4", "Account Holder No. 55", "see No. 5", "Acme Martin No. 5"]
)
def test_document_numbers_are_no_street(text: str) -> None:
    check(NUMBERED_STREET, text, None)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("is at 310 Miller Cove, Apt. 562", "310 Miller Cove"),
        ("7206 Reyes Locks", "7206 Reyes Locks"),
        ("49081 Cardenas Tunnel Apt. 011", "49081 Cardenas Tunnel"),
        ("43847 Rachel Inlet, Y8R", "43847 Rachel Inlet"),
    ],
)
def test_street_suffixes_address_generators_print(text: str, found: str) -> None:
    assert (found, text.index(found)) in hits(STREET, text)


def test_studio_is_a_unit() -> None:
    check(STREET, "Studio 71e", "Studio 71e")


def test_place_after_a_locative_cue_across_a_line_break() -> None:
    check(LOCATIVE, "stop at the corner of\nHawkins Course", "Hawkins Course")


@pytest.mark.parametrize(("text", "found"), [("call 001-362-594-3271x23556 now", "001-362-594-3271x23556")])
def test_loose_phone_counts_digits_before_the_extension(text: str, found: str) -> None:
    check(PHONE, text, found)


def test_loose_phone_leaves_ipv4_addresses() -> None:
    check(PHONE, "whitelist 10.85.174.37?", None)


@pytest.mark.parametrize(
    ("text", "found"),
    [("Mwinyi\npl. Diugosza 20/82 Due date", "pl. Diugosza 20/82"), ("at Al. Jana Pawla 128", "Al. Jana Pawla 128")],
)
def test_polish_street_abbreviations(text: str, found: str) -> None:
    check(STREET, text, found)


def test_et_al_is_no_street() -> None:
    check(STREET, "Smith et al. Nature 2019", None)


# ------------------------------------------------------------------------------------ VietnameseAddressRecognizer

VIETNAMESE = r.VietnameseAddressRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("07/27/2025, Số 532 Cộng Hòa", "Số 532 Cộng Hòa"),
        ("07/27/2025, Só 532 Công Hòa", "Só 532 Công Hòa"),  # OCR's accents
        ("Số 12/3 Ngõ 45 Đường Nguyễn Trãi, Hà Nội", "Số 12/3 Ngõ 45 Đường Nguyễn Trãi"),
        ("born in Thành phố Hải Phòng.", "Thành phố Hải Phòng"),
        ("8/20/2025, Thanh phé Hai Phong\nWorkshop", "Thanh phé Hai Phong"),  # OCR's accents
        ("72 Lê Lợi, phường Tân Định, Huế", "phường Tân Định"),
        ("ship to 5/65 Nguyễn Văn Cừ, Quận 5", "5/65 Nguyễn Văn Cừ"),  # a name with a letter only Vietnamese writes
    ],
)
def test_vietnamese_addresses(text: str, found: str) -> None:
    assert (found, text.index(found)) in hits(VIETNAMESE, text)


@pytest.mark.parametrize("text", ["So 5 People came", "the TP report", "Số", "phường 5", "5/6 Main Street", "3 Bergen"])
def test_vietnamese_near_misses(text: str) -> None:
    check(VIETNAMESE, text, None)


# ------------------------------------------------------------------------------------ CountryRecognizer


def test_a_country_by_its_long_form() -> None:
    country = r.CountryRecognizer("en")
    check(country, "Born in Naarden, Kingdom of the Netherlands, Rafael", "Kingdom of the Netherlands")
    check(country, "the Republic of Chile", "Republic of Chile")


# ------------------------------------------------------------------------------------ GreekAddressRecognizer

GREEK = r.GreekAddressRecognizer("en")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Employee\nΣισανίου 5\nID", "Σισανίου 5"),
        ("Λεωφ. Ποσειδώνος 226, Cyprus", "Λεωφ. Ποσειδώνος 226"),  # an abbreviated street word
        ("Suite 324 917 Παραλίας 49-74", "Παραλίας 49-74"),
        ("Τρίκαλα, Αττική ΤΚ 66196", "Τρίκαλα, Αττική ΤΚ 66196"),  # a town, its region and postcode
        ("Σπάρτη Κεφαλληνία 936 62", "Σπάρτη Κεφαλληνία 936 62"),
        ("Sold to\nΛΑΡΝΑΚΑ\nCyprus", "ΛΑΡΝΑΚΑ"),  # a town in capitals
    ],
)
def test_greek_addresses(text: str, found: str) -> None:
    check(GREEK, text, found)


@pytest.mark.parametrize("text", ["the α 5 test", "β-blockers 25 mg", "ΑΒΓ", "Ωmega 5"])
def test_greek_near_misses(text: str) -> None:
    check(GREEK, text, None)


# ------------------------------------------------------------------------------------ is_common_word


@pytest.mark.parametrize("word", ["Board", "Details", "Meeting", "Deliveries", "Charity"])
def test_common_words(word: str) -> None:
    assert r.is_common_word(word)


@pytest.mark.parametrize(
    "word",
    [
        "Grace",  # the dictionary lists it as a proper noun too
        "Ancilla",  # a dictionary word hardly anyone writes
        "Salma",
        "Pereira",
        "Cecilie",  # no dictionary word
    ],
)
def test_names_are_no_common_words(word: str) -> None:
    assert not r.is_common_word(word)
