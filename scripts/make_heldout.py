"""Generate a held-out set of synthetic document images with exact PII ground truth.

The set has the same layout as the dev set in /work/shared/bench/dev (see its README.md): for
each image ``heldout_NNN.<ext>`` a ``heldout_NNN.json`` with the image's format, displayed size,
layout, degradations, style, metadata flags and every rendered word piece with its ink box and
entity. ``scripts/bench_engine.py`` scores it unchanged (it reads ``<data>/dev/*.json``) and groups
its recall by the ``layout`` field.

Layouts (each block of nine images has each once; ``--layouts`` restricts the set to some):

* letter, form, invoice, id_card, email: the dev set's five, with more wordings (form labels, letter
  subjects and closings, e-mail signatures, quoted replies and sign-in alerts, firm letterheads);
* chat: a messaging app's screenshot, phone or desktop (with the conversation list), light or dark
  theme, bubbles left and right or a team-chat look, sender names, timestamps, date separators and
  avatars with initials; messages carry phone numbers, e-mails, URLs, IPv4/IPv6 addresses, bitcoin
  and Ethereum wallets, addresses, dates, card numbers, first names alone and nicknames;
* multi_column: a newsletter or report page, two or three columns of running prose (justified or
  not) with headings, a pull quote, a contacts or events box, a photo credit, header and footer;
  mostly prose without personal data, so over-redaction shows;
* medical_record: discharge summary, lab report, visit note or chart (demographics, history, vital
  signs, results and medication tables, physicians with DEA numbers, insurance, next of kin);
* hr_record: employee file, onboarding form or payslip (SSN, birth date, address, bank account and
  routing number or IBAN, salary, manager, emergency contact, earnings and deductions tables).

Content: running text from presidio-evaluator's sentence templates (60%) and our own
(scripts/heldout_text.py: more phrasings, chat messages, prose without personal data, record
vocabulary), filled in with the fake-person records shipped with presidio-evaluator and Faker values
from ~60 locales, Latin script but for Greek addresses (names, addresses, phones; compound surnames;
names written 'Last, First', 'F. Last', with titles, nicknames).

Entity types are the dev set's. Scored: PERSON, EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD, IBAN_CODE,
US_SSN, US_PASSPORT, US_DRIVER_LICENSE, UK_NHS, IP_ADDRESS, URL, LOCATION, DATE_TIME, CRYPTO,
US_BANK_NUMBER, MEDICAL_LICENSE, DATE_OF_BIRTH, AGE. Neutral (``scored: false``): ORGANIZATION, TITLE,
NRP, MEDICAL_RECORD_NUMBER, ROUTING_NUMBER, TIME_OF_DAY (clock times, chat timestamps), ID_NUMBER
(employee, member and student numbers) and INITIALS (avatar letters). A URL entity is the whole URL,
scheme, path and query included; a bare domain written as a website (``example.com``,
``www.example.org``) is a URL entity too. Day names stand for dates (DATE_TIME); 'Today' and
'Yesterday' are not entities.

Fonts: each image draws its text in one face picked from what is installed (scripts/install_bench.sh
installs Debian's Liberation, FreeFont, URW base35, Carlito/Caladea, Croscore, Noto, Open Sans, Roboto,
Lato, Cantarell, Inter, Hack, Go, Libertine, EB Garamond and JetBrains Mono packages): sans, serif,
mono, condensed, and UI faces for chats and web mail. DejaVu, always there, draws any character the
face lacks (as a browser's font fallback would) and is the whole choice where nothing else is installed.
Degradations: noise, blur, rotation, jpeg_low_quality, downscale, exif_orientation. Formats: PNG,
JPEG, TIFF, WEBP, GIF, BMP.

Ground truth is exact: each word piece is drawn on its own through an 8-bit glyph mask, and its
box is the bounding box of the mask pixels with at least 50% ink, moved through rotation (the
axis-aligned bounds of the rotated box) and downscaling. Files with an EXIF Orientation tag store
rotated pixels, so that the displayed image (tag applied) is the rendered page and boxes are in
displayed orientation. Words are split at entity edges, so punctuation glued to a value is its own
piece; a word too long for its line (a URL in a chat bubble) is broken where it reaches the edge.
Everything is drawn from ``--seed``: the same seed, package versions and installed fonts give the same
files (the script re-runs itself with PYTHONHASHSEED=0 for that), and image N does not depend on
``--count``. Sets made before the chat/record layouts were added (five layouts, DejaVu only) are not
reproduced by the same seed.

Needs (not runtime dependencies of the service)::

    scripts/install_bench.sh    # fonts (apt), faker==40.54.0 and presidio-evaluator==0.3.2 (pip) in .venv

``--no-deps`` for presidio-evaluator because only the templates and CSV files inside the package are
used; its own dependencies (transformers, scikit-learn, pandas, ...) are not needed. Nothing is downloaded
at run time.

Usage (from the repository root)::

    .venv/bin/python scripts/make_heldout.py                          # 60 images in /tmp/heldout/dev/
    .venv/bin/python scripts/make_heldout.py --seed 7 --count 18 --out /tmp/heldout7
    .venv/bin/python scripts/make_heldout.py --seed 7 --count 10 --layouts chat,multi_column --out /tmp/chats
    .venv/bin/python scripts/bench_engine.py --systems ours --skip-c2 --data /tmp/heldout --out /tmp/heldout-out
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import os
import random
import re
import sys
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from faker import Faker
from heldout_text import (
    BANKS,
    CHAT_SMALL_TALK,
    CHAT_TEMPLATES,
    COMPLAINTS,
    DEDUCTIONS,
    DEPARTMENTS,
    DIAGNOSES,
    DOC_TEMPLATES,
    EARNINGS,
    EVENT_WORDS,
    FILLER_OBJECTS,
    FILLER_SENTENCES,
    FILLER_SUBJECTS,
    FILLER_TAILS,
    FILLER_VERBS,
    HEADINGS,
    HOSPITAL_WORDS,
    HR_NOTES,
    INSURERS,
    LAB_TESTS,
    MEDICAL_NOTES,
    MEDICATIONS,
    NICKNAMES,
    PUBLICATION_WORDS,
    QUOTES,
    RELATIONSHIPS,
    REPORT_KINDS,
    SIDEBAR_TITLES,
    SUBDOMAINS,
    TLDS,
    URL_PATHS,
    URL_QUERY_KEYS,
)
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]
Run = tuple[str, str | None]  # a stretch of text and its entity type (None = not an entity)
Font = ImageFont.FreeTypeFont

# ------------------------------------------------------------------------------------- constants

FONT_ROOT = Path("/usr/share/fonts")
# Font faces by family (scripts/install_bench.sh installs the Debian packages): (face, regular, bold)
# under FONT_ROOT. Faces whose files are missing are skipped; the DejaVu faces, always there, come
# first in each family and draw the characters another face lacks (as a browser's font fallback does).
_DJV, _LIB, _FREE, _URW = (
    "truetype/dejavu/DejaVu",
    "truetype/liberation",
    "truetype/freefont/Free",
    "opentype/urw-base35/",
)
_NOTO, _CROS, _ROBOTO = "truetype/noto/Noto", "truetype/croscore/", "truetype/roboto/unhinted/"
_LINLIB, _JBM = "opentype/linux-libertine/", "truetype/jetbrains-mono/"
FONT_FACES: dict[str, list[tuple[str, str, str]]] = {
    "sans": [
        ("DejaVu Sans", f"{_DJV}Sans.ttf", f"{_DJV}Sans-Bold.ttf"),
        ("Liberation Sans", f"{_LIB}2/LiberationSans-Regular.ttf", f"{_LIB}2/LiberationSans-Bold.ttf"),
        ("FreeSans", f"{_FREE}Sans.ttf", f"{_FREE}SansBold.ttf"),
        ("Nimbus Sans", f"{_URW}NimbusSans-Regular.otf", f"{_URW}NimbusSans-Bold.otf"),
        ("Arimo", f"{_CROS}Arimo-Regular.ttf", f"{_CROS}Arimo-Bold.ttf"),
        ("Carlito", "truetype/crosextra/Carlito-Regular.ttf", "truetype/crosextra/Carlito-Bold.ttf"),
        ("Noto Sans", f"{_NOTO}Sans-Regular.ttf", f"{_NOTO}Sans-Bold.ttf"),
        ("Open Sans", "truetype/open-sans/OpenSans-Regular.ttf", "truetype/open-sans/OpenSans-Bold.ttf"),
        ("Lato", "truetype/lato/Lato-Regular.ttf", "truetype/lato/Lato-Bold.ttf"),
        ("URW Gothic", f"{_URW}URWGothic-Book.otf", f"{_URW}URWGothic-Demi.otf"),
        ("Go", "fonts-go/Go-Regular.ttf", "fonts-go/Go-Bold.ttf"),
        ("Linux Biolinum", f"{_LINLIB}LinBiolinum_R.otf", f"{_LINLIB}LinBiolinum_RB.otf"),
    ],
    "serif": [
        ("DejaVu Serif", f"{_DJV}Serif.ttf", f"{_DJV}Serif-Bold.ttf"),
        ("Liberation Serif", f"{_LIB}2/LiberationSerif-Regular.ttf", f"{_LIB}2/LiberationSerif-Bold.ttf"),
        ("FreeSerif", f"{_FREE}Serif.ttf", f"{_FREE}SerifBold.ttf"),
        ("Nimbus Roman", f"{_URW}NimbusRoman-Regular.otf", f"{_URW}NimbusRoman-Bold.otf"),
        ("Tinos", f"{_CROS}Tinos-Regular.ttf", f"{_CROS}Tinos-Bold.ttf"),
        ("Caladea", "truetype/crosextra/Caladea-Regular.ttf", "truetype/crosextra/Caladea-Bold.ttf"),
        ("Noto Serif", f"{_NOTO}Serif-Regular.ttf", f"{_NOTO}Serif-Bold.ttf"),
        ("C059", f"{_URW}C059-Roman.otf", f"{_URW}C059-Bold.otf"),
        ("P052", f"{_URW}P052-Roman.otf", f"{_URW}P052-Bold.otf"),
        ("URW Bookman", f"{_URW}URWBookman-Light.otf", f"{_URW}URWBookman-Demi.otf"),
        ("Linux Libertine", f"{_LINLIB}LinLibertine_R.otf", f"{_LINLIB}LinLibertine_RB.otf"),
        ("EB Garamond", "opentype/ebgaramond/EBGaramond12-Regular.otf", "opentype/ebgaramond/EBGaramond12-Bold.otf"),
    ],
    "mono": [
        ("DejaVu Sans Mono", f"{_DJV}SansMono.ttf", f"{_DJV}SansMono-Bold.ttf"),
        ("Liberation Mono", f"{_LIB}2/LiberationMono-Regular.ttf", f"{_LIB}2/LiberationMono-Bold.ttf"),
        ("FreeMono", f"{_FREE}Mono.ttf", f"{_FREE}MonoBold.ttf"),
        ("Nimbus Mono PS", f"{_URW}NimbusMonoPS-Regular.otf", f"{_URW}NimbusMonoPS-Bold.otf"),
        ("Cousine", f"{_CROS}Cousine-Regular.ttf", f"{_CROS}Cousine-Bold.ttf"),
        ("Noto Sans Mono", f"{_NOTO}SansMono-Regular.ttf", f"{_NOTO}SansMono-Bold.ttf"),
        ("Hack", "truetype/hack/Hack-Regular.ttf", "truetype/hack/Hack-Bold.ttf"),
        ("JetBrains Mono", f"{_JBM}JetBrainsMono-Regular.ttf", f"{_JBM}JetBrainsMono-Bold.ttf"),
        ("Go Mono", "fonts-go/Go-Mono.ttf", "fonts-go/Go-Mono-Bold.ttf"),
    ],
    "condensed": [
        ("DejaVu Sans Condensed", f"{_DJV}SansCondensed.ttf", f"{_DJV}SansCondensed-Bold.ttf"),
        ("DejaVu Serif Condensed", f"{_DJV}SerifCondensed.ttf", f"{_DJV}SerifCondensed-Bold.ttf"),
        ("Liberation Sans Narrow", f"{_LIB}/LiberationSansNarrow-Regular.ttf", f"{_LIB}/LiberationSansNarrow-Bold.ttf"),
        ("Nimbus Sans Narrow", f"{_URW}NimbusSansNarrow-Regular.otf", f"{_URW}NimbusSansNarrow-Bold.otf"),
        ("Roboto Condensed", f"{_ROBOTO}RobotoCondensed-Regular.ttf", f"{_ROBOTO}RobotoCondensed-Bold.ttf"),
    ],
    "ui": [  # screen faces: chats and web mail
        ("DejaVu Sans", f"{_DJV}Sans.ttf", f"{_DJV}Sans-Bold.ttf"),
        ("Roboto", f"{_ROBOTO}RobotoTTF/Roboto-Regular.ttf", f"{_ROBOTO}RobotoTTF/Roboto-Bold.ttf"),
        ("Inter", "opentype/inter/Inter-Regular.otf", "opentype/inter/Inter-SemiBold.otf"),
        ("Cantarell", "opentype/cantarell/Cantarell-Regular.otf", "opentype/cantarell/Cantarell-Bold.otf"),
        ("Noto Sans", f"{_NOTO}Sans-Regular.ttf", f"{_NOTO}Sans-Bold.ttf"),
        ("Open Sans", "truetype/open-sans/OpenSans-Regular.ttf", "truetype/open-sans/OpenSans-Bold.ttf"),
        ("Lato", "truetype/lato/Lato-Regular.ttf", "truetype/lato/Lato-Bold.ttf"),
        ("Liberation Sans", f"{_LIB}2/LiberationSans-Regular.ttf", f"{_LIB}2/LiberationSans-Bold.ttf"),
    ],
}  # fmt: skip
# The faces the dev set was drawn with are drawn more often than the others.
COMMON_FACES = {"DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "Liberation Sans", "Liberation Serif", "FreeSans",
                "FreeSerif", "FreeMono", "Liberation Mono", "DejaVu Sans Condensed", "Roboto"}  # fmt: skip
FAMILY_WEIGHTS: dict[str, dict[str, int]] = {  # layout -> family weights
    "default": {"sans": 6, "serif": 3, "mono": 1, "condensed": 1},
    "email": {"sans": 5, "ui": 4, "serif": 1, "mono": 1},
    "chat": {"ui": 8, "sans": 2},
    "id_card": {"sans": 6, "condensed": 2, "serif": 2, "mono": 1},
    "multi_column": {"serif": 5, "sans": 4, "condensed": 2},
}
TEXT_COLORS: list[RGB] = [(0, 0, 0), (33, 33, 33), (20, 30, 90), (60, 40, 30), (50, 50, 60)]
BACKGROUNDS: list[RGB] = [(255, 255, 255), (252, 250, 235), (250, 248, 240), (244, 244, 244), (240, 244, 250)]
DARK_THEMES: list[tuple[RGB, RGB]] = [((240, 240, 220), (36, 39, 46)), ((205, 210, 215), (28, 30, 36))]
ACCENTS: list[RGB] = [(30, 90, 160), (90, 50, 140), (20, 110, 80), (170, 60, 40), (190, 110, 20)]

LAYOUTS = ("letter", "form", "invoice", "id_card", "email", "chat", "multi_column", "medical_record", "hr_record")
# JPEG's weight is low because jpeg_low_quality and exif_orientation add JPEGs (dev set: about a third JPEG).
FORMAT_WEIGHTS = {"JPEG": 4, "WEBP": 6, "TIFF": 3, "GIF": 3, "PNG": 3, "BMP": 2}
EXTENSIONS = {"JPEG": "jpg", "WEBP": "webp", "TIFF": "tif", "GIF": "gif", "PNG": "png", "BMP": "bmp"}
SINGLE_DEGRADATIONS = {
    "noise": 3,
    "blur": 3,
    "rotation": 3,
    "jpeg_low_quality": 2,
    "downscale": 2,
    "exif_orientation": 2,
}
DEGRADATION_PAIRS = [
    ("noise", "blur"),
    ("noise", "blur"),
    ("noise", "rotation"),
    ("blur", "downscale"),
    ("noise", "downscale"),
    ("rotation", "jpeg_low_quality"),
    ("blur", "exif_orientation"),
    ("downscale", "exif_orientation"),
]
EXIF_FORMATS = {"JPEG": 4, "WEBP": 1, "PNG": 1}  # formats that carry the Orientation tag here
METADATA_FORMATS = ("JPEG", "WEBP", "PNG")
XMP_FORMATS = ("JPEG", "WEBP")
# exif_transpose applies these to the stored pixels; the stored image is the inverse applied to the page.
STORE_TRANSPOSE = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}

INK_THRESHOLD = 128  # a mask pixel with >= 50% ink is visible ink (matches the dev set's boxes)
REFERENCE_DATE = date(2025, 6, 1)  # ages are computed against this, never against today
SCORED_TYPES = frozenset(
    {
        "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "US_PASSPORT",
        "US_DRIVER_LICENSE", "UK_NHS", "IP_ADDRESS", "URL", "LOCATION", "DATE_TIME", "CRYPTO",
        "US_BANK_NUMBER", "MEDICAL_LICENSE", "DATE_OF_BIRTH", "AGE",
    }
)  # fmt: skip

# Template placeholders (presidio-evaluator names) -> entity type written to the ground truth.
PLACEHOLDER_TYPES: dict[str, str] = {
    **dict.fromkeys(
        ["person", "name", "name_male", "name_female", "first_name", "first_name_male", "first_name_female"]
        + ["first_name_nonbinary", "last_name", "last_name_male", "last_name_female"],
        "PERSON",
    ),
    **dict.fromkeys(["prefix", "prefix_male", "prefix_female", "job"], "TITLE"),
    **dict.fromkeys(["nationality", "nation_woman", "nation_man", "nation_plural"], "NRP"),
    **dict.fromkeys(
        ["address", "street_name", "building_number", "secondary_address", "city", "country", "state_abbr"]
        + ["postcode", "zipcode"],
        "LOCATION",
    ),
    **dict.fromkeys(["date_time", "year", "day_of_week"], "DATE_TIME"),
    "organization": "ORGANIZATION",
    "credit_card_number": "CREDIT_CARD",
    "phone_number": "PHONE_NUMBER",
    "email": "EMAIL_ADDRESS",
    "iban": "IBAN_CODE",
    "ssn": "US_SSN",
    "ip_address": "IP_ADDRESS",
    "url": "URL",
    "us_driver_license": "US_DRIVER_LICENSE",
    "date_of_birth": "DATE_OF_BIRTH",
    "age": "AGE",
    # placeholders of our own templates (heldout_text.py)
    "nickname": "PERSON",
    "street_address": "LOCATION",
    "date": "DATE_TIME",
    "card_expiry": "DATE_TIME",
    "time": "TIME_OF_DAY",
    **dict.fromkeys(["domain", "url"], "URL"),  # a domain written as a website is a URL, as the hidden set has it
    **dict.fromkeys(["ipv4", "ipv6"], "IP_ADDRESS"),
    **dict.fromkeys(["crypto", "btc", "eth"], "CRYPTO"),
    "passport": "US_PASSPORT",
    "bank_account": "US_BANK_NUMBER",
    "routing": "ROUTING_NUMBER",
    "nhs": "UK_NHS",
    "medical_license": "MEDICAL_LICENSE",
}
PLACEHOLDER_RE = re.compile(r"{{(\w+)}}")

# Faker locales for people: names only from the first list, names and addresses from the second.
# (Latin script but for el_GR's Greek addresses: the request language is English.)
NAME_LOCALES = [
    "et_EE", "is_IS", "lv_LV", "lt_LT", "tr_TR", "ga_IE", "en_NG", "yo_NG", "ig_NG", "ha_NG", "en_KE", "en_PK",
    "tw_GH", "sw", "uz_UZ", "en_TH", "fil_PH", "fr_BE", "de_LI", "de_LU", "fr_DZ",
]  # fmt: skip
ADDRESS_LOCALES = [
    "da_DK", "el_GR", "cs_CZ", "de_DE", "de_AT", "de_CH", "fi_FI", "fr_FR", "hu_HU", "it_IT", "nl_NL", "nl_BE",
    "no_NO", "pl_PL", "pt_BR", "pt_PT", "sv_SE", "es_ES", "es_MX", "sk_SK", "sl_SI", "hr_HR", "ro_RO", "en_GB",
    "en_IE", "en_AU", "en_NZ", "en_CA", "en_US", "es_AR", "es_CL", "es_CO", "fr_CA", "fr_CH", "id_ID", "vi_VN",
    "en_IN", "zu_ZA", "az_AZ",
]  # fmt: skip
IBAN_LOCALES = ["de_DE", "en_GB", "fr_FR", "nl_NL", "es_ES", "it_IT", "pl_PL", "da_DK", "fi_FI", "de_AT", "de_CH"]
MAIL_DOMAINS = [
    "gmail.com",
    "outlook.com",
    "proton.me",
    "web.de",
    "gmx.net",
    "yahoo.co.uk",
    "mail.dk",
    "seznam.cz",
    "icloud.com",
    "hotmail.com",
    "yahoo.com",
    "aol.com",
    "orange.fr",
    "libero.it",
    "wp.pl",
    "t-online.de",
    "btinternet.com",
    "live.nl",
    "fastmail.com",
    "zoho.com",
    "bluewin.ch",
    "telenet.be",
]
DATE_FORMATS = ["%m/%d/%Y", "%d %b %Y", "%Y-%m-%d", "%B %d, %Y", "%d.%m.%Y", "%b %d, %Y", "mdy"]
DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%m/%d/%Y %I:%M %p", "%d %B %Y"]
PHONE_FORMATS = [
    "###-###-####", "(###)###-####", "###.###.####", "+1-###-###-####", "###-###-####x###",
    "07700 ### ###", "+447700 ######", "+91##########", "+41 7# ### ## ##", "+41 (0)4# ### ## ##",
    "+46 (0)8 ### ### ##", "+45 ## ## ## ##", "+49 30 ########", "+33 # ## ## ## ##",
    "+1 (###) ###-####", "(0##) #### ####", "+44 20 #### ####", "+31 6 ########", "+39 3## ### ####",
    "+34 6## ## ## ##", "+61 4## ### ###", "+353 8# ### ####", "0### ### ####", "###.###.#### ext. ##",
]  # fmt: skip
AGE_FORMATS = {"%#": 0.85, "%": 0.1, "10#": 0.05}
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

# --------------------------------------------------------------------------------------- resources


@dataclass(frozen=True)
class Resources:
    """The presidio-evaluator data files the generator draws from."""

    templates: list[str]
    records: list[dict[str, str]]
    organizations: list[str]
    nationalities: list[dict[str, str]]
    license_formats: list[str]


def evaluator_file(name: str) -> Path:
    """A file of presidio-evaluator's raw_data folder, located without importing the package."""
    try:
        dist = metadata.distribution("presidio-evaluator")
    except metadata.PackageNotFoundError:
        raise SystemExit(
            "presidio-evaluator is not installed: .venv/bin/pip install --no-deps presidio-evaluator==0.3.2"
        ) from None
    path = Path(str(dist.locate_file(f"presidio_evaluator/data_generator/raw_data/{name}")))
    if not path.is_file():
        raise SystemExit(f"presidio-evaluator has no {name} (looked at {path})")
    return path


def clean_template(line: str) -> str | None:
    """A template line as text to render, or None for lines that would render badly."""
    line = line.strip().replace("\\n", "\n").replace("\\,", ",")
    if not line or "\ufffd" in line or re.search(r"(?<!{){\w+}(?!})", line):
        return None  # empty, mojibake, or single-brace placeholders that Faker would leave as text
    unknown = set(PLACEHOLDER_RE.findall(line)) - set(PLACEHOLDER_TYPES)
    return None if unknown else line


def load_resources() -> Resources:
    templates = [
        t for line in evaluator_file("templates.txt").read_text("utf-8").splitlines() if (t := clean_template(line))
    ]
    with evaluator_file("FakeNameGenerator.com_3000.csv").open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    organizations = [
        o.strip()
        for o in evaluator_file("companies_and_organizations.csv").read_text("utf-8").splitlines()[1:]
        if o.strip()
    ]
    with evaluator_file("nationalities.csv").open(encoding="utf-8-sig", newline="") as handle:
        nationalities = list(csv.DictReader(handle))
    formats = yaml.safe_load(evaluator_file("us_driver_license_format.yaml").read_text("utf-8"))
    license_formats = [f for state in formats["en"]["faker"]["driving_license"]["usa"].values() for f in state]
    for template in DOC_TEMPLATES + CHAT_TEMPLATES:
        if clean_template(template) != template:
            raise SystemExit(f"heldout_text.py: template with an unknown placeholder: {template!r}")
    return Resources(templates, records, organizations, nationalities, license_formats)


# ------------------------------------------------------------------------------------ fake values


@dataclass(frozen=True)
class Person:
    """One fictitious person, from a FakeNameGenerator record or a Faker locale."""

    first: str
    middle: str
    last: str
    gender: str
    title: str
    street: str
    city: str
    region: str
    postcode: str
    country: str
    email: str
    phone: str
    birthday: date
    job: str
    company: str

    @property
    def age(self) -> int:
        born = self.birthday
        return REFERENCE_DATE.year - born.year - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day))


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalnum())


def squash(text: str) -> str:
    """Collapse runs of whitespace (Faker values sometimes hold double spaces or newlines)."""
    return " ".join(text.split())


def bitcoin_address(rng: random.Random) -> str:
    """A P2PKH or P2SH address with a valid Base58Check checksum."""
    payload = bytes([rng.choice((0, 5))]) + rng.randbytes(20)
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number, text = int.from_bytes(raw, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        text = B58[digit] + text
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + text


BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _bech32_polymod(values: list[int]) -> int:
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i, gen in enumerate((0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)):
            check ^= gen if (top >> i) & 1 else 0
    return check


def segwit_address(rng: random.Random) -> str:
    """A bech32 (BIP 173, witness v0: P2WPKH or P2WSH) or bech32m (BIP 350, v1 taproot) address."""
    version, size = rng.choice([(0, 20), (0, 20), (0, 32), (1, 32)])
    program = rng.randbytes(size)
    bits = "".join(f"{b:08b}" for b in program)
    bits += "0" * (-len(bits) % 5)
    data = [version] + [int(bits[i : i + 5], 2) for i in range(0, len(bits), 5)]
    constant = 1 if version == 0 else 0x2BC830A3
    hrp = [ord(c) >> 5 for c in "bc"] + [0] + [ord(c) & 31 for c in "bc"]
    polymod = _bech32_polymod(hrp + data + [0] * 6) ^ constant
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return "bc1" + "".join(BECH32[d] for d in data + checksum)


_KECCAK_RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
    0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
    0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
    0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]  # fmt: skip
_KECCAK_ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as Ethereum uses it (the original padding, not SHA3-256's)."""
    mask, rate = (1 << 64) - 1, 136
    state = [[0] * 5 for _ in range(5)]
    padded = bytearray(data) + b"\x01" + b"\x00" * (-(len(data) + 1) % rate)
    padded[-1] |= 0x80
    for start in range(0, len(padded), rate):
        block = padded[start : start + rate]
        for i in range(rate // 8):
            state[i % 5][i // 5] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        for rc in _KECCAK_RC:
            c = [state[x][0] ^ state[x][1] ^ state[x][2] ^ state[x][3] ^ state[x][4] for x in range(5)]
            d = [c[(x - 1) % 5] ^ ((c[(x + 1) % 5] << 1 | c[(x + 1) % 5] >> 63) & mask) for x in range(5)]
            state = [[state[x][y] ^ d[x] for y in range(5)] for x in range(5)]
            b = [[0] * 5 for _ in range(5)]
            for x in range(5):
                for y in range(5):
                    r = _KECCAK_ROT[x][y]
                    b[y][(2 * x + 3 * y) % 5] = (
                        (state[x][y] << r | state[x][y] >> (64 - r)) & mask if r else state[x][y]
                    )
            state = [[b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y]) for y in range(5)] for x in range(5)]
            state[0][0] ^= rc
    return b"".join(state[i % 5][i // 5].to_bytes(8, "little") for i in range(4))


def ethereum_address(rng: random.Random) -> str:
    """An Ethereum address, mostly with its EIP-55 mixed-case checksum, else all lower case."""
    hex_digits = rng.randbytes(20).hex()
    if rng.random() < 0.25:
        return "0x" + hex_digits
    digest = keccak256(hex_digits.encode()).hex()
    return "0x" + "".join(c.upper() if int(digest[i], 16) >= 8 else c for i, c in enumerate(hex_digits))


def nhs_number(rng: random.Random) -> str:
    """A UK NHS number with a valid modulus-11 check digit."""
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 10:
            continue
        digits.append(0 if check == 11 else check)
        text = "".join(map(str, digits))
        return f"{text[:3]} {text[3:6]} {text[6:]}" if rng.random() < 0.7 else text


def dea_number(rng: random.Random, last_name: str) -> str:
    """A DEA registration number (Presidio's MEDICAL_LICENSE) with a valid check digit."""
    initial = ascii_fold(last_name)[:1].upper() or "X"
    digits = [rng.randrange(10) for _ in range(6)]
    check = (digits[0] + digits[2] + digits[4] + 2 * (digits[1] + digits[3] + digits[5])) % 10
    return rng.choice("ABFGMPRX") + initial + "".join(map(str, digits)) + str(check)


def format_date(value: date | datetime, fmt: str) -> str:
    return f"{value.month}/{value.day}/{value.year}" if fmt == "mdy" else value.strftime(fmt)


class Fabricator:
    """Fake people and values for one image, all drawn from the image's own random generator."""

    def __init__(self, resources: Resources, rng: random.Random, fakers: dict[str, Faker]) -> None:
        self.res = resources
        self.rng = rng
        self._fakers = fakers
        self._seeded: set[str] = set()
        self._seed = rng.getrandbits(48)

    def faker(self, locale: str = "en_US") -> Faker:
        """A cached Faker for ``locale``, reseeded from this image's seed on first use."""
        if locale not in self._fakers:
            self._fakers[locale] = Faker(locale)
        fake = self._fakers[locale]
        if locale not in self._seeded:
            fake.seed_instance(self._seed ^ zlib.crc32(locale.encode()))
            self._seeded.add(locale)
        return fake

    # people ---------------------------------------------------------------------------------------

    def person(self, gender: str | None = None) -> Person:
        for _ in range(50):
            made = self._record_person() if self.rng.random() < 0.6 else self._faker_person()
            if gender is None or made.gender == gender:
                return made
        return made

    def _record_person(self) -> Person:
        r = self.rng.choice(self.res.records)
        month, day, year = (int(p) for p in r["Birthday"].split("/"))
        phone = r["TelephoneNumber"]
        if r["TelephoneCountryCode"] and self.rng.random() < 0.4:
            phone = f"+{r['TelephoneCountryCode']} {phone}"
        return Person(
            first=r["GivenName"],
            middle=r["MiddleInitial"],
            last=r["Surname"],
            gender=r["Gender"],
            title=r["Title"] or ("Mr." if r["Gender"] == "male" else "Ms."),
            street=squash(r["StreetAddress"]),
            city=squash(r["City"]),
            region=r["State"] or r["StateFull"],
            postcode=r["ZipCode"],
            country=r["CountryFull"],
            email=r["EmailAddress"],
            phone=phone,
            birthday=date(year, month, day),
            job=r["Occupation"],
            company=r["Company"],
        )

    def _faker_person(self) -> Person:
        home = self.rng.choice(ADDRESS_LOCALES)
        names = self.faker(self.rng.choice(ADDRESS_LOCALES + NAME_LOCALES))
        gender = self.rng.choice(("female", "male"))
        first = getattr(names, f"first_name_{gender}")()
        last_by_gender = getattr(names, f"last_name_{gender}", None)
        last = last_by_gender() if last_by_gender else names.last_name()
        if self.rng.random() < 0.12:  # Spanish-style double surnames, English double-barrelled ones
            other = last_by_gender() if last_by_gender else names.last_name()
            last = f"{last}{self.rng.choice([' ', '-'])}{other}" if other != last else last
        place = self.faker(home)
        region_of = getattr(place, "state_abbr", None) or getattr(place, "administrative_unit", None)
        region = region_of() if region_of and self.rng.random() < 0.6 else ""
        given, family = ascii_fold(first), ascii_fold(last)
        choices = [f"{given}.{family}", f"{given[:1]}{family}", f"{given}{family}{self.rng.randrange(10, 99)}"]
        user = self.rng.choice(choices).lower() if given and family else names.user_name()
        return Person(
            first=first,
            middle=self.rng.choice("ABCDEFGHJKLMNPRSTW"),
            last=last,
            gender=gender,
            title=self.rng.choice(["Mr."] if gender == "male" else ["Ms.", "Mrs."]),
            street=squash(place.street_address()),
            city=squash(place.city()),
            region=region,
            postcode=place.postcode(),
            country=place.current_country(),
            email=f"{user}@{self.rng.choice(MAIL_DOMAINS)}",
            phone=place.phone_number(),
            birthday=place.date_between(date(1936, 1, 1), date(2006, 12, 31)),
            job=self.faker().job(),
            company=self.faker().company(),
        )

    def full_name(self, p: Person) -> str:
        if self.rng.random() < 0.8:
            return f"{p.first} {p.last}"
        return f"{p.first} {p.middle}{self.rng.choice(['. ', ' '])}{p.last}"

    def name_runs(self, p: Person, *, formal: bool = False) -> list[Run]:
        """A name as runs, in the styles forms and records use: 'First Last', 'LAST, First', 'Last, First M.',
        'F. Last', 'Mr. First Last' (the title a neutral TITLE); surname and given name are separate entities
        when a comma stands between them."""
        choice = self.rng.random()
        if choice < (0.3 if formal else 0.08):
            last = p.last.upper() if self.rng.random() < 0.5 else p.last
            first = p.first if self.rng.random() < 0.7 else f"{p.first} {p.middle}."
            return [(last, "PERSON"), (", ", None), (first, "PERSON")]
        if choice < (0.4 if formal else 0.16):
            return [(f"{p.first[:1]}. {p.last}", "PERSON")]
        if choice < (0.5 if formal else 0.26):
            return [(p.title, "TITLE"), (" ", None), (self.full_name(p), "PERSON")]
        return [(self.full_name(p), "PERSON")]

    def nickname(self, p: Person) -> str:
        """A short form of the person's first name: a usual one when there is one, else the first syllable."""
        key = ascii_fold(p.first).lower()
        if key in NICKNAMES and self.rng.random() < 0.85:
            return self.rng.choice(NICKNAMES[key])
        match = re.match(r"[^aeiouy]*[aeiouy]+[^aeiouy]?", p.first, re.IGNORECASE)
        short = match.group(0) if match else p.first
        return short if len(short) >= 3 and short != p.first else p.first

    # addresses ------------------------------------------------------------------------------------

    def city_line(self, p: Person) -> str:
        if p.region and self.rng.random() < 0.6:
            return f"{p.city}, {p.region} {p.postcode}"
        return self.rng.choice([f"{p.postcode} {p.city}", f"{p.city} {p.postcode}", f"{p.city}, {p.postcode}"])

    def address_lines(self, p: Person) -> list[str]:
        """An address as lines; sometimes a US-style address from Faker instead of the person's."""
        us = self.faker("en_US")
        choice = self.rng.random()
        if choice < 0.4:
            return [p.street, self.city_line(p)] + ([p.country] if self.rng.random() < 0.4 else [])
        if choice < 0.6:
            return [p.street, p.city, f"{p.country} {p.postcode}"]
        if choice < 0.66:  # a flat or unit line above the street
            unit = self.rng.choice(["Flat", "Apt.", "Unit", "Apartment", "Suite"]) + f" {self.rng.randint(1, 48)}"
            unit += self.rng.choice(["", "", "B", "A"])
            return [unit, p.street, self.city_line(p)]
        if choice < 0.7:  # a post office box
            box = self.rng.choice(["P.O. Box", "PO Box", "Postfach", "Box"]) + f" {self.rng.randint(10, 9999)}"
            return [box, self.city_line(p)]
        if choice < 0.9:
            return [
                f"{us.building_number()} {us.street_name()}",
                us.secondary_address(),
                f"{us.city()}, {us.state_abbr()} {us.zipcode()}",
            ]
        return [us.military_dpo(), f"DPO {us.military_state()} {us.zipcode()}"]

    def address(self, p: Person) -> str:
        lines = self.address_lines(p)
        return "\n".join(lines) if self.rng.random() < 0.35 else ", ".join(lines)

    def one_line_address(self, p: Person) -> str:
        return ", ".join(self.address_lines(p))

    def street_address(self, p: Person) -> str:
        return p.street if self.rng.random() < 0.7 else self.faker(self.rng.choice(ADDRESS_LOCALES)).street_address()

    # numbers and other values ----------------------------------------------------------------------

    def credit_card(self) -> str:
        card = self.faker().credit_card_number(
            self.rng.choice(["visa16", "mastercard", "amex", "discover", "jcb16", "visa13"])
        )
        if len(card) == 16 and self.rng.random() < 0.35:
            sep = self.rng.choice(" -")
            return sep.join(card[i : i + 4] for i in range(0, 16, 4))
        return card

    def iban(self) -> str:
        value = self.faker(self.rng.choice(IBAN_LOCALES)).iban()
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if self.rng.random() < 0.35 else value

    def ssn(self) -> str:
        return self.faker().ssn()

    def passport(self) -> str:
        return self.faker().passport_number()

    def driver_license(self) -> str:
        return self.faker().bothify(self.rng.choice(self.res.license_formats)).upper()

    def bank_account(self) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(self.rng.randint(8, 14)))

    def routing(self) -> str:
        return self.faker().aba()

    def nhs(self) -> str:
        return nhs_number(self.rng)

    def medical_license(self, p: Person) -> str:
        return dea_number(self.rng, p.last)

    def crypto(self) -> str:
        """A wallet address: bitcoin legacy/P2SH (Base58Check), bech32/bech32m, or Ethereum."""
        return self.rng.choices([self.btc, self.eth], weights=[3, 2])[0]()

    def btc(self) -> str:
        return bitcoin_address(self.rng) if self.rng.random() < 0.55 else segwit_address(self.rng)

    def eth(self) -> str:
        return ethereum_address(self.rng)

    def ip_address(self) -> str:
        return self.ipv4() if self.rng.random() < 0.7 else self.ipv6()

    def ipv4(self) -> str:
        fake = self.faker()
        return fake.ipv4_public() if self.rng.random() < 0.75 else fake.ipv4_private()

    def ipv6(self) -> str:
        """Full, zero-compressed or leading-zero-trimmed forms, lower or upper case."""
        groups = [self.rng.randrange(0x10000) for _ in range(8)]
        if self.rng.random() < 0.5:  # documentation and link-local prefixes, with zero runs to compress
            groups[:2] = self.rng.choice([[0x2001, 0xDB8], [0xFE80, 0], [0x2A02, self.rng.randrange(0x10000)]])
            start = self.rng.randint(2, 5)
            for i in range(start, min(8, start + self.rng.randint(1, 4))):
                groups[i] = 0
        text = ":".join(f"{g:x}" for g in groups)
        if self.rng.random() < 0.7:  # compress the longest run of zero groups
            best = max(
                ((i, j) for i in range(8) for j in range(i + 2, 9) if all(g == 0 for g in groups[i:j])),
                key=lambda span: span[1] - span[0],
                default=None,
            )
            if best:
                text = (
                    ":".join(f"{g:x}" for g in groups[: best[0]]) + "::" + ":".join(f"{g:x}" for g in groups[best[1] :])
                )
        elif self.rng.random() < 0.4:
            text = ":".join(f"{g:04x}" for g in groups)
        return text.upper() if self.rng.random() < 0.2 else text

    def domain(self) -> str:
        """A website's domain name, as written on letterheads and in chats (a URL entity)."""
        fake = self.faker(self.rng.choice(["en_US", "en_GB", "de_DE", "fr_FR", "nl_NL", "it_IT", "es_ES"]))
        word = re.sub(r"[^a-z0-9-]", "", ascii_fold(fake.domain_word()).lower() or fake.domain_word())
        if self.rng.random() < 0.3:
            word += self.rng.choice(["-", ""]) + re.sub(r"[^a-z]", "", fake.word().lower())
        return self.rng.choice(SUBDOMAINS) + (word or "example") + self.rng.choice(TLDS)

    def url(self) -> str:
        """A URL with or without scheme, with paths, query strings, fragments, ports, or as Faker writes it."""
        fake = self.faker()
        if self.rng.random() < 0.2:
            return self.rng.choice([fake.url, fake.uri, lambda: f"www.{fake.domain_name()}"])()
        host = self.domain() if self.rng.random() < 0.92 else f"{self.ipv4()}:{self.rng.choice([80, 8080, 8443, 3000])}"
        scheme = self.rng.choices(["https://", "http://", ""], weights=[6, 2, 3])[0]
        path = ""
        for _ in range(self.rng.choices([0, 1, 2, 3], weights=[2, 4, 3, 1])[0]):
            part = self.rng.choice(URL_PATHS) if self.rng.random() < 0.7 else fake.slug()
            path += "/" + part
        if self.rng.random() < 0.2:
            path += "/" + self.rng.choice([f"{self.rng.randrange(100, 99999)}", fake.file_name(), fake.uuid4()[:8]])
        if self.rng.random() < 0.3:
            keys = self.rng.sample(URL_QUERY_KEYS, self.rng.randint(1, 3))
            path = (
                (path or "/")
                + "?"
                + "&".join(f"{k}={fake.lexify('????').lower()}{self.rng.randrange(10, 999)}" for k in keys)
            )
        elif self.rng.random() < 0.08:
            path += "#" + self.rng.choice(["top", "faq", "section-2", "details"])
        elif not path and scheme and self.rng.random() < 0.3:
            path = "/"
        return scheme + host + path

    def phone(self, p: Person) -> str:
        if self.rng.random() < 0.5:
            return p.phone
        return self.faker().numerify(self.rng.choice(PHONE_FORMATS))

    def date(self, start: date = date(2015, 1, 1), end: date = date(2027, 12, 31)) -> str:
        day = self.faker().date_between(start, end)
        return format_date(day, self.rng.choice(DATE_FORMATS))

    def date_time(self) -> str:
        moment = self.faker().date_time_between(datetime(2012, 1, 1), datetime(2027, 12, 31))
        return format_date(moment, self.rng.choice(DATETIME_FORMATS + DATE_FORMATS))

    def time_of_day(self) -> str:
        hour, minute = self.rng.randrange(24), self.rng.randrange(60)
        if self.rng.random() < 0.5:
            return f"{hour:02d}:{minute:02d}" if self.rng.random() < 0.7 else f"{hour}:{minute:02d}"
        return (
            f"{(hour - 1) % 12 + 1}:{minute:02d}{self.rng.choice([' ', ''])}{self.rng.choice(['AM', 'PM', 'am', 'pm'])}"
        )

    def card_expiry(self) -> str:
        return f"{self.rng.randint(1, 12):02d}/{self.rng.randint(25, 31)}"

    def birthday(self, p: Person) -> str:
        return format_date(p.birthday, self.rng.choice(DATE_FORMATS))

    def age(self, p: Person) -> str:
        if self.rng.random() < 0.6:
            return str(p.age)
        fmt = self.rng.choices(list(AGE_FORMATS), weights=list(AGE_FORMATS.values()))[0]
        return self.faker().numerify(fmt).lstrip("0") or "7"

    def organization(self) -> str:
        return self.rng.choice(self.res.organizations) if self.rng.random() < 0.6 else self.faker().company()

    def nationality(self, column: str = "nationality") -> str:
        return self.rng.choice(self.res.nationalities)[column].title()

    # template sentences ----------------------------------------------------------------------------

    def placeholder(self, name: str, p: Person) -> str:
        """The text for one template placeholder, for person ``p``."""
        us = self.faker()
        simple: dict[str, Callable[[], str]] = {
            "person": lambda: self.full_name(p),
            "first_name": lambda: p.first,
            "last_name": lambda: p.last,
            "prefix": lambda: p.title,
            "job": lambda: p.job,
            "address": lambda: self.address(p),
            "nickname": lambda: self.nickname(p),
            "street_address": lambda: self.street_address(p),
            "date": self.date,
            "card_expiry": self.card_expiry,
            "time": self.time_of_day,
            "domain": self.domain,
            "ipv4": self.ipv4,
            "ipv6": self.ipv6,
            "crypto": self.crypto,
            "btc": self.btc,
            "eth": self.eth,
            "passport": self.passport,
            "bank_account": self.bank_account,
            "routing": self.routing,
            "nhs": self.nhs,
            "medical_license": lambda: self.medical_license(p),
            "street_name": lambda: p.street if self.rng.random() < 0.5 else us.street_name(),
            "building_number": us.building_number,
            "secondary_address": us.secondary_address,
            "city": lambda: p.city,
            "country": lambda: p.country,
            "state_abbr": lambda: p.region or us.state_abbr(),
            "postcode": lambda: p.postcode,
            "credit_card_number": self.credit_card,
            "phone_number": lambda: self.phone(p),
            "email": lambda: p.email,
            "iban": self.iban,
            "ssn": self.ssn,
            "ip_address": self.ip_address,
            "url": self.url,
            "us_driver_license": self.driver_license,
            "date_time": self.date_time,
            "year": lambda: str(self.rng.randint(1950, 2024)),
            "day_of_week": us.day_of_week,
            "date_of_birth": lambda: self.birthday(p),
            "age": lambda: self.age(p),
            "organization": self.organization,
            "nationality": self.nationality,
            "nation_woman": lambda: self.nationality("woman"),
            "nation_man": lambda: self.nationality("man"),
            "nation_plural": lambda: self.nationality("plural"),
        }
        base = re.sub(r"_(male|female|nonbinary)$", "", name)
        base = {"name": "person", "zipcode": "postcode"}.get(base, base)
        return simple[base]()

    def sentence(
        self, max_chars: int | None = None, single_line: bool = False, pool: Sequence[str] | None = None
    ) -> list[Run]:
        """One filled-in template as runs; 85% of the time a template with at least one placeholder.
        Templates come from ``pool``, else from presidio-evaluator's (60%) or ours (40%)."""
        if pool is None:
            pool = self.res.templates if self.rng.random() < 0.6 else DOC_TEMPLATES
        while True:
            template = self.rng.choice(pool)
            if (single_line and "\n" in template) or (max_chars and len(template) > max_chars):
                continue
            if PLACEHOLDER_RE.search(template) or self.rng.random() < 0.15:
                break
        people: dict[str, Person] = {}
        used: set[str] = set()
        runs: list[Run] = []
        position = 0
        for match in PLACEHOLDER_RE.finditer(template):
            name = match.group(1)
            gender = next((g for g in ("female", "male") if name.endswith(f"_{g}")), "any")
            if name in used or gender not in people:
                people[gender] = self.person(None if gender == "any" else gender)
            used.add(name)
            runs.append((template[position : match.start()], None))
            runs.append((self.placeholder(name, people[gender]), PLACEHOLDER_TYPES[name]))
            position = match.end()
        runs.append((template[position:], None))
        runs = [r for r in runs if r[0]]
        if runs and runs[-1][0][-1].isalnum() and pool is not CHAT_TEMPLATES:
            runs.append((".", None))  # most templates lack a full stop; sentences run on otherwise
        return merge_locations(runs)


def merge_locations(runs: list[Run]) -> list[Run]:
    """Join LOCATION runs separated by one space ("615" "Isabella Street" -> one address entity)."""
    merged: list[Run] = []
    for run in runs:
        if (
            run[1] == "LOCATION"
            and len(merged) >= 2
            and merged[-1] == (" ", None)
            and merged[-2][1] == "LOCATION"
            and "\n" not in merged[-2][0] + run[0]
        ):
            merged[-2:] = [(merged[-2][0] + " " + run[0], "LOCATION")]
        else:
            merged.append(run)
    return merged


def paragraph(fab: Fabricator, sentences: int, filler: float = 0.0, *, single_line: bool = False) -> list[Run]:
    """Sentences with personal data; ``filler`` is the share of sentences without any (running prose)."""
    runs: list[Run] = []
    for i in range(sentences):
        if i:
            runs.append((" ", None))
        if fab.rng.random() < filler:
            runs.append((filler_sentence(fab.rng), None))
        else:
            runs += fab.sentence(single_line=single_line)
    return runs


def filler_sentence(rng: random.Random) -> str:
    """A sentence of ordinary prose without personal data."""
    if rng.random() < 0.45:
        return rng.choice(FILLER_SENTENCES)
    parts = [rng.choice(FILLER_SUBJECTS), rng.choice(FILLER_VERBS), rng.choice(FILLER_OBJECTS)]
    return " ".join(parts) + rng.choice(FILLER_TAILS) + "."


# --------------------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Style:
    """How a page is drawn; the JSON keeps dpi, size, font, colours and theme."""

    dpi: int
    font_pt: int
    family: str
    face: str
    font_file: str  # paths under FONT_ROOT
    bold_file: str
    fallback_file: str  # the DejaVu face of the family, for characters the face lacks
    fallback_bold_file: str
    text_color: RGB
    background: RGB
    accent: RGB
    dark: bool

    def px(self, inches: float) -> int:
        return round(inches * self.dpi)

    def truth(self) -> dict[str, Any]:
        return {
            "dpi": self.dpi,
            "font_pt": self.font_pt,
            "font_family": self.family,
            "font_face": self.face,
            "font": Path(self.font_file).name,
            "text_color": list(self.text_color),
            "background": list(self.background),
            "dark": self.dark,
        }


@dataclass
class Word:
    text: str
    box: Box
    entity: int | None


@dataclass
class Entity:
    type: str
    value: str
    words: list[int] = field(default_factory=list)


@dataclass
class Piece:
    """Part of a word with one entity (or none), at a character offset in its word."""

    text: str
    entity: int | None
    offset: int = 0


@dataclass
class TextLine:
    """One line of words (each a list of pieces); ``last`` marks a paragraph's last line (never justified)."""

    words: list[list[Piece]]
    last: bool = True

    @property
    def text(self) -> str:
        return " ".join("".join(p.text for p in word) for word in self.words)


# ink mask threshold as a lookup table for Image.point
INK_LUT = [255 if v >= INK_THRESHOLD else 0 for v in range(256)]
_FONTS: dict[tuple[str, int], Font] = {}
_COVERAGE: dict[tuple[str, str], bool] = {}


def load_font(path: str, size: int) -> Font:
    key = (path, size)
    if key not in _FONTS:
        _FONTS[key] = ImageFont.truetype(str(FONT_ROOT / path), size)
    return _FONTS[key]


def _glyph_print(font: Font, char: str) -> bytes:
    image = Image.new("L", (96, 96), 0)
    ImageDraw.Draw(image).text((24, 16), char, font=font, fill=255)
    return image.tobytes() + str(font.getlength(char)).encode()


def covers(path: str, char: str) -> bool:
    """Whether the face has a glyph for ``char`` (its drawing differs from the missing-glyph box)."""
    key = (path, char)
    if key not in _COVERAGE:
        _COVERAGE[key] = char.isspace() or _glyph_print(load_font(path, 40), char) != _missing_print(path)
    return _COVERAGE[key]


_MISSING_PRINTS: dict[str, bytes] = {}


def _missing_print(path: str) -> bytes:
    if path not in _MISSING_PRINTS:
        _MISSING_PRINTS[path] = _glyph_print(load_font(path, 40), "\U0010fffd")
    return _MISSING_PRINTS[path]


class Page:
    """A page being drawn: the image plus the word pieces and entities on it."""

    def __init__(self, size: tuple[int, int], style: Style, background: RGB | None = None) -> None:
        self.style = style
        self.background = background or style.background
        self.image = Image.new("RGB", size, self.background)
        self.draw = ImageDraw.Draw(self.image)
        self.words: list[Word] = []
        self.entities: list[Entity] = []
        self._fallbacks = {style.font_file: style.fallback_file, style.bold_file: style.fallback_bold_file}

    def font(self, pt: float | None = None, *, bold: bool = False) -> Font:
        name = self.style.bold_file if bold else self.style.font_file
        return load_font(name, round((pt or self.style.font_pt) * self.style.dpi / 72))

    def segments(self, font: Font, text: str) -> list[tuple[Font, str]]:
        """``text`` cut into runs drawn with ``font`` or, for characters it lacks, with its fallback face."""
        path = str(Path(str(font.path)).relative_to(FONT_ROOT))
        fallback_path = self._fallbacks.get(path)
        if fallback_path is None or fallback_path == path or all(covers(path, c) for c in text):
            return [(font, text)]
        fallback = load_font(fallback_path, int(font.size))
        parts: list[tuple[Font, str]] = []
        for char in text:
            face = font if covers(path, char) else fallback
            if parts and parts[-1][0] is face:
                parts[-1] = (face, parts[-1][1] + char)
            else:
                parts.append((face, char))
        return parts

    def length(self, font: Font, text: str) -> float:
        return sum(face.getlength(part) for face, part in self.segments(font, text))

    def entity(self, entity_type: str, value: str) -> int:
        self.entities.append(Entity(entity_type, value))
        return len(self.entities) - 1

    def lines(self, runs: Sequence[Run] | str, font: Font, width: float | None = None) -> list[TextLine]:
        """Runs as wrapped lines (entities registered here)."""
        return self._wrap(self._words(runs, register=True), font, width)

    def measure(self, runs: Sequence[Run] | str, font: Font, width: float | None = None) -> tuple[float, int]:
        """The widest line and the number of lines ``runs`` would take (nothing registered or drawn)."""
        lines = self._wrap(self._words(runs, register=False), font, width)
        return max((self.length(font, line.text) for line in lines), default=0.0), len(lines)

    def write(
        self,
        x: float,
        y: float,
        runs: Sequence[Run] | str,
        font: Font,
        color: RGB | None = None,
        *,
        width: float | None = None,
        leading: float = 1.4,
        align: str = "left",
    ) -> float:
        """Draw runs from (x, y), wrapping at ``width``; returns the y below the last line."""
        for line in self.lines(runs, font, width):
            self.draw_line(x, y, line, font, color, width=width, align=align)
            y += font.size * leading
        return y

    def draw_line(
        self,
        x: float,
        y: float,
        line: TextLine,
        font: Font,
        color: RGB | None = None,
        *,
        width: float | None = None,
        align: str = "left",
    ) -> None:
        """Draw one line at (x, y): left, right or centre aligned in ``width``, or justified (not a last line)."""
        color = color or self.style.text_color
        text = line.text
        extra, left = 0.0, x
        if width and align != "left":
            slack = width - self.length(font, text)
            if align == "right":
                left += slack
            elif align == "center":
                left += slack / 2
            elif align == "justify" and not line.last and len(line.words) > 1:
                extra = max(0.0, slack) / (len(line.words) - 1)
        position = 0
        for index, word in enumerate(line.words):
            for piece in word:
                offset = self.length(font, text[: position + piece.offset])
                self._piece(left + offset + index * extra, y, piece, font, color)
            position += sum(len(p.text) for p in word) + 1

    def _words(self, runs: Sequence[Run] | str, *, register: bool) -> list[list[list[Piece]] | None]:
        """Runs as forced lines of words of pieces (entities registered if asked); None marks a blank line."""
        if isinstance(runs, str):
            runs = [(runs, None)]
        chars: list[tuple[str, int | None]] = []
        for number, (text, entity_type) in enumerate(runs):
            entity: int | None = None
            if entity_type and text.strip():
                entity = self.entity(entity_type, text.strip()) if register else -1 - number
            chars += [(c, entity) for c in text]
        lines: list[list[list[Piece]] | None] = []
        current: list[list[Piece]] = []
        word: list[Piece] = []
        for char, entity in [*chars, ("\n", None)]:
            if char.isspace():
                if word:
                    current.append(word)
                    word = []
                if char == "\n":
                    lines.append(current or None)
                    current = []
            elif word and word[-1].entity == entity:
                word[-1].text += char
            else:
                offset = sum(len(p.text) for p in word)
                word.append(Piece(char, entity, offset))
        return lines

    def _wrap(self, lines: list[list[list[Piece]] | None], font: Font, width: float | None) -> list[TextLine]:
        wrapped: list[TextLine] = []
        for words in lines:
            if words is None:
                wrapped.append(TextLine([]))
                continue
            line: list[list[Piece]] = []
            for whole in words:
                for word in self._break_word(whole, font, width):
                    if line and width and self.length(font, TextLine([*line, word]).text) > width:
                        wrapped.append(TextLine(line, last=False))
                        line = []
                    line.append(word)
            wrapped.append(TextLine(line))
        return wrapped

    def _break_word(self, word: list[Piece], font: Font, width: float | None) -> list[list[Piece]]:
        """A word wider than the line cut into chunks that fit, as apps and browsers break long URLs."""
        text = "".join(p.text for p in word)
        if not width or self.length(font, text) <= width:
            return [word]
        owner = [p for p in word for _ in p.text]  # the piece of each character
        chunks: list[list[Piece]] = []
        start = 0
        while start < len(text):
            end = start + 1
            while end < len(text) and self.length(font, text[start : end + 1]) <= width:
                end += 1
            chunk: list[Piece] = []
            for i in range(start, end):
                if chunk and chunk[-1].entity == owner[i].entity and owner[i] is owner[i - 1]:
                    chunk[-1].text += text[i]
                else:
                    chunk.append(Piece(text[i], owner[i].entity, i - start))
            chunks.append(chunk)
            start = end
        return chunks

    def _piece(self, x: float, y: float, piece: Piece, font: Font, color: RGB) -> None:
        """Draw one piece through its own glyph mask (on the main face's baseline, fallback glyphs included)
        and record the mask's ink box."""
        baseline = y + font.getmetrics()[0]
        parts, advance = [], 0.0
        for face, text in self.segments(font, piece.text):
            parts.append((face, text, advance, face.getbbox(text, anchor="ls")))
            advance += face.getlength(text)
        pad = 3
        left = min(math.floor(x + a + b[0]) for _, _, a, b in parts) - pad
        top = min(math.floor(baseline + b[1]) for *_, b in parts) - pad
        right = max(math.ceil(x + a + b[2]) for _, _, a, b in parts) + pad
        bottom = max(math.ceil(baseline + b[3]) for *_, b in parts) + pad
        mask = Image.new("L", (right - left, bottom - top), 0)
        draw = ImageDraw.Draw(mask)
        for face, text, start, _ in parts:
            draw.text((x + start - left, baseline - top), text, font=face, fill=255, anchor="ls")
        self.image.paste(color, (left, top), mask)
        ink = mask.point(INK_LUT).getbbox()
        if ink is None:
            return  # nothing visible (should not happen for real text)
        box = clip_box((left + ink[0], top + ink[1], left + ink[2], top + ink[3]), self.image.size)
        if box is None:
            return
        if piece.entity is not None:
            self.entities[piece.entity].words.append(len(self.words))
        self.words.append(Word(piece.text, box, piece.entity))

    def crop_height(self, height: float) -> None:
        height = min(self.image.height, math.ceil(height))
        self.image = self.image.crop((0, 0, self.image.width, height))
        self.draw = ImageDraw.Draw(self.image)


def clip_box(box: Sequence[float], size: tuple[int, int]) -> Box | None:
    x0, y0 = max(0, math.floor(box[0])), max(0, math.floor(box[1]))
    x1, y1 = min(size[0], math.ceil(box[2])), min(size[1], math.ceil(box[3]))
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


# ----------------------------------------------------------------------------------------- layouts


def build_letter(fab: Fabricator, style: Style) -> Page:
    rng = fab.rng
    width, margin = style.px(8.5), style.px(rng.uniform(0.75, 1.05))
    page = Page((width, style.px(16)), style)
    font = page.font()
    gap = font.size * 1.4
    sender, recipient = fab.person(), fab.person()
    y: float = margin
    company = rng.random() < 0.3  # a firm's letter: letterhead with its address, phone and website
    if company:
        y = letterhead(page, fab, margin, y, width - 2 * margin, fab.organization())
        page.draw.line([margin, y, width - margin, y], fill=style.accent, width=max(1, style.px(0.01)))
        y += gap * 0.5
    else:
        sender_lines: list[list[Run]] = [[(fab.full_name(sender), "PERSON")]]
        sender_lines += [[(line, "LOCATION")] for line in fab.address_lines(sender)]
        sender_lines += [[(fab.phone(sender), "PHONE_NUMBER")], [(sender.email, "EMAIL_ADDRESS")]]
        if rng.random() < 0.15:
            sender_lines.append([(fab.domain(), "URL")])
        widest = max(page.length(font, runs[0][0]) for runs in sender_lines)
        x_sender = (
            margin if rng.random() < 0.4 else max(margin, min(width * rng.uniform(0.5, 0.58), width - margin - widest))
        )
        for runs in sender_lines:
            y = page.write(x_sender, y, runs, font, width=width - margin - x_sender)
    dated: list[Run] = [(fab.date(date(2019, 1, 1), date(2026, 12, 31)), "DATE_TIME")]
    if rng.random() < 0.2:
        dated = [(rng.choice(LETTER_PLACES)(fab, sender), "LOCATION"), (", ", None), *dated]
    y = page.write(margin, y + gap, dated, font) + gap
    recipient_lines: list[list[Run]] = [[(fab.full_name(recipient), "PERSON")]]
    recipient_lines += [[(line, "LOCATION")] for line in fab.address_lines(recipient)]
    for runs in recipient_lines:
        y = page.write(margin, y, runs, font)
    greeting = (
        [("Dear ", None), (recipient.title, "TITLE"), (" ", None), (recipient.last, "PERSON"), (",", None)]
        if rng.random() < 0.6
        else [(rng.choice(["Hello ", "Dear ", "Hi "]), None), (recipient.first, "PERSON"), (",", None)]
    )
    if rng.random() < 0.3:
        reference: list[Run] = [(rng.choice(["Re: ", "Subject: ", "Our ref: ", "Your reference: "]), None)]
        reference.append(
            (rng.choice(LETTER_SUBJECTS), None) if rng.random() < 0.7 else (f"{rng.randrange(10**5, 10**7)}", None)
        )
        y = page.write(margin, y + gap * 0.6, reference, page.font(bold=True), width=width - 2 * margin)
    y = page.write(margin, y + gap, greeting, font) + gap * 0.5
    for _ in range(rng.randint(2, 3)):
        y = page.write(margin, y, paragraph(fab, rng.randint(1, 3), filler=0.15), font, width=width - 2 * margin)
        y += gap * 0.5
    closing = rng.choice(LETTER_CLOSINGS)
    y = page.write(margin, y + gap * 0.5, closing, font) + gap
    y = page.write(margin, y, [(fab.full_name(sender), "PERSON")], font)
    if rng.random() < 0.5 or company:
        y = page.write(margin, y, [(sender.job, "TITLE")], font)
    if company and rng.random() < 0.6:
        y = page.write(
            margin,
            y,
            [(rng.choice(["Direct line: ", "Tel. ", "Mobile: "]), None), (fab.phone(sender), "PHONE_NUMBER")],
            font,
        )
        y = page.write(margin, y, [(work_email(fab, sender, fab.organization()), "EMAIL_ADDRESS")], font)
    if rng.random() < 0.25:
        postscript = [("P.S. ", None), *fab.sentence(single_line=True, pool=DOC_TEMPLATES)]
        y = page.write(margin, y + gap * 0.6, postscript, font, width=width - 2 * margin)
    page.crop_height(y + margin)
    return page


LETTER_CLOSINGS = [
    "Yours truly,", "Sincerely,", "Kind regards,", "Best wishes,", "Yours faithfully,", "Regards,",
    "With best regards,", "Yours sincerely,", "Warm regards,", "Many thanks,",
]  # fmt: skip
LETTER_PLACES: list[Callable[[Fabricator, Person], str]] = [lambda f, p: p.city, lambda f, p: f.faker().city()]
LETTER_SUBJECTS = [
    "Your application", "Change of address", "Outstanding balance", "Tenancy renewal", "Appointment confirmation",
    "Insurance claim", "Account closure", "Reference request", "Complaint", "Membership renewal",
    "Annual statement", "Job offer", "Planning permission", "Refund request",
]  # fmt: skip


FormField = tuple[list[str], Callable[[Fabricator, Person], list[Run]]]  # label wordings, value
FORM_FIELDS: list[FormField] = [
    (["Date of birth", "DOB", "Birth date", "D.O.B.", "Date of Birth (MM/DD/YYYY)"],
     lambda f, p: [(f.birthday(p), "DATE_OF_BIRTH")]),
    (["Age", "Age (years)", "Current age"], lambda f, p: [(str(p.age), "AGE")]),
    (["Social Security No.", "SSN", "Social security number", "SSN / TIN"], lambda f, p: [(f.ssn(), "US_SSN")]),
    (["Passport number", "Passport No.", "Passport #"], lambda f, p: [(f.passport(), "US_PASSPORT")]),
    (["Driver's license", "Driver license no.", "DL number", "Driving licence"],
     lambda f, p: [(f.driver_license(), "US_DRIVER_LICENSE")]),
    (["Credit card", "Card number", "Card no.", "Credit/debit card"], lambda f, p: [(f.credit_card(), "CREDIT_CARD")]),
    (["IBAN", "IBAN / account", "Bank account (IBAN)"], lambda f, p: [(f.iban(), "IBAN_CODE")]),
    (["Bank account", "Account number", "Account no.", "Checking account"],
     lambda f, p: [(f.bank_account(), "US_BANK_NUMBER")]),
    (["Routing number", "ABA routing no.", "Routing #"], lambda f, p: [(f.routing(), "ROUTING_NUMBER")]),
    (["Email", "E-mail", "Email address", "E-mail address"], lambda f, p: [(p.email, "EMAIL_ADDRESS")]),
    (["Phone", "Telephone", "Mobile", "Daytime phone", "Contact number", "Cell"],
     lambda f, p: [(f.phone(p), "PHONE_NUMBER")]),
    (["Home address", "Street address", "Address", "Residential address"], lambda f, p: [(p.street, "LOCATION")]),
    (["City / State / ZIP", "Town / Postcode", "City, postal code"], lambda f, p: [(f.city_line(p), "LOCATION")]),
    (["Employer", "Company", "Organisation"], lambda f, p: [(p.company, "ORGANIZATION")]),
    (["Occupation", "Job title", "Profession"], lambda f, p: [(p.job, "TITLE")]),
    (["Wallet address", "Crypto wallet", "BTC address", "Payout wallet"], lambda f, p: [(f.crypto(), "CRYPTO")]),
    (["ETH address", "Ethereum wallet"], lambda f, p: [(f.eth(), "CRYPTO")]),
    (["NHS number", "NHS No."], lambda f, p: [(f.nhs(), "UK_NHS")]),
    (["Prescriber DEA no.", "DEA registration", "DEA #"], lambda f, p: [(f.medical_license(p), "MEDICAL_LICENSE")]),
    (["Last login IP", "IP address", "Registered from IP", "Device IP"], lambda f, p: [(f.ip_address(), "IP_ADDRESS")]),
    (["Server IPv6", "IPv6 address"], lambda f, p: [(f.ipv6(), "IP_ADDRESS")]),
    (["Website", "Web site", "Homepage", "Company website"], lambda f, p: [(f.domain(), "URL")]),
    (["Profile URL", "Portfolio link", "Callback URL", "LinkedIn"], lambda f, p: [(f.url(), "URL")]),
    (["Date signed", "Date", "Application date", "Effective date"], lambda f, p: [(f.date(), "DATE_TIME")]),
    (["Nationality", "Citizenship"], lambda f, p: [(f.nationality(), "NRP")]),
    (["Medical record no.", "MRN", "Patient ID"],
     lambda f, p: [(f"MRN-{f.rng.randrange(10**6, 10**7)}", "MEDICAL_RECORD_NUMBER")]),
    (["Emergency contact", "Next of kin", "Contact person"], lambda f, p: [(f.full_name(f.person()), "PERSON")]),
    (["Preferred name", "Known as", "Nickname"], lambda f, p: [(f.nickname(p), "PERSON")]),
    (["Mailing address", "Correspondence address"], lambda f, p: [(f.one_line_address(p), "LOCATION")]),
]  # fmt: skip
FORM_TITLES = [
    "Account Application", "Change of Details Request", "Patient Registration", "Customer Onboarding Form",
    "Insurance Claim Form", "Tenancy Application", "Membership Form", "Direct Debit Mandate",
    "Know Your Customer (KYC)", "Vendor Registration", "Volunteer Sign-up", "Loan Application", "IT Access Request",
    "Exchange Account Verification",
]  # fmt: skip


def build_form(fab: Fabricator, style: Style) -> Page:
    rng = fab.rng
    width, margin = style.px(8.5), style.px(rng.uniform(0.75, 1.0))
    page = Page((width, style.px(16)), style)
    font, small = page.font(), page.font(style.font_pt * 0.8)
    person = fab.person()
    y = page.write(margin, margin, rng.choice(FORM_TITLES), page.font(style.font_pt * 1.7, bold=True), style.accent)
    y += font.size
    name_label = rng.choice(["Full name", "Name", "Applicant name", "Name of applicant", "Customer name"])
    fields: list[tuple[str, list[Run]]] = [(name_label, fab.name_runs(person, formal=True))]
    fields += [(rng.choice(names), make(fab, person)) for names, make in rng.sample(FORM_FIELDS, rng.randint(7, 12))]
    content = width - 2 * margin
    if rng.random() < 0.5:
        y = form_rows(page, fields, margin, y, content, font, rng.choice([":", ""]))
    else:
        y = form_grid(page, fields, margin, y, content, font, small)
    comments = rng.choice(["Comments:", "Additional information:", "Notes:", "Reason for request:", "Remarks:"])
    y = page.write(margin, y + font.size * 0.6, comments, page.font(bold=True)) + font.size * 0.2
    y = page.write(margin, y, paragraph(fab, rng.randint(1, 2)), font, width=content)
    page.crop_height(y + margin)
    return page


def form_rows(
    page: Page, fields: list[tuple[str, list[Run]]], x: int, y: float, width: int, font: Font, colon: str
) -> float:
    """Label: value rows, the values in a column."""
    column = x + max(page.length(font, name + colon) for name, _ in fields) + font.size * 1.5
    for name, value in fields:
        page.write(x, y, name + colon, font)
        y = page.write(column, y, value, font, width=x + width - column) + font.size * 0.75
    return y


def form_grid(
    page: Page, fields: list[tuple[str, list[Run]]], x: int, y: float, width: int, font: Font, small: Font
) -> float:
    """Boxed cells, two per row, a small label above each value; wide values get a full row."""
    cell_h = small.size * 1.5 + font.size * 1.6
    half = (width - font.size * 0.5) / 2
    pad = font.size * 0.3
    column = 0
    for name, value in fields:
        wide = page.length(font, "".join(t for t, _ in value)) > half - 2 * pad
        if wide and column:
            y, column = y + cell_h + pad, 0
        cell_w = width if wide else half
        left = x + column * (half + font.size * 0.5)
        page.draw.rectangle(
            [left, y, left + cell_w, y + cell_h], outline=(120, 120, 120), width=max(1, int(font.size // 20))
        )
        page.write(left + pad, y + pad, name, small)
        page.write(left + pad, y + pad + small.size * 1.4, value, font)
        if wide or column:
            y, column = y + cell_h + pad, 0
        else:
            column = 1
    return y + (cell_h + pad if column else 0)


def build_invoice(fab: Fabricator, style: Style) -> Page:
    rng = fab.rng
    width, margin = style.px(8.5), style.px(rng.uniform(0.75, 1.0))
    page = Page((width, style.px(16)), style)
    font, bold = page.font(), page.font(bold=True)
    content = width - 2 * margin
    customer = fab.person()
    company_font = page.font(style.font_pt * 1.5, bold=True)
    page.write(
        margin, margin, [(fab.faker().company(), "ORGANIZATION")], company_font, style.accent, width=content * 0.6
    )
    page.write(margin, margin, "INVOICE", page.font(style.font_pt * 1.9, bold=True), width=content, align="right")
    y0 = margin + font.size * 4
    right = margin + content * 0.55
    y = page.write(margin, y0, rng.choice(["Bill to:", "Billed to:", "Invoice to:", "Customer:", "Sold to:"]), bold)
    bill: list[list[Run]] = [[(fab.full_name(customer), "PERSON")]]
    bill += [[(line, "LOCATION")] for line in fab.address_lines(customer)[:2]]
    bill += [[(customer.email, "EMAIL_ADDRESS")], [(fab.phone(customer), "PHONE_NUMBER")]]
    for runs in bill:
        y = page.write(margin, y, runs, font, width=content * 0.52)
    meta: list[list[Run]] = [
        [(f"{rng.choice(['Invoice No:', 'Invoice #', 'Number:'])} INV-{rng.randrange(10000, 99999)}", None)],
        [("Date: ", None), (fab.date(date(2020, 1, 1), date(2026, 12, 31)), "DATE_TIME")],
        [("Due date: ", None), (fab.date(date(2020, 1, 1), date(2026, 12, 31)), "DATE_TIME")],
    ]
    y_meta = y0
    for runs in meta:
        y_meta = page.write(right, y_meta, runs, font)
    y = invoice_table(page, fab, margin, y + font.size * 1.5, content, font, bold)
    y = page.write(margin, y + font.size, invoice_payment(fab, customer), font, width=content)
    y = page.write(margin, y + font.size, paragraph(fab, rng.randint(1, 2)), font, width=content)
    if rng.random() < 0.6:
        seller = fab.person()
        footer: list[Run] = [(rng.choice(["Questions? ", "Contact: ", ""]), None), (fab.phone(seller), "PHONE_NUMBER")]
        footer += [(" | ", None), (work_email(fab, seller, fab.organization()), "EMAIL_ADDRESS"), (" | ", None)]
        footer += [(fab.domain() if rng.random() < 0.7 else fab.url(), "URL")]
        y = page.write(margin, y + font.size, footer, page.font(style.font_pt * 0.85), width=content, align="center")
    page.crop_height(y + margin)
    return page


def invoice_table(page: Page, fab: Fabricator, x: int, y: float, width: int, font: Font, bold: Font) -> float:
    """Item rows (no PII) between rules, and the total."""
    rng, rule = fab.rng, (130, 130, 150)
    columns = [x, x + width * 0.52, x + width * 0.62, x + width * 0.82]
    thickness = max(1, int(font.size // 25))
    page.draw.line([x, y, x + width, y], fill=rule, width=thickness)
    y += font.size * 0.35
    for text, left in zip(["Description", "Qty", "Price", "Amount"], columns, strict=True):
        page.write(left, y, text, bold)
    y += font.size * 1.45
    page.draw.line([x, y, x + width, y], fill=rule, width=thickness)
    y += font.size * 0.35
    total = 0.0
    for _ in range(rng.randint(2, 6)):
        quantity, price = rng.randint(1, 9), round(rng.uniform(5, 900), 2)
        total += quantity * price
        bottom = page.write(x, y, fab.faker().catch_phrase(), font, width=columns[1] - x - font.size, leading=1.3)
        for text, left in zip([str(quantity), f"{price:,.2f}", f"{quantity * price:,.2f}"], columns[1:], strict=True):
            page.write(left, y, text, font)
        y = max(bottom, y + font.size * 1.3) + font.size * 0.15
    page.draw.line([x, y, x + width, y], fill=rule, width=thickness)
    y += font.size * 0.6
    page.write(x, y, f"Total due: ${total:,.2f}", bold, width=width, align="right")
    return y + font.size * 1.6


def invoice_payment(fab: Fabricator, customer: Person) -> list[Run]:
    choice = fab.rng.randrange(4)
    if choice == 0:
        return [("Paid with card: ", None), (fab.credit_card(), "CREDIT_CARD")]
    if choice == 1:
        return [("Please pay to IBAN ", None), (fab.iban(), "IBAN_CODE"), (" within 30 days.", None)]
    if choice == 2:
        return [
            ("Account number: ", None),
            (fab.bank_account(), "US_BANK_NUMBER"),
            ("   Routing number: ", None),
            (fab.routing(), "ROUTING_NUMBER"),
        ]
    if fab.rng.random() < 0.5:
        return [("Crypto payments accepted at ", None), (fab.crypto(), "CRYPTO")]
    return [("Pay online at ", None), (fab.url(), "URL"), (" or send ETH/USDT to ", None), (fab.eth(), "CRYPTO")]


CARD_KINDS: list[tuple[str, str, Callable[[Fabricator, Person], str], str]] = [
    ("IDENTIFICATION CARD", "NO", lambda f, p: f.driver_license(), "US_DRIVER_LICENSE"),
    ("DRIVER LICENSE", "DL", lambda f, p: f.driver_license(), "US_DRIVER_LICENSE"),
    ("PASSPORT CARD", "NO", lambda f, p: f.passport(), "US_PASSPORT"),
    ("HEALTH CARD", "NHS NO", lambda f, p: f.nhs(), "UK_NHS"),
    ("PRACTITIONER LICENSE", "DEA NO", lambda f, p: f.medical_license(p), "MEDICAL_LICENSE"),
    ("EMPLOYEE ID", "STAFF NO", lambda f, p: f"{f.rng.randrange(10**5, 10**7)}", "ID_NUMBER"),
    ("RESIDENCE PERMIT", "DOC NO", lambda f, p: f.passport(), "US_PASSPORT"),
    ("STUDENT CARD", "ID", lambda f, p: f"S{f.rng.randrange(10**6, 10**8)}", "ID_NUMBER"),
]


def build_id_card(fab: Fabricator, style: Style) -> Page:
    rng = fab.rng
    person = fab.person()
    title, number_label, make_number, number_type = rng.choice(CARD_KINDS)
    address = fab.address_lines(person)[:2]
    surname_first = rng.random() < 0.5
    fields: list[tuple[str, list[Run], bool]] = [
        (number_label, [(make_number(fab, person), number_type)], True),
        ("LN" if surname_first else "SURNAME", [(person.last, "PERSON")], True),
        ("FN" if surname_first else "GIVEN NAMES", [(person.first, "PERSON")], True),
        ("DOB", [(fab.birthday(person), "DATE_OF_BIRTH")], False),
        ("ADDRESS", [(address[0], "LOCATION"), ("\n", None), (address[1], "LOCATION")], False),
        ("ISS", [(fab.date(date(2016, 1, 1), date(2024, 12, 31)), "DATE_TIME")], False),
        ("EXP", [(fab.date(date(2025, 1, 1), date(2032, 12, 31)), "DATE_TIME")], False),
    ]
    if rng.random() < 0.5:
        fields.insert(4, ("SEX", [(person.gender[0].upper(), None)], False))
    scratch = Page((10, 10), style)
    value_font, bold_font, label_font = scratch.font(), scratch.font(bold=True), scratch.font(style.font_pt * 0.72)
    title_font = scratch.font(style.font_pt * 1.15, bold=True)
    value_width = max(
        (bold_font if bold else value_font).getlength(line)
        for _, runs, bold in fields
        for line in "".join(t for t, _ in runs).split("\n")
    )
    frame, pad = style.px(rng.uniform(0.12, 0.3)), style.px(0.14)
    photo = (style.px(0.75), style.px(0.95))
    header = round(value_font.size * 2.4)
    card_w = max(style.px(2.9), round(pad * 3 + photo[0] + value_width), round(title_font.getlength(title) + 2 * pad))
    rows = sum(1 + "".join(t for t, _ in runs).count("\n") for _, runs, _ in fields)
    card_h = round(header + pad * 1.5 + len(fields) * label_font.size * 1.3 + rows * value_font.size * 1.3 + pad)
    table = rng.choice([(85, 85, 95), (70, 60, 50), (120, 125, 130)])
    page = Page((card_w + 2 * frame, card_h + 2 * frame), style, background=table)
    tint = tuple(round(0.85 * c + 0.15 * a) for a, c in zip(style.accent, (235, 245, 240), strict=True))
    radius = style.px(0.1)
    page.draw.rounded_rectangle([frame, frame, frame + card_w, frame + card_h], radius, fill=tint)
    page.draw.rounded_rectangle([frame, frame, frame + card_w, frame + header], radius, fill=style.accent)
    page.draw.rectangle([frame, frame + header - radius, frame + card_w, frame + header], fill=style.accent)
    title_width = title_font.getlength(title)
    page.write(
        frame + (card_w - title_width) / 2,
        frame + (header - title_font.size * 1.15) / 2,
        title,
        title_font,
        (255, 255, 255),
    )
    px0, py0 = frame + pad, frame + header + pad
    page.draw.rectangle([px0, py0, px0 + photo[0], py0 + photo[1]], fill=(160, 165, 175))
    page.draw.ellipse(
        [px0 + photo[0] * 0.25, py0 + photo[1] * 0.2, px0 + photo[0] * 0.75, py0 + photo[1] * 0.6], fill=(120, 125, 135)
    )
    x, y = float(px0 + photo[0] + pad), float(py0)
    for name, runs, bold in fields:
        y = page.write(x, y, name, label_font, style.accent, leading=1.3)
        y = page.write(x, y, runs, page.font(bold=bold), (25, 25, 30), leading=1.3)
    return page


def build_email(fab: Fabricator, style: Style) -> Page:
    rng = fab.rng
    width, margin = style.px(rng.uniform(6.0, 7.2)), style.px(0.22)
    page = Page((width, style.px(14)), style)
    font, small = page.font(), page.font(style.font_pt * 0.85)
    bar = round(font.size * 2.2)
    page.draw.rectangle([0, 0, width, bar], fill=style.accent)
    page.write(
        margin,
        (bar - font.size * 1.1) / 2,
        rng.choice(["Inbox", "Mail", "Messages"]),
        page.font(bold=True),
        (255, 255, 255),
    )
    y: float = bar + font.size * 0.8
    content = width - 2 * margin
    y = page.write(
        margin,
        y,
        fab.sentence(max_chars=80, single_line=True),
        page.font(style.font_pt * 1.15, bold=True),
        width=content,
    )
    sender, recipient = fab.person(), fab.person()
    headers: list[list[Run]] = [
        [
            ("From: ", None),
            (fab.full_name(sender), "PERSON"),
            (" <", None),
            (sender.email, "EMAIL_ADDRESS"),
            (">", None),
        ],
        [
            ("To: ", None),
            (fab.full_name(recipient), "PERSON"),
            (" <", None),
            (recipient.email, "EMAIL_ADDRESS"),
            (">", None),
        ],
    ]
    if rng.random() < 0.3:
        cc = fab.person()
        headers.append([("Cc: ", None), (cc.email, "EMAIL_ADDRESS")])
    headers.append([(rng.choice(["Date: ", "Sent: "]), None), (fab.date_time(), "DATE_TIME")])
    if rng.random() < 0.25:
        headers.append([("Reply-To: ", None), (fab.person().email, "EMAIL_ADDRESS")])
    y += font.size * 0.3
    for runs in headers:
        y = page.write(margin, y, runs, small, width=content, leading=1.6)
    page.draw.line([margin, y, width - margin, y], fill=style.accent, width=max(1, int(font.size // 20)))
    y += font.size * 0.8
    y = page.write(
        margin, y, [(rng.choice(["Hi ", "Hello ", "Dear "]), None), (recipient.first, "PERSON"), (",", None)], font
    )
    y += font.size * 0.5
    if rng.random() < 0.15:  # a sign-in alert
        alert: list[Run] = [("We noticed a new sign-in to your account from ", None), (fab.ip_address(), "IP_ADDRESS")]
        alert += [(" near ", None), (fab.person().city, "LOCATION"), (" on ", None), (fab.date_time(), "DATE_TIME")]
        alert += [(". If this wasn't you, reset your password at ", None), (fab.url(), "URL"), (".", None)]
        y = page.write(margin, y, alert, font, width=content) + font.size * 0.5
    for _ in range(rng.randint(1, 3)):
        y = page.write(margin, y, paragraph(fab, rng.randint(1, 2), filler=0.1), font, width=content) + font.size * 0.5
    y = page.write(margin, y, rng.choice(["--", "Best,", "Thanks,", "Cheers,", "Regards,"]), small, leading=1.6)
    signature: list[list[Run]] = [
        [(fab.full_name(sender), "PERSON")],
        [(sender.job, "TITLE")],
        [(fab.phone(sender), "PHONE_NUMBER")],
    ]
    extras: list[list[Run]] = [
        [(fab.domain() if rng.random() < 0.6 else fab.url(), "URL")],
        [(fab.one_line_address(sender), "LOCATION")],
        [(rng.choice(["Mobile: ", "M: ", "Cell "]), None), (fab.phone(sender), "PHONE_NUMBER")],
    ]
    signature += rng.sample(extras, rng.randint(0, 2))
    for runs in signature[: rng.randint(2, len(signature))]:
        y = page.write(margin, y, runs, small, leading=1.6, width=content)
    if rng.random() < 0.3:  # the message this one replies to
        y += font.size * 0.6
        earlier = fab.person()
        quoted: list[Run] = [
            ("On ", None),
            (fab.date_time(), "DATE_TIME"),
            (", ", None),
            (fab.full_name(earlier), "PERSON"),
        ]
        quoted += [(" <", None), (earlier.email, "EMAIL_ADDRESS"), ("> wrote:", None)]
        y = page.write(margin, y, quoted, small, width=content, leading=1.5)
        y = page.write(
            margin + font.size,
            y,
            paragraph(fab, rng.randint(1, 2), filler=0.2),
            small,
            (110, 110, 110) if not style.dark else (170, 170, 170),
            width=content - font.size,
        )
    elif rng.random() < 0.2:
        y = page.write(
            margin,
            y + font.size * 0.4,
            rng.choice(["Sent from my iPhone", "Sent from Outlook for Android", "Get Outlook for iOS"]),
            small,
            width=content,
        )
    page.crop_height(y + margin)
    return page


# ------------------------------------------------------------------------------------------- chats


@dataclass(frozen=True)
class ChatTheme:
    """A messaging app's colours; ``bubbles`` False is a team-chat look (avatar, name, time, text)."""

    dark: bool
    background: RGB
    bar: RGB
    bar_text: RGB
    text: RGB
    meta: RGB
    incoming: RGB
    outgoing: RGB
    outgoing_text: RGB
    bubbles: bool = True


CHAT_THEMES = [  # dark, background, bar, bar text, text, meta, incoming, outgoing, outgoing text
    ChatTheme(False, (236, 229, 221), (0, 128, 105), (255, 255, 255), (17, 27, 33),
              (102, 119, 129), (255, 255, 255), (217, 253, 211), (17, 27, 33)),
    ChatTheme(False, (255, 255, 255), (246, 246, 246), (0, 0, 0), (0, 0, 0),
              (142, 142, 147), (233, 233, 235), (0, 122, 255), (255, 255, 255)),
    ChatTheme(False, (214, 226, 200), (81, 125, 162), (255, 255, 255), (0, 0, 0),
              (100, 130, 95), (255, 255, 255), (239, 253, 222), (0, 0, 0)),
    ChatTheme(False, (255, 255, 255), (255, 255, 255), (0, 0, 0), (20, 20, 20),
              (120, 120, 120), (233, 233, 233), (44, 107, 237), (255, 255, 255)),
    ChatTheme(False, (255, 255, 255), (74, 21, 75), (255, 255, 255), (29, 28, 29),
              (97, 96, 97), (255, 255, 255), (255, 255, 255), (29, 28, 29), bubbles=False),
    ChatTheme(True, (11, 20, 26), (32, 44, 51), (233, 237, 239), (233, 237, 239),
              (134, 150, 160), (32, 44, 51), (0, 92, 75), (233, 237, 239)),
    ChatTheme(True, (12, 12, 14), (28, 28, 30), (255, 255, 255), (255, 255, 255),
              (142, 142, 147), (38, 38, 41), (10, 132, 255), (255, 255, 255)),
    ChatTheme(True, (14, 22, 33), (23, 33, 43), (255, 255, 255), (245, 245, 245),
              (110, 130, 150), (24, 37, 51), (43, 82, 120), (255, 255, 255)),
    ChatTheme(True, (26, 29, 33), (25, 23, 28), (255, 255, 255), (209, 210, 211),
              (171, 171, 173), (26, 29, 33), (26, 29, 33), (209, 210, 211), bubbles=False),
]  # fmt: skip
AVATAR_COLORS: list[RGB] = [
    (229, 57, 53),
    (30, 136, 229),
    (67, 160, 71),
    (142, 36, 170),
    (251, 140, 0),
    (0, 137, 123),
    (94, 53, 177),
    (216, 27, 96),
]
NAME_COLORS = {
    False: [(200, 40, 40), (25, 110, 200), (40, 140, 60), (130, 40, 160), (200, 110, 0), (0, 120, 110)],
    True: [(255, 130, 120), (110, 180, 255), (120, 220, 130), (210, 150, 255), (255, 190, 90), (80, 210, 200)],
}
GROUP_NAMES = ["Book club", "Family", "Flatmates", "Weekend plans", "Team standup", "Project Falcon", "Football lads",
               "Mums & dads", "Office", "Trip planning", "Neighbours", "Dev ops", "Birthday surprise",
               "Choir"]  # fmt: skip
CHAT_PROMPTS = ["Message", "Type a message", "Write a message...", "iMessage", "Aa", "Send a message", "Reply..."]
CARRIERS = ["Vodafone", "EE", "T-Mobile", "O2", "Orange", "Verizon", "AT&T", "Telekom", "Movistar", "KPN"]


@dataclass
class ChatMember:
    person: Person
    display: list[Run]  # how the app shows the name
    initials: str
    color: int


def chat_member(fab: Fabricator, person: Person, index: int) -> ChatMember:
    """A contact as the app shows it: full name, first name alone, nickname, or first name and initial."""
    choice = fab.rng.random()
    if choice < 0.4:
        display: list[Run] = [(fab.full_name(person), "PERSON")]
    elif choice < 0.7:
        display = [(person.first, "PERSON")]
    elif choice < 0.85:
        display = [(fab.nickname(person), "PERSON")]
    else:
        display = [(person.first, "PERSON"), (" ", None), (f"{person.last[:1]}.", "PERSON")]
    initials = (person.first[:1] + person.last[:1]).upper() if fab.rng.random() < 0.8 else person.first[:1].upper()
    return ChatMember(person, display, initials, index)


def chat_message(fab: Fabricator, others: list[ChatMember]) -> list[Run]:
    """A message: personal data (half of them), small talk, or small talk addressed to another member by name."""
    rng = fab.rng
    draw = rng.random()
    if draw < 0.5:
        return fab.sentence(pool=CHAT_TEMPLATES)
    if draw < 0.65:
        member = rng.choice(others)
        name = rng.choice([member.person.first, fab.nickname(member.person)])
        talk = rng.choice(CHAT_SMALL_TALK)
        if rng.random() < 0.5:
            return [(name, "PERSON"), (", ", None), (talk, None)]
        return [(talk.rstrip("!?.") + " ", None), (name, "PERSON")]
    return [(rng.choice(CHAT_SMALL_TALK), None)]


def draw_avatar(page: Page, x: float, y: float, size: float, member: ChatMember, *, square: bool = False) -> None:
    """A coloured circle (or rounded square) with the member's initials (a neutral INITIALS entity)."""
    color = AVATAR_COLORS[member.color % len(AVATAR_COLORS)]
    if square:
        page.draw.rounded_rectangle([x, y, x + size, y + size], size * 0.15, fill=color)
    else:
        page.draw.ellipse([x, y, x + size, y + size], fill=color)
    font = load_font(page.style.bold_file, max(8, round(size * 0.4)))
    width = page.length(font, member.initials)
    cap = -font.getbbox("H", anchor="ls")[1]
    top = y + size / 2 + cap / 2 - font.getmetrics()[0]
    page.write(x + (size - width) / 2, top, [(member.initials, "INITIALS")], font, (255, 255, 255))


def chat_day_labels(fab: Fabricator) -> tuple[list[Run], list[Run]]:
    """The date separators of a conversation: its first day and a later one ('Yesterday' then 'Today',
    two weekdays, or two dates in the app's format)."""
    rng = fab.rng
    draw = rng.random()
    if draw < 0.25:
        upper = rng.random() < 0.3
        return [("YESTERDAY" if upper else "Yesterday", None)], [("TODAY" if upper else "Today", None)]
    day = fab.faker().date_between(date(2021, 1, 1), date(2026, 6, 30))
    later = day + timedelta(days=rng.randint(1, 3))
    if draw < 0.4:
        return [(day.strftime("%A"), "DATE_TIME")], [(later.strftime("%A"), "DATE_TIME")]
    fmt = rng.choice(["%d %B %Y", "%B %d, %Y", "%a, %d %b", "%A, %B %d", "%d/%m/%Y", "%b %d, %Y", "mdy"])
    return [(format_date(day, fmt), "DATE_TIME")], [(format_date(later, fmt), "DATE_TIME")]


def build_chat(fab: Fabricator, style: Style) -> Page:
    rng = fab.rng
    theme = rng.choice([t for t in CHAT_THEMES if t.dark == style.dark])
    style = replace(style, text_color=theme.text, background=theme.background, dark=theme.dark)
    desktop = rng.random() < 0.3
    width = style.px(rng.uniform(7.2, 9.0) if desktop else rng.uniform(3.3, 4.3))
    target = style.px(rng.uniform(5.2, 6.8)) if desktop else round(width * rng.uniform(1.75, 2.15))
    page = Page((width, target * 2), style)
    font = page.font()
    small, bold = page.font(style.font_pt * 0.72), page.font(style.font_pt * 0.88, bold=True)
    em = font.size
    group = rng.random() < (0.55 if not theme.bubbles else 0.35)
    members = [chat_member(fab, fab.person(), i) for i in range(rng.randint(2, 4) if group else 1)]
    me = chat_member(fab, fab.person(), len(members))
    twelve_hour = rng.random() < 0.45
    pane = 0.0
    if desktop:
        pane = round(width * rng.uniform(0.28, 0.34))
        chat_sidebar(page, fab, theme, members, twelve_hour, pane, target, font, small, bold)
    y = 0.0
    if not desktop:
        y = chat_status_bar(page, fab, theme, em)
    y = chat_header(page, fab, theme, members, group, twelve_hour, pane, y, em, small)
    y += em * 0.6
    clock = datetime(2024, 1, 1, rng.randrange(7, 20), rng.randrange(60))
    days = list(chat_day_labels(fab))
    y = chat_date_pill(page, theme, days.pop(0), pane, y, small)
    previous: ChatMember | None = None
    said: set[tuple[str, ...]] = set()
    while y < target - em * 4:
        sender = me if rng.random() < 0.45 else rng.choice(members)
        if days and rng.random() < 0.07:
            y = chat_date_pill(page, theme, days.pop(0), pane, y + em * 0.3, small)
            previous = None
        clock += timedelta(minutes=rng.choice([0, 1, 1, 2, 3, 5, 12, 40]))
        stamp = clock_text(clock, twelve_hour)
        for _ in range(6):  # people rarely send the same words twice in one screen
            message = chat_message(fab, [m for m in [*members, me] if m is not sender])
            shape = tuple(text for text, kind in message if kind is None)
            if shape not in said:
                break
        said.add(shape)
        y += em * (0.25 if sender is previous else 0.6)
        if theme.bubbles:
            y = chat_bubble(page, theme, sender, sender is me, group, previous is not sender, message, stamp,
                            pane, y, font, small, bold)  # fmt: skip
        else:
            y = chat_post(page, fab, theme, sender, previous is not sender, message, stamp, pane, y, font, small, bold)
        previous = sender
    y = chat_input_bar(page, fab, theme, members, group, pane, y + em * 0.8, small, font)
    page.crop_height(y)
    return page


def clock_text(moment: datetime, twelve_hour: bool) -> str:
    return moment.strftime("%I:%M %p").lstrip("0") if twelve_hour else moment.strftime("%H:%M")


def chat_status_bar(page: Page, fab: Fabricator, theme: ChatTheme, em: float) -> float:
    """A phone's status bar: clock (TIME_OF_DAY), carrier, signal and battery."""
    width, height = page.image.width, em * 1.7
    page.draw.rectangle([0, 0, width, height], fill=theme.bar)
    small = load_font(page.style.bold_file, round(em * 0.7))
    clock = f"{fab.rng.randint(6, 23)}:{fab.rng.randrange(60):02d}"
    page.write(em * 0.8, (height - small.size * 1.15) / 2, [(clock, "TIME_OF_DAY")], small, theme.bar_text)
    if fab.rng.random() < 0.4:
        page.write(em * 3.6, (height - small.size * 1.15) / 2, fab.rng.choice(CARRIERS), small, theme.bar_text)
    right = width - em * 0.8
    page.draw.rounded_rectangle(
        [right - em * 1.3, height * 0.32, right, height * 0.68], em * 0.12, outline=theme.bar_text, width=2
    )
    page.draw.rectangle([right - em * 1.2, height * 0.38, right - em * 0.5, height * 0.62], fill=theme.bar_text)
    for i in range(4):
        x = right - em * 2.9 + i * em * 0.28
        page.draw.rectangle([x, height * (0.62 - 0.07 * (i + 1)), x + em * 0.18, height * 0.68], fill=theme.bar_text)
    return height


def chat_header(
    page: Page, fab: Fabricator, theme: ChatTheme, members: list[ChatMember], group: bool, twelve_hour: bool,
    left: float, y: float, em: float, small: Font,
) -> float:  # fmt: skip
    """The conversation's title bar: avatar, name (or group name and members), status line."""
    rng, width = fab.rng, page.image.width
    height = em * 3.2
    page.draw.rectangle([left, y, width, y + height], fill=theme.bar)
    page.draw.line([left, y + height, width, y + height], fill=theme.meta, width=1)
    x = left + em * 0.6
    if not left:  # the back chevron of a phone app
        page.draw.line([x + em * 0.45, y + height * 0.3, x, y + height * 0.5, x + em * 0.45, y + height * 0.7],
                       fill=theme.bar_text, width=max(2, round(em / 10)))  # fmt: skip
        x += em * 1.0
    size = em * 2.1
    title_font = load_font(page.style.bold_file, round(em * 1.05))
    if group:
        page.draw.ellipse([x, y + (height - size) / 2, x + size, y + (height + size) / 2], fill=AVATAR_COLORS[-1])
        title: list[Run] = [(rng.choice(GROUP_NAMES), None)]
        subtitle: list[Run] = []
        for member in members:
            subtitle += [(member.person.first, "PERSON"), (", ", None)]
        subtitle.append(("You", None))
    else:
        member = members[0]
        draw_avatar(page, x, y + (height - size) / 2, size, member)
        unsaved = rng.random() < 0.15
        title = [(fab.phone(member.person), "PHONE_NUMBER")] if unsaved else member.display
        draw = rng.random()
        if unsaved and rng.random() < 0.6:
            subtitle = [("~", None), (member.person.first, "PERSON")]
        elif draw < 0.35:
            subtitle = [("online", None)]
        elif draw < 0.75:
            seen = rng.choice(["last seen today at ", "last seen yesterday at ", "Active at ", "last seen "])
            subtitle = [(seen, None),
                        (clock_text(datetime(2024, 1, 1, rng.randrange(24), rng.randrange(60)), twelve_hour),
                         "TIME_OF_DAY")]  # fmt: skip
        elif draw < 0.85:
            subtitle = [("typing...", None)]
        else:
            subtitle = []
    x += size + em * 0.5
    text_top = y + height / 2 - (title_font.size * 1.25 if subtitle else title_font.size * 0.6)
    page.write(x, text_top, title, title_font, theme.bar_text, width=width - x - em * 3)
    if subtitle:
        page.write(x, text_top + title_font.size * 1.3, subtitle, small, theme.bar_text, width=width - x - em * 3)
    for i in range(2 if rng.random() < 0.7 else 1):  # call / menu icons
        cx = width - em * (1.0 + 1.6 * i)
        page.draw.ellipse([cx - em * 0.35, y + height / 2 - em * 0.35, cx + em * 0.35, y + height / 2 + em * 0.35],
                          outline=theme.bar_text, width=max(2, round(em / 12)))  # fmt: skip
    return y + height


def chat_date_pill(page: Page, theme: ChatTheme, label: list[Run], left: float, y: float, small: Font) -> float:
    text_width, _ = page.measure(label, small)
    pad = small.size * 0.7
    middle = (left + page.image.width) / 2
    box = [middle - text_width / 2 - pad, y, middle + text_width / 2 + pad, y + small.size * 1.9]
    fill = theme.incoming if theme.bubbles else theme.background
    page.draw.rounded_rectangle(box, small.size * 0.6, fill=fill, outline=None if theme.bubbles else theme.meta)
    page.write(middle - text_width / 2, y + small.size * 0.4, label, small, theme.meta)
    return box[3] + small.size * 0.4


def chat_bubble(
    page: Page, theme: ChatTheme, sender: ChatMember, mine: bool, group: bool, first: bool, message: list[Run],
    stamp: str, left: float, y: float, font: Font, small: Font, bold: Font,
) -> float:  # fmt: skip
    """One message bubble, right (mine) or left (theirs, with avatar and name in groups); returns its bottom."""
    width = page.image.width
    em = font.size
    pane = width - left
    avatar = em * 1.9 if group and not mine else 0.0
    max_text = pane * 0.68 - avatar
    pad_x, pad_y = em * 0.6, em * 0.4
    text_w, lines = page.measure(message, font, max_text)
    stamp_w = page.length(small, stamp) + (em * 1.1 if mine else 0)
    name: list[Run] = sender.display if group and not mine and first else []
    name_w = page.measure(name, bold)[0] if name else 0.0
    inline = lines == 1 and text_w + em * 0.7 + stamp_w <= max_text
    inner_w = max(text_w + (em * 0.7 + stamp_w if inline else 0), stamp_w if not inline else 0, name_w)
    line_h = em * 1.3
    inner_h = lines * line_h + (0 if inline else small.size * 1.4) + (bold.size * 1.4 if name else 0)
    bubble_w, bubble_h = inner_w + 2 * pad_x, inner_h + 2 * pad_y
    x0 = width - em * 0.7 - bubble_w if mine else left + em * 0.6 + avatar
    fill = theme.outgoing if mine else theme.incoming
    text_color = theme.outgoing_text if mine else theme.text
    page.draw.rounded_rectangle([x0, y, x0 + bubble_w, y + bubble_h], em * 0.7, fill=fill)
    if avatar and first:
        draw_avatar(page, left + em * 0.4, y, em * 1.6, sender)
    ty = y + pad_y
    if name:
        colors = NAME_COLORS[theme.dark]
        ty = page.write(x0 + pad_x, ty, name, bold, colors[sender.color % len(colors)])
    page.write(x0 + pad_x, ty, message, font, text_color, width=max_text, leading=1.3)
    meta = (
        theme.meta
        if not mine or text_color == theme.text
        else tuple(round(0.75 * c + 0.25 * f) for c, f in zip(text_color, fill, strict=True))
    )
    stamp_y = ty + (lines - 1) * line_h + (em - small.size) * 0.9 if inline else ty + lines * line_h
    stamp_x = x0 + bubble_w - pad_x - stamp_w
    page.write(stamp_x, stamp_y, [(stamp, "TIME_OF_DAY")], small, meta)
    if mine:  # read ticks
        tx, ty2 = stamp_x + page.length(small, stamp) + em * 0.25, stamp_y + small.size * 0.55
        for dx in (0.0, em * 0.3):
            page.draw.line([tx + dx, ty2, tx + dx + em * 0.18, ty2 + em * 0.22, tx + dx + em * 0.55, ty2 - em * 0.22],
                           fill=meta, width=max(1, round(em / 14)))  # fmt: skip
    return y + bubble_h


def chat_post(
    page: Page, fab: Fabricator, theme: ChatTheme, sender: ChatMember, first: bool, message: list[Run], stamp: str,
    left: float, y: float, font: Font, small: Font, bold: Font,
) -> float:  # fmt: skip
    """A team-chat message: avatar, name and time on the first of a sender's run, text below."""
    em = font.size
    x = left + em * 0.8 + em * 2.3
    if first:
        draw_avatar(page, left + em * 0.8, y + em * 0.1, em * 1.9, sender, square=fab.rng.random() < 0.5)
        display = sender.display if fab.rng.random() < 0.5 else [(fab.full_name(sender.person), "PERSON")]
        name_w, _ = page.measure(display, bold)
        page.write(x, y, display, bold, theme.text)
        page.write(
            x + name_w + em * 0.6, y + (bold.size - small.size) * 0.9, [(stamp, "TIME_OF_DAY")], small, theme.meta
        )
        y += bold.size * 1.45
    return page.write(x, y, message, font, theme.text, width=page.image.width - x - em * 1.2, leading=1.3)


def chat_input_bar(
    page: Page, fab: Fabricator, theme: ChatTheme, members: list[ChatMember], group: bool, left: float, y: float,
    small: Font, font: Font,
) -> float:  # fmt: skip
    em = font.size
    width = page.image.width
    height = em * 2.6
    page.draw.rectangle([left, y, width, y + height], fill=theme.bar if theme.dark else (246, 246, 246))
    box = [left + em * 0.5, y + em * 0.4, width - em * 2.6, y + height - em * 0.4]
    page.draw.rounded_rectangle(box, (box[3] - box[1]) / 2, fill=theme.incoming if theme.dark else (255, 255, 255),
                                outline=theme.meta)  # fmt: skip
    prompt: list[Run] = [(fab.rng.choice(CHAT_PROMPTS), None)]
    if not theme.bubbles and not group and fab.rng.random() < 0.6:
        prompt = [("Message ", None), (members[0].person.first, "PERSON")]
    page.write(box[0] + em * 0.7, (box[1] + box[3]) / 2 - font.size * 0.6, prompt, font, theme.meta)
    cx, cy = width - em * 1.3, y + height / 2
    page.draw.ellipse([cx - em * 0.8, cy - em * 0.8, cx + em * 0.8, cy + em * 0.8], fill=AVATAR_COLORS[1])
    return y + height


def chat_sidebar(
    page: Page, fab: Fabricator, theme: ChatTheme, members: list[ChatMember], twelve_hour: bool, width: float,
    height: float, font: Font, small: Font, bold: Font,
) -> None:  # fmt: skip
    """A desktop app's conversation list: avatars, names, last messages and times or dates."""
    rng = fab.rng
    em = font.size
    fill = tuple(max(0, min(255, c + (12 if theme.dark else -8))) for c in theme.background)
    page.draw.rectangle([0, 0, width, height * 2], fill=fill)
    page.draw.line([width, 0, width, height * 2], fill=theme.meta, width=1)
    page.draw.rounded_rectangle([em * 0.5, em * 0.6, width - em * 0.5, em * 2.4], em * 0.5, outline=theme.meta)
    page.write(
        em * 1.0, em * 0.9, rng.choice(["Search", "Search or start new chat", "Find a conversation"]), small, theme.meta
    )
    y = em * 3.0
    contacts = [members[0]] + [chat_member(fab, fab.person(), i + 5) for i in range(12)]
    now = datetime(2024, 1, 1) + timedelta(days=rng.randrange(900), minutes=rng.randrange(9 * 60, 23 * 60))
    moment = now
    date_format = rng.choice(["%d/%m/%Y", "mdy", "%b %d, %Y", "%d.%m.%y", "%Y-%m-%d"])
    for contact in contacts:
        if y > height - em * 3:
            break
        size = em * 2.0
        draw_avatar(page, em * 0.5, y, size, contact)
        x = em * 0.5 + size + em * 0.5
        days = (now.date() - moment.date()).days  # newest first: times, then Yesterday, weekdays, dates
        when: list[Run]
        if days == 0:
            when = [(clock_text(moment, twelve_hour), "TIME_OF_DAY")]
        elif days == 1:
            when = [("Yesterday", None)]
        elif days < 7:
            when = [(moment.strftime("%a"), "DATE_TIME")]
        else:
            when = [(format_date(moment, date_format), "DATE_TIME")]
        moment -= timedelta(minutes=rng.choice([7, 30, 90, 300, 900, 1500, 3000, 9000]))
        when_w, _ = page.measure(when, small)
        page.write(width - em * 0.5 - when_w, y + em * 0.1, when, small, theme.meta)
        name = contact.display if rng.random() < 0.6 else [(fab.full_name(contact.person), "PERSON")]
        name_w = width - x - when_w - em * 1.0
        if page.measure(name, bold)[0] > name_w:
            name = [(contact.person.first, "PERSON")]
        page.write(x, y, name, bold, theme.text)
        snippet = rng.choice(CHAT_SMALL_TALK)
        while page.length(small, snippet) > width - x - em * 0.5 and " " in snippet:
            snippet = snippet.rsplit(" ", 1)[0]
        prefix: list[Run] = [("You: ", None)] if rng.random() < 0.3 else []
        if prefix and page.length(small, "You: " + snippet) > width - x - em * 0.5:
            prefix = []
        page.write(x, y + bold.size * 1.35, prefix + [(snippet, None)], small, theme.meta)
        y += em * 2.8


# ---------------------------------------------------------------------------------- multi-column


@dataclass
class Block:
    """Something placed in a column: lines of text (split across columns) or a box kept whole."""

    kind: str  # heading, para, quote, box, figure
    lines: list[TextLine]
    font: Font
    color: RGB | None = None
    title: list[TextLine] = field(default_factory=list)  # a box's title lines
    title_font: Font | None = None


def block_height(block: Block, col_w: float) -> float:
    size = block.font.size
    if block.kind == "heading":
        return size * 0.6 + len(block.lines) * size * 1.3 + size * 0.2
    if block.kind == "para":
        return len(block.lines) * size * 1.35 + size * 0.55
    if block.kind == "quote":
        return len(block.lines) * size * 1.3 + size * 1.6
    if block.kind == "figure":
        return col_w * 0.62 + len(block.lines) * size * 1.3 + size * 0.9
    title = block.title_font.size * 1.4 * len(block.title) if block.title_font else 0
    return title + len(block.lines) * size * 1.35 + size * 1.6


def sidebar_block(page: Page, fab: Fabricator, col_w: float, font: Font, bold: Font) -> Block:
    """A shaded box: the organisation's contacts, or upcoming events with their dates and places."""
    rng = fab.rng
    pad = font.size * 0.6
    inner = col_w - 2 * pad
    rows: list[list[Run]] = []
    if rng.random() < 0.55:
        title = rng.choice(SIDEBAR_TITLES)
        contact = fab.person()
        rows.append(
            [(rng.choice(["Editor: ", "Secretary: ", "Contact: ", ""]), None), (fab.full_name(contact), "PERSON")]
        )
        rows.append([(rng.choice(["Tel: ", "Phone: ", "T ", ""]), None), (fab.phone(contact), "PHONE_NUMBER")])
        rows.append([(rng.choice(["E-mail: ", "Email: ", "E ", ""]), None), (contact.email, "EMAIL_ADDRESS")])
        rows.append(
            [
                (rng.choice(["Web: ", "Online: ", "W ", ""]), None),
                (fab.domain() if rng.random() < 0.6 else fab.url(), "URL"),
            ]
        )
        rows += [[(line, "LOCATION")] for line in fab.address_lines(contact)[:3]]
    else:
        title = rng.choice(["Upcoming events", "Dates for your diary", "Coming up", "What's on"])
        for event in rng.sample(EVENT_WORDS, rng.randint(2, 4)):
            when = fab.date(date(2024, 1, 1), date(2026, 12, 31))
            place = fab.person()
            rows.append([(event, None)])
            rows.append([(when, "DATE_TIME"), (", ", None), (rng.choice([place.city, place.street]), "LOCATION")])
    lines: list[TextLine] = []
    for row in rows:
        lines += page.lines(row, font, inner)
    return Block("box", lines, font, title=page.lines(title, bold, inner), title_font=bold)


def quote_block(page: Page, fab: Fabricator, col_w: float, font: Font) -> Block:
    person = fab.person()
    runs: list[Run] = [(f"\u201c{fab.rng.choice(QUOTES)}\u201d", None), ("\n", None), ("\u2014 ", None)]
    runs += [(fab.full_name(person), "PERSON")]
    if fab.rng.random() < 0.6:
        runs += [(", ", None), (person.job, "TITLE")]
    return Block("quote", page.lines(runs, font, col_w * 0.92), font, page.style.accent)


def figure_block(page: Page, fab: Fabricator, col_w: float, font: Font) -> Block:
    person = fab.person()
    caption: list[Run] = [(filler_sentence(fab.rng).rstrip(".") + ". ", None)] if fab.rng.random() < 0.5 else []
    caption += [(fab.rng.choice(["Photo: ", "Photo by ", "Picture: "]), None), (fab.full_name(person), "PERSON")]
    return Block("figure", page.lines(caption, font, col_w), font)


def build_multi_column(fab: Fabricator, style: Style) -> Page:
    rng = fab.rng
    width, margin = style.px(8.5), style.px(rng.uniform(0.5, 0.8))
    page = Page((width, style.px(30)), style)
    font, bold = page.font(), page.font(bold=True)
    small = page.font(style.font_pt * 0.8)
    content = width - 2 * margin
    columns = 3 if style.font_pt <= 9 or rng.random() < 0.35 else 2
    gutter = style.px(rng.uniform(0.2, 0.32))
    col_w = (content - gutter * (columns - 1)) / columns
    justify = rng.random() < (0.55 if columns == 2 else 0.35)
    # running header
    y: float = margin
    publication = f"{rng.choice(PUBLICATION_WORDS[0])} {rng.choice(PUBLICATION_WORDS[1])}"
    page.write(margin, y, publication, small, style.accent)
    issue: list[Run] = [(f"{rng.choice(['Issue', 'No.', 'Vol.'])} {rng.randint(2, 80)} | ", None)]
    issue.append((fab.date(date(2021, 1, 1), date(2026, 12, 31)), "DATE_TIME"))
    page.write(margin, y, issue, small, width=content, align="right")
    y += small.size * 1.5
    page.draw.line([margin, y, width - margin, y], fill=style.accent, width=max(1, style.px(0.01)))
    y += font.size * 0.8
    # headline, byline, standfirst across the columns
    headline = rng.choice([rng.choice(HEADINGS), fab.faker().catch_phrase().title(), rng.choice(REPORT_KINDS)])
    y = page.write(
        margin, y, headline, page.font(style.font_pt * rng.uniform(2.0, 2.8), bold=True), width=content, leading=1.2
    )
    if rng.random() < 0.8:
        author = fab.person()
        byline: list[Run] = [(rng.choice(["By ", "Words by ", "Report by ", "Edited by "]), None)]
        byline += [(fab.full_name(author), "PERSON")]
        if rng.random() < 0.5:
            byline += [(", ", None), (author.job, "TITLE")]
        y = page.write(margin, y + font.size * 0.2, byline, small, style.accent, width=content)
    if rng.random() < 0.5:
        y = page.write(
            margin, y + font.size * 0.4, paragraph(fab, 1, filler=0.7), page.font(style.font_pt * 1.2), width=content
        )
    y += font.size * 0.9
    top = y
    # the body: sections of prose with a pull quote, a sidebar or a photo among them
    blocks: list[Block] = []
    for heading in rng.sample(HEADINGS, rng.randint(3, 5) + columns - 2):
        blocks.append(Block("heading", page.lines(heading, bold, col_w), bold, style.accent))
        for _ in range(rng.randint(1, 3)):
            runs = paragraph(fab, rng.randint(2, 5), filler=0.65, single_line=True)
            blocks.append(Block("para", page.lines(runs, font, col_w), font))
    extras = [quote_block(page, fab, col_w, page.font(style.font_pt * 1.25, bold=True))]
    if rng.random() < 0.75:
        extras.append(sidebar_block(page, fab, col_w, small, page.font(style.font_pt * 0.95, bold=True)))
    if rng.random() < 0.35:
        extras.append(figure_block(page, fab, col_w, small))
    for extra in extras:
        blocks.insert(rng.randint(2, len(blocks)), extra)
    total = sum(block_height(b, col_w) for b in blocks)
    limit = top + total / columns + font.size * 2
    column, x = 0, float(margin)
    reached = [top]  # the lowest y drawn in any column
    for block in blocks:
        height = block_height(block, col_w)
        keep = height if block.kind != "para" else block.font.size * 1.35 * min(2, len(block.lines))
        if block.kind == "heading":
            keep += font.size * 1.35 * 2
        if y + keep > limit and column < columns - 1 and y > top:
            column, y = column + 1, top
            x = margin + column * (col_w + gutter)
        flow = Flow(top, limit, columns, col_w, gutter, margin, justify, reached)
        column, x, y = draw_block(page, block, flow, column, x, y)
        reached.append(y)
    bottom = max(reached)
    if rng.random() < 0.5:
        for i in range(1, columns):
            gx = margin + i * (col_w + gutter) - gutter / 2
            page.draw.line([gx, top, gx, bottom], fill=(190, 190, 190), width=1)
    # footer
    y = bottom + font.size * 1.2
    page.draw.line([margin, y, width - margin, y], fill=(150, 150, 150), width=1)
    y += small.size * 0.6
    page.write(margin, y, f"Page {rng.randint(1, 12)}", small)
    site: list[Run] = [(fab.domain(), "URL")]
    page.write(margin, y, site, small, width=content, align="center")
    if rng.random() < 0.6:
        page.write(margin, y, [(f"\u00a9 {rng.randint(2019, 2026)} ", None), (fab.organization(), "ORGANIZATION")],
                   small, width=content, align="right")  # fmt: skip
    page.crop_height(y + small.size * 1.4 + margin * 0.7)
    return page


@dataclass
class Flow:
    """The column grid text flows through."""

    top: float
    limit: float  # where a column ends (the last one runs on)
    columns: int
    col_w: float
    gutter: float
    margin: float
    justify: bool
    reached: list[float]


def draw_block(page: Page, block: Block, flow: Flow, column: int, x: float, y: float) -> tuple[int, float, float]:
    """Draw a block at (x, y); a paragraph flows on into the next column at the column's end.
    Returns the column, x and y after it."""
    size, col_w = block.font.size, flow.col_w
    if block.kind == "heading":
        y += size * 0.6
        for line in block.lines:
            page.draw_line(x, y, line, block.font, block.color, width=col_w)
            y += size * 1.3
        return column, x, y + size * 0.2
    if block.kind == "para":
        for line in block.lines:
            if y + size * 1.35 > flow.limit and column < flow.columns - 1:
                flow.reached.append(y)
                column, y = column + 1, flow.top
                x = flow.margin + column * (col_w + flow.gutter)
            page.draw_line(x, y, line, block.font, width=col_w, align="justify" if flow.justify else "left")
            y += size * 1.35
        return column, x, y + size * 0.55
    if block.kind == "quote":
        accent = block.color or page.style.accent
        rule = max(2, round(size / 8))
        page.draw.line([x, y + size * 0.3, x + col_w, y + size * 0.3], fill=accent, width=rule)
        y += size * 0.8
        for line in block.lines:
            page.draw_line(x + col_w * 0.04, y, line, block.font, accent, width=col_w * 0.92)
            y += size * 1.3
        page.draw.line([x, y + size * 0.2, x + col_w, y + size * 0.2], fill=accent, width=rule)
        return column, x, y + size * 0.8
    if block.kind == "figure":
        h = col_w * 0.62
        page.draw.rectangle([x, y + size * 0.3, x + col_w, y + size * 0.3 + h], fill=(200, 205, 210))
        page.draw.polygon(
            [(x + col_w * 0.1, y + h), (x + col_w * 0.4, y + h * 0.45), (x + col_w * 0.7, y + h)], fill=(160, 170, 180)
        )
        y += size * 0.6 + h
        for line in block.lines:
            page.draw_line(x, y, line, block.font, (90, 90, 90), width=col_w)
            y += size * 1.3
        return column, x, y + size * 0.3
    # a shaded box with a title
    height = block_height(block, col_w) - size * 0.4
    shade = tuple(round(0.88 * c + 0.12 * a) for c, a in zip(page.style.background, page.style.accent, strict=True))
    page.draw.rectangle([x, y + size * 0.2, x + col_w, y + size * 0.2 + height], fill=shade)
    pad = size * 0.6
    y += size * 0.2 + pad
    if block.title_font:
        for line in block.title:
            page.draw_line(x + pad, y, line, block.title_font, page.style.accent, width=col_w - 2 * pad)
            y += block.title_font.size * 1.4
    for line in block.lines:
        page.draw_line(x + pad, y, line, block.font, width=col_w - 2 * pad)
        y += size * 1.35
    return column, x, y + size * 1.0


# ------------------------------------------------------------------------------- records (shared)

Cell = Sequence[Run] | str
Field = tuple[str, Cell]  # label, value


def section_title(page: Page, x: float, y: float, width: float, title: str, look: str) -> float:
    """A section heading as records draw them: a filled band, an underlined title, or capitals."""
    style = page.style
    bold = page.font(style.font_pt * 1.05, bold=True)
    y += bold.size * 0.5
    if look == "band":
        page.draw.rectangle([x, y, x + width, y + bold.size * 1.5], fill=style.accent)
        page.write(x + bold.size * 0.4, y + bold.size * 0.2, title, bold, (255, 255, 255))
        return y + bold.size * 1.9
    if look == "rule":
        page.write(x, y, title, bold, style.accent)
        line_y = y + bold.size * 1.35
        page.draw.line([x, line_y, x + width, line_y], fill=style.accent, width=max(1, round(bold.size / 14)))
        return line_y + bold.size * 0.45
    page.write(x, y, title.upper(), bold)
    return y + bold.size * 1.5


def field_grid(
    page: Page, fields: Sequence[Field], x: float, y: float, width: float, columns: int, look: str, colon: str = ":"
) -> float:
    """Label/value pairs in ``columns`` columns: 'inline' (label, value beside it), 'stacked' (small label
    above the value) or 'boxed' (stacked, in ruled cells). Returns the y below the grid."""
    style = page.style
    font, label_font = page.font(), page.font(style.font_pt * 0.78)
    bold = page.font(bold=True)
    gap = font.size * 1.0
    cell_w = (width - gap * (columns - 1)) / columns
    pad = font.size * 0.3 if look == "boxed" else 0.0
    label_w = [0.0] * columns
    for i, (label, _) in enumerate(fields):
        label_w[i % columns] = max(label_w[i % columns], page.length(bold, label + colon) + font.size * 0.6)
    if look == "inline" and max(label_w) > cell_w * 0.5:
        look = "stacked"
    for row in range(0, len(fields), columns):
        bottom = y
        heights = []
        for i, (label, value) in enumerate(fields[row : row + columns]):
            left = x + i * (cell_w + gap)
            if look == "inline":
                page.write(left, y, label + colon, bold)
                end = page.write(left + label_w[i], y, value, font, width=cell_w - label_w[i], leading=1.35)
            else:
                top = y + pad
                page.write(left + pad, top, label, label_font, style.accent if look == "stacked" else None)
                end = page.write(
                    left + pad, top + label_font.size * 1.3, value, font, width=cell_w - 2 * pad, leading=1.35
                )
                end += pad
            heights.append((left, end))
            bottom = max(bottom, end)
        if look == "boxed":
            for left, _ in heights:
                page.draw.rectangle([left, y, left + cell_w, bottom], outline=(140, 140, 140), width=1)
        y = bottom + font.size * (0.1 if look == "boxed" else 0.45)
    return y


def draw_table(
    page: Page, x: float, y: float, width: float, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
    fractions: Sequence[float], *, zebra: bool = False, align_right: Sequence[int] = (),
) -> float:  # fmt: skip
    """A ruled table with a header row; cells are text or runs. Returns the y below it."""
    style = page.style
    font, bold = page.font(style.font_pt * 0.92), page.font(style.font_pt * 0.92, bold=True)
    pad = font.size * 0.35
    lefts = [x + width * sum(fractions[:i]) for i in range(len(fractions))]
    widths = [width * f for f in fractions]
    rule = (120, 120, 130)
    line_h = font.size * 1.3
    header_h = max(page.measure(h, bold, w - 2 * pad)[1] for h, w in zip(headers, widths, strict=True)) * line_h
    header_fill = tuple(round(0.85 * c + 0.15 * a) for c, a in zip(style.background, style.accent, strict=True))
    page.draw.rectangle([x, y, x + width, y + header_h + 2 * pad], fill=header_fill)
    for text, left, w in zip(headers, lefts, widths, strict=True):
        page.write(left + pad, y + pad, text, bold, width=w - 2 * pad, leading=1.3)
    y += header_h + 2 * pad
    page.draw.line([x, y, x + width, y], fill=rule, width=1)
    shade = tuple(round(0.95 * c + 0.05 * a) for c, a in zip(style.background, style.accent, strict=True))
    for number, row in enumerate(rows):
        height = max(page.measure(c, font, w - 2 * pad)[1] for c, w in zip(row, widths, strict=True)) * line_h
        if zebra and number % 2:
            page.draw.rectangle([x, y + 1, x + width, y + height + 2 * pad], fill=shade)
        for column, (cell, left, w) in enumerate(zip(row, lefts, widths, strict=True)):
            align = "right" if column in align_right else "left"
            page.write(left + pad, y + pad, cell, font, width=w - 2 * pad, leading=1.3, align=align)
        y += height + 2 * pad
        page.draw.line([x, y, x + width, y], fill=(190, 190, 195), width=1)
    return y + font.size * 0.5


def letterhead(page: Page, fab: Fabricator, x: float, y: float, width: float, name: str) -> float:
    """An organisation's name, address, phone and website at the top of a record."""
    style, rng = page.style, fab.rng
    place = fab.person()
    name_font, small = page.font(style.font_pt * 1.45, bold=True), page.font(style.font_pt * 0.82)
    page.write(x, y, [(name, "ORGANIZATION")], name_font, style.accent, width=width * 0.6)
    lines: list[list[Run]] = [[(line, "LOCATION")] for line in fab.address_lines(place)[:2]]
    contact: list[Run] = [(rng.choice(["Tel ", "Phone: ", "T: "]), None), (fab.phone(place), "PHONE_NUMBER")]
    if rng.random() < 0.5:
        contact += [(rng.choice(["  Fax ", "  F: "]), None), (fab.phone(place), "PHONE_NUMBER")]
    lines.append(contact)
    if rng.random() < 0.6:
        lines.append([(fab.domain() if rng.random() < 0.6 else fab.url(), "URL")])
    right = y
    for runs in lines:
        right = page.write(x, right, runs, small, width=width, align="right", leading=1.3)
    return max(right, y + name_font.size * 1.4) + small.size * 0.6


def signature_runs(fab: Fabricator, person: Person, *, medical: bool) -> list[Run]:
    rng = fab.rng
    runs: list[Run] = [(rng.choice(["Electronically signed by ", "Signed: ", "Authorised by ", "Verified by "]), None)]
    if medical and rng.random() < 0.6:
        runs += [("Dr.", "TITLE"), (" ", None)]
    runs.append((fab.full_name(person), "PERSON"))
    if medical and rng.random() < 0.5:
        runs.append((rng.choice([", MD", ", MBBS", ", DO", ", FRCP"]), None))
    runs += [(" on ", None), (fab.date_time(), "DATE_TIME")]
    return runs


# --------------------------------------------------------------------------------- medical records


def doctor(fab: Fabricator, person: Person) -> list[Run]:
    if fab.rng.random() < 0.7:
        return [("Dr.", "TITLE"), (" ", None), (fab.full_name(person), "PERSON")]
    return [(fab.full_name(person), "PERSON"), (fab.rng.choice([", MD", ", DO", " MD"]), None)]


def clinical_history(fab: Fabricator, patient: Person, physician: Person, facility: str) -> list[Run]:
    """History and course in running text: the patient by title and surname, age, dates, people."""
    rng = fab.rng
    noun = {"female": "woman", "male": "man"}.get(patient.gender, "patient")
    pronoun = "She" if patient.gender == "female" else "He"
    runs: list[Run] = [(patient.title, "TITLE"), (" ", None), (patient.last, "PERSON"), (" is a ", None)]
    runs += [(str(patient.age), "AGE"), (f"-year-old {noun} who ", None)]
    runs += [
        (rng.choice(["presented to the emergency department on ", "was seen in clinic on ", "was admitted on "]), None)
    ]
    runs += [(fab.date(date(2020, 1, 1), date(2026, 12, 31)), "DATE_TIME"), (f" with {rng.choice(COMPLAINTS)}. ", None)]
    if rng.random() < 0.5:
        relative = fab.person()
        runs += [(f"{pronoun} lives with ", None), (relative.first, "PERSON"), (" at ", None)]
        runs += [(fab.one_line_address(patient), "LOCATION"), (". ", None)]
    runs += [(" ".join(rng.sample(MEDICAL_NOTES, rng.randint(1, 3))), None)]
    if rng.random() < 0.6:
        runs += [(f" {pronoun} was reviewed by ", None)] + doctor(fab, physician)
        runs += [(" on ", None), (fab.date(date(2020, 1, 1), date(2026, 12, 31)), "DATE_TIME"), (".", None)]
    if rng.random() < 0.4:
        runs += [(" ", None)] + fab.sentence(single_line=True, pool=DOC_TEMPLATES)
    return runs


def build_medical_record(fab: Fabricator, style: Style) -> Page:
    rng = fab.rng
    width, margin = style.px(8.5), style.px(rng.uniform(0.6, 0.9))
    page = Page((width, style.px(22)), style)
    font = page.font()
    content = width - 2 * margin
    look = rng.choice(["band", "rule", "caps"])
    grid = rng.choice(["inline", "stacked", "boxed"])
    kind = rng.choice(["Discharge Summary", "Laboratory Report", "Clinic Visit Note", "Patient Chart"])
    facility = f"{rng.choice(HOSPITAL_WORDS[0])} {rng.choice(HOSPITAL_WORDS[1])}"
    y = letterhead(page, fab, margin, margin, content, facility)
    title_font = page.font(style.font_pt * 1.6, bold=True)
    title_text = kind.upper() if rng.random() < 0.5 else kind
    y = page.write(
        margin, y + font.size * 0.3, title_text, title_font, width=content, align=rng.choice(["left", "center"])
    )
    patient, physician, gp = fab.person(), fab.person(), fab.person()
    nok = fab.person()
    date_label = rng.choice(["DOB", "Date of birth", "D.O.B.", "Birth date"])
    fields: list[Field] = [
        (rng.choice(["Patient name", "Patient", "Name"]), fab.name_runs(patient, formal=True)),
        (date_label, [(fab.birthday(patient), "DATE_OF_BIRTH")]),
        ("Age", [(str(patient.age), "AGE")] + ([(rng.choice([" yrs", " years", "y"]), None)] * (rng.random() < 0.4))),
        (rng.choice(["Sex", "Gender"]), rng.choice(["F", "Female"] if patient.gender == "female" else ["M", "Male"])),
        (rng.choice(["MRN", "Medical record no.", "Hospital no.", "Chart #"]),
         [(f"{rng.choice(['', 'MRN', 'H'])}{rng.randrange(10**6, 10**8)}", "MEDICAL_RECORD_NUMBER")]),
    ]  # fmt: skip
    optional: list[Field] = [
        ("NHS number", [(fab.nhs(), "UK_NHS")]),
        (rng.choice(["Address", "Home address"]), [(fab.one_line_address(patient), "LOCATION")]),
        (rng.choice(["Phone", "Tel", "Mobile"]), [(fab.phone(patient), "PHONE_NUMBER")]),
        ("E-mail", [(patient.email, "EMAIL_ADDRESS")]),
        (rng.choice(["Attending physician", "Consultant", "Ordering provider"]), doctor(fab, physician)),
        (rng.choice(["DEA no.", "Prescriber DEA", "DEA"]), [(fab.medical_license(physician), "MEDICAL_LICENSE")]),
        (rng.choice(["Primary care", "GP", "Referring physician"]), doctor(fab, gp)),
        (rng.choice(["Insurance", "Payer", "Insurer"]), [(rng.choice(INSURERS), "ORGANIZATION")]),
        (rng.choice(["Member ID", "Policy no.", "Subscriber ID"]), [(fab.faker().bothify("???#########").upper(),
                                                                     "ID_NUMBER")]),
        (rng.choice(["Next of kin", "Emergency contact"]),
         [(fab.full_name(nok), "PERSON"), (f" ({rng.choice(RELATIONSHIPS).lower()}) ", None),
          (fab.phone(nok), "PHONE_NUMBER")]),
        ("Allergies", rng.choice(["None known", "Penicillin", "Latex", "Sulfa drugs", "NKDA"])),
        ("Blood type", rng.choice(["A+", "O+", "B-", "AB+", "O-"])),
    ]  # fmt: skip
    fields += rng.sample(optional, rng.randint(5, 9))
    if kind in ("Discharge Summary", "Laboratory Report"):  # two dates in order, written alike
        first = fab.faker().date_time_between(datetime(2015, 1, 1), datetime(2026, 6, 30))
        second = first + timedelta(
            days=rng.randint(0 if kind == "Laboratory Report" else 1, 12), hours=rng.randint(1, 9)
        )
        fmt = rng.choice(DATE_FORMATS if kind == "Discharge Summary" else DATETIME_FORMATS)
        labels = ("Admitted", "Discharged") if kind == "Discharge Summary" else ("Collected", "Reported")
        fields += [
            (labels[0], [(format_date(first, fmt), "DATE_TIME")]),
            (labels[1], [(format_date(second, fmt), "DATE_TIME")]),
        ]
    else:
        fields += [(rng.choice(["Visit date", "Date of service", "Seen on"]), [(fab.date(), "DATE_TIME")])]
    y = section_title(
        page,
        margin,
        y + font.size * 0.4,
        content,
        rng.choice(["Patient details", "Demographics", "Patient information"]),
        look,
    )
    y = field_grid(
        page, fields, margin, y + font.size * 0.3, content, rng.choice([2, 2, 3]) if grid != "inline" else 2, grid
    )
    if kind == "Laboratory Report":
        y = section_title(page, margin, y, content, "Results", look)
        rows: list[list[Cell]] = []
        for name, unit, low, high, decimals in rng.sample(LAB_TESTS, rng.randint(5, 10)):
            value = rng.uniform(low * 0.7, high * 1.3 if high else 10)
            flag = "H" if value > high else ("L" if value < low else "")
            rows.append([name, f"{value:.{decimals}f}", unit, f"{low:.{decimals}f} - {high:.{decimals}f}", flag])
        headers = ["Test", "Result", "Units", "Reference range", "Flag"]
        fractions = [0.34, 0.14, 0.16, 0.26, 0.1]
        y = draw_table(page, margin, y + font.size * 0.3, content, headers, rows, fractions, zebra=rng.random() < 0.5)
        y = section_title(page, margin, y, content, "Comments", look)
        y = page.write(margin, y + font.size * 0.3, " ".join(rng.sample(MEDICAL_NOTES, 2)), font, width=content)
    else:
        title = "History" if kind != "Discharge Summary" else rng.choice(["Presenting complaint", "Hospital course"])
        y = section_title(page, margin, y, content, title, look)
        y = page.write(
            margin, y + font.size * 0.3, clinical_history(fab, patient, physician, facility), font, width=content
        )
        if kind == "Clinic Visit Note" or rng.random() < 0.3:
            y = section_title(page, margin, y, content, "Vital signs", look)
            vitals = [
                ["Blood pressure", f"{rng.randint(100, 165)}/{rng.randint(60, 100)} mmHg"],
                ["Heart rate", f"{rng.randint(52, 118)} bpm"], ["Temperature", f"{rng.uniform(36.1, 39.2):.1f} C"],
                ["Respiratory rate", f"{rng.randint(12, 26)} /min"], ["SpO2", f"{rng.randint(89, 100)}%"],
                ["Weight", f"{rng.randint(48, 130)} kg"],
            ]  # fmt: skip
            y = draw_table(
                page, margin, y + font.size * 0.3, content * 0.6, ["Observation", "Value"], vitals, [0.55, 0.45]
            )
        y = section_title(page, margin, y, content, rng.choice(["Diagnoses", "Assessment", "Problem list"]), look)
        for number, diagnosis in enumerate(rng.sample(DIAGNOSES, rng.randint(1, 3)), 1):
            y = page.write(margin, y + font.size * 0.15, f"{number}. {diagnosis}", font, width=content)
        y = section_title(page, margin, y, content, rng.choice(["Medications", "Discharge medications", "Plan"]), look)
        meds = [list(m) for m in rng.sample(MEDICATIONS, rng.randint(2, 5))]
        y = draw_table(page, margin, y + font.size * 0.3, content, ["Medication", "Dose", "Route", "Frequency"],
                       meds, [0.34, 0.18, 0.16, 0.32], zebra=rng.random() < 0.5)  # fmt: skip
        follow: list[Run] = [("Follow-up with ", None)] + doctor(fab, gp if rng.random() < 0.5 else physician)
        follow += [(" on ", None), (fab.date(), "DATE_TIME"), (" at ", None), (fab.time_of_day(), "TIME_OF_DAY")]
        follow += [(". Questions: call ", None), (fab.phone(physician), "PHONE_NUMBER"), (".", None)]
        y = page.write(margin, y + font.size * 0.3, follow, font, width=content)
    y = page.write(
        margin,
        y + font.size * 1.2,
        signature_runs(fab, physician, medical=True),
        page.font(style.font_pt * 0.9),
        width=content,
    )
    if rng.random() < 0.5:
        y = page.write(
            margin,
            y,
            [("DEA: ", None), (fab.medical_license(physician), "MEDICAL_LICENSE")],
            page.font(style.font_pt * 0.9),
        )
    footer: list[Run] = [("CONFIDENTIAL - contains protected health information. Page 1 of 1", None)]
    y = page.write(margin, y + font.size * 1.2, footer, page.font(style.font_pt * 0.72), (110, 110, 110), width=content)
    page.crop_height(y + margin * 0.8)
    return page


# -------------------------------------------------------------------------------------- HR records


def work_email(fab: Fabricator, person: Person, company: str) -> str:
    word = re.sub(r"[^a-z]", "", ascii_fold(company.split()[0]).lower()) or "company"
    user = f"{ascii_fold(person.first)}.{ascii_fold(person.last)}".lower().strip(".") or "staff"
    if fab.rng.random() < 0.3:
        user = f"{ascii_fold(person.first)[:1]}{ascii_fold(person.last)}".lower() or user
    return f"{user}@{word}{fab.rng.choice(['.com', '.co.uk', '.de', '.io', '.eu', '.net'])}"


def money(rng: random.Random, low: float, high: float, currency: str) -> str:
    return f"{currency}{rng.uniform(low, high):,.2f}"


def build_hr_record(fab: Fabricator, style: Style) -> Page:
    rng = fab.rng
    width, margin = style.px(8.5), style.px(rng.uniform(0.6, 0.9))
    page = Page((width, style.px(22)), style)
    font = page.font()
    content = width - 2 * margin
    look = rng.choice(["band", "rule", "caps"])
    grid = rng.choice(["inline", "stacked", "boxed"])
    kind = rng.choice(
        ["Employee Information Form", "Payroll Statement", "New Hire Onboarding Form", "Personnel Record"]
    )
    company = fab.organization()
    employee, manager, contact = fab.person(), fab.person(), fab.person()
    currency = rng.choice(["$", "$", "\u00a3", "\u20ac", "EUR ", "USD "])
    y = letterhead(page, fab, margin, margin, content, company)
    y = page.write(margin, y + font.size * 0.3, kind, page.font(style.font_pt * 1.5, bold=True), width=content)
    employee_id = [(f"{rng.choice(['E', 'EMP-', '', 'HR'])}{rng.randrange(10**4, 10**7)}", "ID_NUMBER")]
    details: list[Field] = [
        (rng.choice(["Employee name", "Name", "Full name"]), fab.name_runs(employee, formal=True)),
        (rng.choice(["Employee ID", "Staff no.", "Personnel no."]), employee_id),
        (rng.choice(["Job title", "Position"]), [(employee.job, "TITLE")]),
        ("Department", rng.choice(DEPARTMENTS)),
        (rng.choice(["Manager", "Reports to", "Line manager"]), [(fab.full_name(manager), "PERSON")]),
        (rng.choice(["Start date", "Hire date", "Date joined"]), [(fab.date(date(2008, 1, 1), date(2026, 6, 30)),
                                                                   "DATE_TIME")]),
    ]  # fmt: skip
    if kind == "Payroll Statement":
        y = section_title(page, margin, y + font.size * 0.4, content, "Employee", look)
        details += [(rng.choice(["SSN", "Social Security No."]), [(fab.ssn(), "US_SSN")])] if rng.random() < 0.6 else []
        y = field_grid(page, details, margin, y + font.size * 0.3, content, 2, grid)
        start = fab.faker().date_between(date(2021, 1, 1), date(2026, 6, 1))
        end = start + timedelta(days=rng.choice([6, 13, 14, 27, 30]))
        fmt = rng.choice(DATE_FORMATS)
        period: list[Field] = [
            (
                "Pay period",
                [(format_date(start, fmt), "DATE_TIME"), (" - ", None), (format_date(end, fmt), "DATE_TIME")],
            ),
            ("Pay date", [(format_date(end + timedelta(days=rng.randint(1, 5)), fmt), "DATE_TIME")]),
        ]
        y = field_grid(page, period, margin, y, content, 2, "inline")
        earnings = [[name, f"{rng.randint(1, 160)}", money(rng, 10, 90, currency), money(rng, 100, 6000, currency)]
                    for name in rng.sample(EARNINGS, rng.randint(2, 4))]  # fmt: skip
        y = section_title(page, margin, y, content, "Earnings", look)
        y = draw_table(page, margin, y + font.size * 0.3, content, ["Description", "Hours", "Rate", "Amount"], earnings,
                       [0.4, 0.15, 0.2, 0.25], align_right=(1, 2, 3))  # fmt: skip
        deductions = [[name, money(rng, 20, 900, currency), money(rng, 200, 9000, currency)]
                      for name in rng.sample(DEDUCTIONS, rng.randint(3, 5))]  # fmt: skip
        y = section_title(page, margin, y, content, "Deductions", look)
        headers = ["Description", "Current", "Year to date"]
        y = draw_table(page, margin, y + font.size * 0.3, content, headers, deductions, [0.5, 0.25, 0.25],
                       align_right=(1, 2), zebra=rng.random() < 0.5)  # fmt: skip
        y = page.write(
            margin, y, f"Net pay: {money(rng, 900, 8000, currency)}", page.font(bold=True), width=content, align="right"
        )
        if rng.random() < 0.5:
            paid: list[Run] = [("Paid by transfer to account ", None), (fab.bank_account(), "US_BANK_NUMBER")]
            paid += [(", routing ", None), (fab.routing(), "ROUTING_NUMBER")]
        else:
            paid = [("Paid by transfer to IBAN ", None), (fab.iban(), "IBAN_CODE")]
        y = page.write(margin, y + font.size * 0.4, paid, font, width=content)
    else:
        y = section_title(
            page, margin, y + font.size * 0.4, content, rng.choice(["Employment", "Position details"]), look
        )
        details.append(
            ("Salary", f"{money(rng, 28000, 160000, currency)} {rng.choice(['per year', 'p.a.', 'annually'])}")
        )
        details.append(("Work e-mail", [(work_email(fab, employee, company), "EMAIL_ADDRESS")]))
        y = field_grid(page, details, margin, y + font.size * 0.3, content, 2, grid)
        personal: list[Field] = [
            (rng.choice(["Date of birth", "DOB", "Birth date"]), [(fab.birthday(employee), "DATE_OF_BIRTH")]),
            (rng.choice(["SSN", "Social Security number", "SSN / Tax ID"]), [(fab.ssn(), "US_SSN")]),
            (rng.choice(["Home address", "Address"]), [(fab.one_line_address(employee), "LOCATION")]),
            (rng.choice(["Phone", "Mobile", "Personal phone"]), [(fab.phone(employee), "PHONE_NUMBER")]),
            (rng.choice(["Personal e-mail", "E-mail", "Email"]), [(employee.email, "EMAIL_ADDRESS")]),
        ]
        if kind == "New Hire Onboarding Form" or rng.random() < 0.3:
            personal += rng.sample([
                ("Passport no.", [(fab.passport(), "US_PASSPORT")]),
                ("Driver's license", [(fab.driver_license(), "US_DRIVER_LICENSE")]),
                ("Nationality", [(fab.nationality(), "NRP")]),
            ], 2)  # fmt: skip
        y = section_title(page, margin, y, content, rng.choice(["Personal details", "Personal information"]), look)
        y = field_grid(page, personal, margin, y + font.size * 0.3, content, 2, grid)
        bank: list[Field] = [(rng.choice(["Bank", "Bank name"]), [(rng.choice(BANKS), "ORGANIZATION")])]
        if rng.random() < 0.55:
            bank += [
                ("Account number", [(fab.bank_account(), "US_BANK_NUMBER")]),
                ("Routing number", [(fab.routing(), "ROUTING_NUMBER")]),
            ]
        else:
            bank += [("IBAN", [(fab.iban(), "IBAN_CODE")]), ("BIC", fab.faker().bothify("????##??").upper())]
        y = section_title(page, margin, y, content, rng.choice(["Bank details", "Payroll / direct deposit"]), look)
        y = field_grid(page, bank, margin, y + font.size * 0.3, content, 2, grid)
        emergency: list[Field] = [
            ("Name", [(fab.full_name(contact), "PERSON")]),
            ("Relationship", rng.choice(RELATIONSHIPS)),
            ("Phone", [(fab.phone(contact), "PHONE_NUMBER")]),
        ]
        if rng.random() < 0.4:
            emergency.append(("Address", [(fab.one_line_address(contact), "LOCATION")]))
        y = section_title(page, margin, y, content, "Emergency contact", look)
        y = field_grid(page, emergency, margin, y + font.size * 0.3, content, 2, grid)
        y = section_title(page, margin, y, content, rng.choice(["Notes", "Remarks", "HR notes"]), look)
        notes: list[Run] = [(" ".join(rng.sample(HR_NOTES, rng.randint(1, 3))), None)]
        if rng.random() < 0.6:
            notes += [
                (" ", None),
                (employee.first, "PERSON"),
                (rng.choice([" starts on ", " completed induction on ", " moved team on "]), None),
            ]
            notes += [(fab.date(), "DATE_TIME"), (".", None)]
        y = page.write(margin, y + font.size * 0.3, notes, font, width=content)
    sign: list[Run] = [("Employee signature: ______________    Date: ", None), (fab.date(), "DATE_TIME")]
    y = page.write(margin, y + font.size * 1.2, sign, font, width=content)
    if rng.random() < 0.6:
        hr_person = fab.person()
        y = page.write(
            margin, y + font.size * 0.3, [("HR representative: ", None), (fab.full_name(hr_person), "PERSON")], font
        )
    page.crop_height(y + margin * 0.8)
    return page


LAYOUT_BUILDERS: dict[str, Callable[[Fabricator, Style], Page]] = {
    "letter": build_letter,
    "form": build_form,
    "invoice": build_invoice,
    "id_card": build_id_card,
    "email": build_email,
    "chat": build_chat,
    "multi_column": build_multi_column,
    "medical_record": build_medical_record,
    "hr_record": build_hr_record,
}

# ------------------------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class Plan:
    """What one image will be: layout, style, degradations with their parameters, format, metadata."""

    layout: str
    style: Style
    degradations: list[str]
    params: dict[str, Any]
    format: str
    exif: bool
    gps: bool
    xmp: bool


def installed_faces() -> dict[str, list[tuple[str, str, str]]]:
    """FONT_FACES without the faces whose files are missing (DejaVu must be there)."""
    faces = {
        family: [face for face in options if all((FONT_ROOT / f).is_file() for f in face[1:])]
        for family, options in FONT_FACES.items()
    }
    missing = [family for family, options in faces.items() if not options or options[0] != FONT_FACES[family][0]]
    if missing:
        raise SystemExit(
            f"DejaVu fonts not found in {FONT_ROOT} (families {', '.join(missing)}): apt-get install fonts-dejavu"
        )
    return faces


FACES = installed_faces()


def choose_style(rng: random.Random, layout: str) -> Style:
    weights = FAMILY_WEIGHTS.get(layout, FAMILY_WEIGHTS["default"])
    family = rng.choices(list(weights), weights=list(weights.values()))[0]
    options = FACES[family]
    face, regular, bold = rng.choices(options, weights=[3 if f[0] in COMMON_FACES else 1 for f in options])[0]
    if family == "condensed" and "Serif" in face:
        fallback = FACES["condensed"][1] if len(FACES["condensed"]) > 1 else options[0]
    else:
        fallback = options[0]
    dark = layout in ("email", "chat") and rng.random() < (0.4 if layout == "chat" else 0.3)
    text, background = rng.choice(DARK_THEMES) if dark else (rng.choice(TEXT_COLORS), rng.choice(BACKGROUNDS))
    if layout == "id_card":
        dpi = rng.choice([200, 300])
    elif layout == "chat":
        dpi = rng.choice([160, 200, 240, 288])  # screenshots: phone and desktop pixel densities
    else:
        dpi = rng.choice([150, 200, 200, 300])
    font_pt = rng.randint(8, 11) if layout == "multi_column" else rng.randint(9, 14)
    return Style(
        dpi=dpi,
        font_pt=font_pt,
        family=family,
        face=face,
        font_file=regular,
        bold_file=bold,
        fallback_file=fallback[1],
        fallback_bold_file=fallback[2],
        text_color=text,
        background=background,
        accent=rng.choice(ACCENTS),
        dark=dark,
    )


def choose_degradations(rng: random.Random) -> list[str]:
    draw = rng.random()
    if draw < 0.12:
        return []
    if draw < 0.7:
        return rng.choices(list(SINGLE_DEGRADATIONS), weights=list(SINGLE_DEGRADATIONS.values()))[0:1]
    return list(rng.choice(DEGRADATION_PAIRS))


def degradation_params(rng: random.Random, degradations: list[str], style: Style) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if "rotation" in degradations:
        params["rotation_deg"] = round(rng.choice((-1, 1)) * rng.uniform(0.5, 3.0), 2)
    if "downscale" in degradations:
        # keep the text at >= ~15 px em and >= 100 dpi, as in the dev set
        floor = max(100 / style.dpi, 15 * 72 / (style.font_pt * style.dpi))
        params["downscale_factor"] = round(min(0.85, max(rng.uniform(0.5, 0.75), floor)), 3)
    if "blur" in degradations:
        params["blur_radius"] = round(rng.uniform(0.35, 1.3), 2)
    if "noise" in degradations:
        params["noise_sigma"] = round(rng.uniform(4.0, 11.0), 1)
    if "jpeg_low_quality" in degradations:
        params["jpeg_quality"] = rng.randint(45, 60)
    if "exif_orientation" in degradations:
        params["exif_orientation"] = rng.choice((6, 8, 3))
    return params


def choose_format(rng: random.Random, degradations: list[str]) -> str:
    if "jpeg_low_quality" in degradations:
        return "JPEG"
    weights = EXIF_FORMATS if "exif_orientation" in degradations else FORMAT_WEIGHTS
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def choose_plan(rng: random.Random, layout: str) -> Plan:
    style = choose_style(rng, layout)
    degradations = choose_degradations(rng)
    fmt = choose_format(rng, degradations)
    exif = "exif_orientation" in degradations or (fmt in METADATA_FORMATS and rng.random() < 0.35)
    gps = exif and rng.random() < 0.6
    xmp = fmt in XMP_FORMATS and rng.random() < 0.12
    return Plan(layout, style, degradations, degradation_params(rng, degradations, style), fmt, exif, gps, xmp)


def layout_for(seed: int, index: int, layouts: Sequence[str] = LAYOUTS) -> str:
    """Each block of len(layouts) images has every layout once, in a seeded order (independent of --count)."""
    chosen = [name for name in LAYOUTS if name in layouts]  # the order given on the command line does not matter
    order = random.Random(f"heldout-layouts:{seed}:{index // len(chosen)}").sample(chosen, len(chosen))
    return order[index % len(chosen)]


# ------------------------------------------------------------------------------------ degradations


def rotate(image: Image.Image, words: list[Word], angle: float, fill: RGB) -> Image.Image:
    """Rotate counter-clockwise by ``angle`` degrees (expanding the canvas); boxes become the
    axis-aligned bounds of their rotated corners."""
    w, h = image.size
    rotated = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
    nw, nh = rotated.size
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))

    def forward(x: float, y: float) -> tuple[float, float]:
        dx, dy = x - w / 2, y - h / 2
        return cos * dx + sin * dy + nw / 2, -sin * dx + cos * dy + nh / 2

    for word in words:
        x0, y0, x1, y1 = word.box
        corners = [forward(x, y) for x in (x0, x1) for y in (y0, y1)]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        word.box = clip_box((min(xs), min(ys), max(xs), max(ys)), rotated.size) or word.box
    return rotated


def downscale(image: Image.Image, words: list[Word], factor: float) -> Image.Image:
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    sx, sy = size[0] / image.width, size[1] / image.height
    for word in words:
        x0, y0, x1, y1 = word.box
        word.box = clip_box((x0 * sx, y0 * sy, x1 * sx, y1 * sy), size) or word.box
    return image.resize(size, Image.Resampling.LANCZOS)


def add_noise(image: Image.Image, sigma: float, seed: int) -> Image.Image:
    pixels = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(seed).normal(0.0, sigma, pixels.shape[:2])[..., None]
    return Image.fromarray(np.clip(pixels + noise, 0, 255).round().astype(np.uint8), "RGB")


def degrade(page: Page, plan: Plan, rng: random.Random) -> Image.Image:
    """Apply the plan's pixel degradations in a fixed order; boxes follow rotation and downscaling."""
    image, words, params = page.image, page.words, plan.params
    if "rotation_deg" in params:
        image = rotate(image, words, params["rotation_deg"], page.background)
    if "downscale_factor" in params:
        image = downscale(image, words, params["downscale_factor"])
    if "blur_radius" in params:
        image = image.filter(ImageFilter.GaussianBlur(params["blur_radius"]))
    if "noise_sigma" in params:
        image = add_noise(image, params["noise_sigma"], rng.getrandbits(32))
    return image


# ---------------------------------------------------------------------------------------- encoding

CAMERAS = [
    ("Apple", "iPhone 13"),
    ("Google", "Pixel 7"),
    ("samsung", "SM-G991B"),
    ("Canon", "LiDE 300"),
    ("Epson", "DS-530"),
]
XMP_PACKET = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""'
    b' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Scanner Utility 2.1"/></rdf:RDF>'
    b'</x:xmpmeta><?xpacket end="w"?>'
)


def exif_block(plan: Plan, rng: random.Random) -> Image.Exif:
    exif = Image.Exif()
    make, model = rng.choice(CAMERAS)
    exif[271], exif[272], exif[305] = make, model, "Camera 1.0"
    exif[306] = (datetime(2023, 1, 1, 9) + timedelta(minutes=rng.randrange(525600))).strftime("%Y:%m:%d %H:%M:%S")
    if "exif_orientation" in plan.params:
        exif[274] = plan.params["exif_orientation"]
    if plan.gps:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[3] = rng.choice("NS"), rng.choice("EW")
        gps[2] = (float(rng.randrange(60)), float(rng.randrange(60)), round(rng.uniform(0, 60), 2))
        gps[4] = (float(rng.randrange(120)), float(rng.randrange(60)), round(rng.uniform(0, 60), 2))
    return exif


def encode(image: Image.Image, plan: Plan, rng: random.Random) -> bytes:
    """The displayed image saved in the plan's format, stored rotated under an EXIF Orientation tag."""
    if "exif_orientation" in plan.params:
        image = image.transpose(STORE_TRANSPOSE[plan.params["exif_orientation"]])
    options: dict[str, Any] = {}
    if plan.exif:
        options["exif"] = exif_block(plan, rng)
    if plan.xmp:
        options["xmp"] = XMP_PACKET
    if plan.format == "JPEG":
        options["quality"] = plan.params.get("jpeg_quality", rng.randint(85, 95))
    elif plan.format == "WEBP":
        options["quality"] = rng.randint(80, 92)
    elif plan.format == "TIFF":
        options["compression"] = "tiff_lzw"
    elif plan.format == "GIF":
        image = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=256)
    buffer = io.BytesIO()
    image.save(buffer, format=plan.format, **options)
    return buffer.getvalue()


def check_encoded(data: bytes, plan: Plan, size: tuple[int, int]) -> None:
    """Fail loudly if the file does not open as the plan's format at the displayed size."""
    with Image.open(io.BytesIO(data)) as opened:
        fmt = opened.format
        displayed = ImageOps.exif_transpose(opened).size
    if fmt != plan.format or displayed != size:
        raise RuntimeError(f"encoded {fmt} {displayed}, expected {plan.format} {size}")


# --------------------------------------------------------------------------------------------- main


def ground_truth(name: str, file: str, plan: Plan, page: Page, size: tuple[int, int]) -> dict[str, Any]:
    """The JSON record, with entities that ended up without visible words dropped and ids compacted."""
    kept = [i for i, e in enumerate(page.entities) if e.words]
    new_id = {old: new for new, old in enumerate(kept)}
    params = plan.params
    return {
        "id": name,
        "file": file,
        "split": "heldout",
        "source": "synthetic",
        "layout": plan.layout,
        "format": plan.format,
        "width": size[0],
        "height": size[1],
        "language": "en",
        "fill_color": [0, 0, 0],
        "degradations": plan.degradations,
        "degradation_params": params,
        "effective_dpi": round(plan.style.dpi * params.get("downscale_factor", 1)),
        "style": page.style.truth(),  # a layout may restyle the page (a chat app's theme colours)
        "input_metadata": {
            "exif": plan.exif,
            "gps": plan.gps,
            "xmp": plan.xmp,
            "exif_orientation": params.get("exif_orientation"),
        },
        "words": [
            {"id": i, "text": w.text, "box": list(w.box), "entity": None if w.entity is None else new_id[w.entity]}
            for i, w in enumerate(page.words)
        ],
        "entities": [
            {
                "id": new_id[old],
                "type": page.entities[old].type,
                "value": page.entities[old].value,
                "scored": page.entities[old].type in SCORED_TYPES,
                "words": page.entities[old].words,
            }
            for old in kept
        ],
    }


def make_image(
    index: int,
    seed: int,
    resources: Resources,
    fakers: dict[str, Faker],
    folder: Path,
    layouts: Sequence[str] = LAYOUTS,
) -> dict[str, Any]:
    """Render, degrade and save image ``index``; returns its ground truth (also written as JSON)."""
    rng = random.Random(f"heldout:{seed}:{index}")
    plan = choose_plan(rng, layout_for(seed, index, layouts))
    page = LAYOUT_BUILDERS[plan.layout](Fabricator(resources, rng, fakers), plan.style)
    image = degrade(page, plan, rng)
    data = encode(image, plan, rng)
    check_encoded(data, plan, image.size)
    name = f"heldout_{index:03d}"
    file = f"{name}.{EXTENSIONS[plan.format]}"
    (folder / file).write_bytes(data)
    truth = ground_truth(name, file, plan, page, image.size)
    (folder / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def summary(truths: list[dict[str, Any]]) -> str:
    def count(values: list[str]) -> str:
        return ", ".join(f"{v} {values.count(v)}" for v in sorted(set(values)))

    entities = [e["type"] for t in truths for e in t["entities"] if e["scored"]]
    return "\n".join(
        [
            f"{len(truths)} images, {len(entities)} scored entities",
            "layouts: " + count([t["layout"] for t in truths]),
            "formats: " + count([t["format"] for t in truths]),
            "degradations: " + count([d for t in truths for d in t["degradations"] or ["clean"]]),
            "entity types: " + count(entities),
        ]
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--count", type=int, default=60, help="number of images (default 60)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/heldout"), help="writes <out>/dev/heldout_NNN.*")
    parser.add_argument(
        "--layouts",
        default=",".join(LAYOUTS),
        help=f"comma-separated subset of {', '.join(LAYOUTS)} (default: all; each block of images has each once)",
    )
    args = parser.parse_args(argv)
    args.layouts = [name.strip() for name in args.layouts.split(",") if name.strip()]
    unknown = sorted(set(args.layouts) - set(LAYOUTS))
    if unknown or not args.layouts:
        parser.error(f"--layouts: unknown {', '.join(unknown) or '(none given)'}; use {', '.join(LAYOUTS)}")
    return args


def pin_hash_seed() -> None:
    """Re-run this script with PYTHONHASHSEED=0: a few Faker providers (it_IT cities, for one) pick
    from sets, whose order follows the hash seed, so the output would otherwise vary from run to run."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, *sys.argv])


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    resources = load_resources()
    folder = args.out / "dev"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in [*folder.glob("heldout_*.*")]:
        stale.unlink()
    fakers: dict[str, Faker] = {}
    truths = []
    for index in range(args.count):
        truths.append(make_image(index, args.seed, resources, fakers, folder, args.layouts))
        print(f"[{index + 1}/{args.count}] {truths[-1]['file']} {truths[-1]['layout']}", file=sys.stderr)
    print(summary(truths))
    print(f"wrote {folder}")
    return 0


if __name__ == "__main__":
    pin_hash_seed()
    sys.exit(main())
