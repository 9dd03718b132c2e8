"""Generate a held-out set of synthetic document images with exact PII ground truth.

The set has the same layout as the dev set in /work/shared/bench/dev (see its README.md): for
each image ``heldout_NNN.<ext>`` a ``heldout_NNN.json`` with the image's format, displayed size,
layout, degradations, style, metadata flags and every rendered word piece with its ink box and
entity. ``scripts/bench_engine.py`` scores it unchanged (it reads ``<data>/dev/*.json``).

Content follows the dev set's recipe: running text comes from the sentence templates and the
fake-person records shipped with the ``presidio-evaluator`` package, filled in with Faker; form,
card and invoice values are Faker / fake-person values; names and addresses come from many
locales. Layouts: letter, form, invoice, id_card, email. Degradations: noise, blur, rotation,
jpeg_low_quality, downscale, exif_orientation. Formats: PNG, JPEG, TIFF, WEBP, GIF, BMP.

Ground truth is exact: each word piece is drawn on its own through an 8-bit glyph mask, and its
box is the bounding box of the mask pixels with at least 50% ink, moved through rotation (the
axis-aligned bounds of the rotated box) and downscaling. Files with an EXIF Orientation tag store
rotated pixels, so that the displayed image (tag applied) is the rendered page and boxes are in
displayed orientation. Words are split at entity edges, so punctuation glued to a value is its own
piece. Everything is drawn from ``--seed``: the same seed and package versions give the same files
(the script re-runs itself with PYTHONHASHSEED=0 for that), and image N does not depend on ``--count``.

Needs (not runtime dependencies of the service)::

    .venv/bin/pip install faker==40.54.0                       # also in the "bench" extra
    .venv/bin/pip install --no-deps presidio-evaluator==0.3.2  # only its data files are read

``--no-deps`` because only the templates and CSV files inside the package are used; its own
dependencies (transformers, scikit-learn, pandas, ...) are not needed. Nothing is downloaded.

Usage (from the repository root)::

    .venv/bin/python scripts/make_heldout.py                          # 60 images in /tmp/heldout/dev/
    .venv/bin/python scripts/make_heldout.py --seed 7 --count 20 --out /tmp/heldout7
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
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from faker import Faker
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]
Run = tuple[str, str | None]  # a stretch of text and its entity type (None = not an entity)
Font = ImageFont.FreeTypeFont

# ------------------------------------------------------------------------------------- constants

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FAMILIES: dict[str, list[tuple[str, str]]] = {  # family -> (regular, bold) files
    "sans": [("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf")],
    "serif": [
        ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
        ("DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf"),
    ],
    "mono": [("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf")],
}
FAMILY_WEIGHTS = {"sans": 6, "serif": 3, "mono": 2}
TEXT_COLORS: list[RGB] = [(0, 0, 0), (33, 33, 33), (20, 30, 90), (60, 40, 30), (50, 50, 60)]
BACKGROUNDS: list[RGB] = [(255, 255, 255), (252, 250, 235), (250, 248, 240), (244, 244, 244), (240, 244, 250)]
DARK_THEMES: list[tuple[RGB, RGB]] = [((240, 240, 220), (36, 39, 46)), ((205, 210, 215), (28, 30, 36))]
ACCENTS: list[RGB] = [(30, 90, 160), (90, 50, 140), (20, 110, 80), (170, 60, 40), (190, 110, 20)]

LAYOUTS = ("letter", "form", "invoice", "id_card", "email")
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
}
PLACEHOLDER_RE = re.compile(r"{{(\w+)}}")

# Faker locales for people: names only from the first list, names and addresses from the second.
NAME_LOCALES = ["et_EE", "is_IS", "lv_LV", "lt_LT", "tr_TR", "ga_IE"]
ADDRESS_LOCALES = [
    "da_DK", "el_GR", "cs_CZ", "de_DE", "de_AT", "de_CH", "fi_FI", "fr_FR", "hu_HU", "it_IT", "nl_NL",
    "nl_BE", "no_NO", "pl_PL", "pt_BR", "pt_PT", "sv_SE", "es_ES", "es_MX", "sk_SK", "sl_SI", "hr_HR",
    "ro_RO", "en_GB", "en_IE", "en_AU", "en_NZ", "en_CA", "en_US",
]  # fmt: skip
IBAN_LOCALES = ["de_DE", "en_GB", "fr_FR", "nl_NL", "es_ES", "it_IT", "pl_PL", "da_DK", "fi_FI", "de_AT", "de_CH"]
MAIL_DOMAINS = ["gmail.com", "outlook.com", "proton.me", "web.de", "gmx.net", "yahoo.co.uk", "mail.dk", "seznam.cz"]
DATE_FORMATS = ["%m/%d/%Y", "%d %b %Y", "%Y-%m-%d", "%B %d, %Y", "%d.%m.%Y", "%b %d, %Y", "mdy"]
DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%m/%d/%Y %I:%M %p", "%d %B %Y"]
PHONE_FORMATS = [
    "###-###-####", "(###)###-####", "###.###.####", "+1-###-###-####", "###-###-####x###",
    "07700 ### ###", "+447700 ######", "+91##########", "+41 7# ### ## ##", "+41 (0)4# ### ## ##",
    "+46 (0)8 ### ### ##", "+45 ## ## ## ##", "+49 30 ########", "+33 # ## ## ## ##",
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

    # addresses ------------------------------------------------------------------------------------

    def city_line(self, p: Person) -> str:
        if p.region and self.rng.random() < 0.6:
            return f"{p.city}, {p.region} {p.postcode}"
        return self.rng.choice([f"{p.postcode} {p.city}", f"{p.city} {p.postcode}", f"{p.city}, {p.postcode}"])

    def address_lines(self, p: Person) -> list[str]:
        """An address as lines; sometimes a US-style address from Faker instead of the person's."""
        us = self.faker("en_US")
        choice = self.rng.random()
        if choice < 0.45:
            return [p.street, self.city_line(p)] + ([p.country] if self.rng.random() < 0.4 else [])
        if choice < 0.7:
            return [p.street, p.city, f"{p.country} {p.postcode}"]
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

    def crypto(self) -> str:
        return bitcoin_address(self.rng)

    def nhs(self) -> str:
        return nhs_number(self.rng)

    def medical_license(self, p: Person) -> str:
        return dea_number(self.rng, p.last)

    def ip_address(self) -> str:
        return self.faker().ipv4_public() if self.rng.random() < 0.8 else self.faker().ipv6()

    def url(self) -> str:
        fake = self.faker()
        return self.rng.choice([fake.url, fake.uri, lambda: f"www.{fake.domain_name()}"])()

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

    def sentence(self, max_chars: int | None = None, single_line: bool = False) -> list[Run]:
        """One filled-in template as runs; 85% of the time a template with at least one placeholder."""
        pool = self.res.templates
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
        if runs and runs[-1][0][-1].isalnum():
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


def paragraph(fab: Fabricator, sentences: int) -> list[Run]:
    runs: list[Run] = []
    for i in range(sentences):
        if i:
            runs.append((" ", None))
        runs += fab.sentence()
    return runs


# --------------------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Style:
    """How a page is drawn; the JSON keeps dpi, size, font, colours and theme."""

    dpi: int
    font_pt: int
    family: str
    font_file: str
    bold_file: str
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
            "font": self.font_file,
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
    """Part of a word with one entity (or none), at a character offset in its line."""

    text: str
    entity: int | None
    offset: int = 0


# ink mask threshold as a lookup table for Image.point
INK_LUT = [255 if v >= INK_THRESHOLD else 0 for v in range(256)]


class Page:
    """A page being drawn: the image plus the word pieces and entities on it."""

    def __init__(self, size: tuple[int, int], style: Style, background: RGB | None = None) -> None:
        self.style = style
        self.background = background or style.background
        self.image = Image.new("RGB", size, self.background)
        self.draw = ImageDraw.Draw(self.image)
        self.words: list[Word] = []
        self.entities: list[Entity] = []
        self._fonts: dict[tuple[str, int], Font] = {}

    def font(self, pt: float | None = None, *, bold: bool = False) -> Font:
        name = self.style.bold_file if bold else self.style.font_file
        size = round((pt or self.style.font_pt) * self.style.dpi / 72)
        key = (name, size)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(str(FONT_DIR / name), size)
        return self._fonts[key]

    def entity(self, entity_type: str, value: str) -> int:
        self.entities.append(Entity(entity_type, value))
        return len(self.entities) - 1

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
        color = color or self.style.text_color
        line_height = font.size * leading
        for line in self._wrap(self._words(runs), font, width):
            text = " ".join("".join(p.text for p in word) for word in line)
            left = x + (width - font.getlength(text) if align == "right" and width else 0)
            position = 0
            for word in line:
                for piece in word:
                    self._piece(left + font.getlength(text[: position + piece.offset]), y, piece, font, color)
                position += sum(len(p.text) for p in word) + 1
            y += line_height
        return y

    def _words(self, runs: Sequence[Run] | str) -> list[list[list[Piece]] | None]:
        """Runs as forced lines of words of pieces (entities registered here); None marks a blank line."""
        if isinstance(runs, str):
            runs = [(runs, None)]
        chars: list[tuple[str, int | None]] = []
        for text, entity_type in runs:
            entity = self.entity(entity_type, text.strip()) if entity_type and text.strip() else None
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

    @staticmethod
    def _wrap(lines: list[list[list[Piece]] | None], font: Font, width: float | None) -> list[list[list[Piece]]]:
        wrapped: list[list[list[Piece]]] = []
        for words in lines:
            if words is None:
                wrapped.append([])
                continue
            line: list[list[Piece]] = []
            for word in words:
                candidate = " ".join("".join(p.text for p in w) for w in [*line, word])
                if line and width and font.getlength(candidate) > width:
                    wrapped.append(line)
                    line = []
                line.append(word)
            wrapped.append(line)
        return wrapped

    def _piece(self, x: float, y: float, piece: Piece, font: Font, color: RGB) -> None:
        """Draw one piece through its own glyph mask and record the mask's ink box."""
        left, top, right, bottom = (int(v) for v in font.getbbox(piece.text))
        pad = 3
        ix, iy = math.floor(x), math.floor(y)
        origin = (ix + left - pad, iy + top - pad)
        mask = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 0)
        ImageDraw.Draw(mask).text((x - ix - left + pad, y - iy - top + pad), piece.text, font=font, fill=255)
        self.image.paste(color, origin, mask)
        ink = mask.point(INK_LUT).getbbox()
        if ink is None:
            return  # nothing visible (should not happen for real text)
        box = clip_box(
            (origin[0] + ink[0], origin[1] + ink[1], origin[0] + ink[2], origin[1] + ink[3]), self.image.size
        )
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
    sender_lines: list[list[Run]] = [[(fab.full_name(sender), "PERSON")]]
    sender_lines += [[(line, "LOCATION")] for line in fab.address_lines(sender)]
    sender_lines += [[(fab.phone(sender), "PHONE_NUMBER")], [(sender.email, "EMAIL_ADDRESS")]]
    widest = max(font.getlength(runs[0][0]) for runs in sender_lines)
    x_sender = (
        margin if rng.random() < 0.4 else max(margin, min(width * rng.uniform(0.5, 0.58), width - margin - widest))
    )
    for runs in sender_lines:
        y = page.write(x_sender, y, runs, font, width=width - margin - x_sender)
    y = page.write(margin, y + gap, [(fab.date(date(2019, 1, 1), date(2026, 12, 31)), "DATE_TIME")], font) + gap
    recipient_lines: list[list[Run]] = [[(fab.full_name(recipient), "PERSON")]]
    recipient_lines += [[(line, "LOCATION")] for line in fab.address_lines(recipient)]
    for runs in recipient_lines:
        y = page.write(margin, y, runs, font)
    greeting = (
        [("Dear ", None), (recipient.title, "TITLE"), (" ", None), (recipient.last, "PERSON"), (",", None)]
        if rng.random() < 0.6
        else [(rng.choice(["Hello ", "Dear ", "Hi "]), None), (recipient.first, "PERSON"), (",", None)]
    )
    y = page.write(margin, y + gap, greeting, font) + gap * 0.5
    for _ in range(rng.randint(2, 3)):
        y = page.write(margin, y, paragraph(fab, rng.randint(1, 3)), font, width=width - 2 * margin) + gap * 0.5
    closing = rng.choice(["Yours truly,", "Sincerely,", "Kind regards,", "Best wishes,", "Yours faithfully,"])
    y = page.write(margin, y + gap * 0.5, closing, font) + gap
    y = page.write(margin, y, [(fab.full_name(sender), "PERSON")], font)
    if rng.random() < 0.5:
        y = page.write(margin, y, [(sender.job, "TITLE")], font)
    page.crop_height(y + margin)
    return page


FormField = tuple[str, Callable[[Fabricator, Person], list[Run]]]
FORM_FIELDS: list[FormField] = [
    ("Date of birth", lambda f, p: [(f.birthday(p), "DATE_OF_BIRTH")]),
    ("Age", lambda f, p: [(str(p.age), "AGE")]),
    ("Social Security No.", lambda f, p: [(f.ssn(), "US_SSN")]),
    ("Passport number", lambda f, p: [(f.passport(), "US_PASSPORT")]),
    ("Driver's license", lambda f, p: [(f.driver_license(), "US_DRIVER_LICENSE")]),
    ("Credit card", lambda f, p: [(f.credit_card(), "CREDIT_CARD")]),
    ("IBAN", lambda f, p: [(f.iban(), "IBAN_CODE")]),
    ("Bank account", lambda f, p: [(f.bank_account(), "US_BANK_NUMBER")]),
    ("Routing number", lambda f, p: [(f.routing(), "ROUTING_NUMBER")]),
    ("Email", lambda f, p: [(p.email, "EMAIL_ADDRESS")]),
    ("Phone", lambda f, p: [(f.phone(p), "PHONE_NUMBER")]),
    ("Home address", lambda f, p: [(p.street, "LOCATION")]),
    ("City / State / ZIP", lambda f, p: [(f.city_line(p), "LOCATION")]),
    ("Employer", lambda f, p: [(p.company, "ORGANIZATION")]),
    ("Occupation", lambda f, p: [(p.job, "TITLE")]),
    ("Wallet address", lambda f, p: [(f.crypto(), "CRYPTO")]),
    ("NHS number", lambda f, p: [(f.nhs(), "UK_NHS")]),
    ("Prescriber DEA no.", lambda f, p: [(f.medical_license(p), "MEDICAL_LICENSE")]),
    ("Last login IP", lambda f, p: [(f.ip_address(), "IP_ADDRESS")]),
    ("Website", lambda f, p: [(f.url(), "URL")]),
    ("Date signed", lambda f, p: [(f.date(), "DATE_TIME")]),
    ("Nationality", lambda f, p: [(f.nationality(), "NRP")]),
    ("Medical record no.", lambda f, p: [(f"MRN-{f.rng.randrange(10**6, 10**7)}", "MEDICAL_RECORD_NUMBER")]),
    ("Emergency contact", lambda f, p: [(f.full_name(f.person()), "PERSON")]),
]
FORM_TITLES = [
    "Account Application", "Change of Details Request", "Patient Registration", "Customer Onboarding Form",
    "Insurance Claim Form", "Tenancy Application", "Membership Form", "Direct Debit Mandate",
]  # fmt: skip


def build_form(fab: Fabricator, style: Style) -> Page:
    rng = fab.rng
    width, margin = style.px(8.5), style.px(rng.uniform(0.75, 1.0))
    page = Page((width, style.px(16)), style)
    font, small = page.font(), page.font(style.font_pt * 0.8)
    person = fab.person()
    y = page.write(margin, margin, rng.choice(FORM_TITLES), page.font(style.font_pt * 1.7, bold=True), style.accent)
    y += font.size
    fields: list[tuple[str, list[Run]]] = [("Full name", [(fab.full_name(person), "PERSON")])]
    fields += [(name, make(fab, person)) for name, make in rng.sample(FORM_FIELDS, rng.randint(7, 12))]
    content = width - 2 * margin
    if rng.random() < 0.5:
        y = form_rows(page, fields, margin, y, content, font, rng.choice([":", ""]))
    else:
        y = form_grid(page, fields, margin, y, content, font, small)
    y = page.write(margin, y + font.size * 0.6, "Comments:", page.font(bold=True)) + font.size * 0.2
    y = page.write(margin, y, paragraph(fab, rng.randint(1, 2)), font, width=content)
    page.crop_height(y + margin)
    return page


def form_rows(
    page: Page, fields: list[tuple[str, list[Run]]], x: int, y: float, width: int, font: Font, colon: str
) -> float:
    """Label: value rows, the values in a column."""
    column = x + max(font.getlength(name + colon) for name, _ in fields) + font.size * 1.5
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
        wide = font.getlength("".join(t for t, _ in value)) > half - 2 * pad
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
    y = page.write(margin, y0, "Bill to:", bold)
    bill: list[list[Run]] = [[(fab.full_name(customer), "PERSON")]]
    bill += [[(line, "LOCATION")] for line in fab.address_lines(customer)[:2]]
    bill += [[(customer.email, "EMAIL_ADDRESS")], [(fab.phone(customer), "PHONE_NUMBER")]]
    for runs in bill:
        y = page.write(margin, y, runs, font, width=content * 0.52)
    meta: list[list[Run]] = [
        [(f"Invoice No: INV-{rng.randrange(10000, 99999)}", None)],
        [("Date: ", None), (fab.date(date(2020, 1, 1), date(2026, 12, 31)), "DATE_TIME")],
        [("Due date: ", None), (fab.date(date(2020, 1, 1), date(2026, 12, 31)), "DATE_TIME")],
    ]
    y_meta = y0
    for runs in meta:
        y_meta = page.write(right, y_meta, runs, font)
    y = invoice_table(page, fab, margin, y + font.size * 1.5, content, font, bold)
    y = page.write(margin, y + font.size, invoice_payment(fab, customer), font, width=content)
    y = page.write(margin, y + font.size, paragraph(fab, rng.randint(1, 2)), font, width=content)
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
    return [("Crypto payments accepted at ", None), (fab.crypto(), "CRYPTO")]


CARD_KINDS: list[tuple[str, str, Callable[[Fabricator, Person], str], str]] = [
    ("IDENTIFICATION CARD", "NO", lambda f, p: f.driver_license(), "US_DRIVER_LICENSE"),
    ("DRIVER LICENSE", "DL", lambda f, p: f.driver_license(), "US_DRIVER_LICENSE"),
    ("PASSPORT CARD", "NO", lambda f, p: f.passport(), "US_PASSPORT"),
    ("HEALTH CARD", "NHS NO", lambda f, p: f.nhs(), "UK_NHS"),
    ("PRACTITIONER LICENSE", "DEA NO", lambda f, p: f.medical_license(p), "MEDICAL_LICENSE"),
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
    headers.append([("Date: ", None), (fab.date_time(), "DATE_TIME")])
    y += font.size * 0.3
    for runs in headers:
        y = page.write(margin, y, runs, small, width=content, leading=1.6)
    page.draw.line([margin, y, width - margin, y], fill=style.accent, width=max(1, int(font.size // 20)))
    y += font.size * 0.8
    y = page.write(
        margin, y, [(rng.choice(["Hi ", "Hello ", "Dear "]), None), (recipient.first, "PERSON"), (",", None)], font
    )
    y += font.size * 0.5
    for _ in range(rng.randint(1, 3)):
        y = page.write(margin, y, paragraph(fab, rng.randint(1, 2)), font, width=content) + font.size * 0.5
    y = page.write(margin, y, "--", small, leading=1.6)
    signature: list[list[Run]] = [
        [(fab.full_name(sender), "PERSON")],
        [(sender.job, "TITLE")],
        [(fab.phone(sender), "PHONE_NUMBER")],
    ]
    for runs in signature[: rng.randint(2, 3)]:
        y = page.write(margin, y, runs, small, leading=1.6)
    page.crop_height(y + margin)
    return page


LAYOUT_BUILDERS: dict[str, Callable[[Fabricator, Style], Page]] = {
    "letter": build_letter,
    "form": build_form,
    "invoice": build_invoice,
    "id_card": build_id_card,
    "email": build_email,
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


def choose_style(rng: random.Random, layout: str) -> Style:
    family = rng.choices(list(FAMILY_WEIGHTS), weights=list(FAMILY_WEIGHTS.values()))[0]
    regular, bold = rng.choice(FONT_FAMILIES[family])
    dark = layout == "email" and rng.random() < 0.4
    text, background = rng.choice(DARK_THEMES) if dark else (rng.choice(TEXT_COLORS), rng.choice(BACKGROUNDS))
    return Style(
        dpi=rng.choice([200, 300]) if layout == "id_card" else rng.choice([150, 200, 200, 300]),
        font_pt=rng.randint(9, 14),
        family=family,
        font_file=regular,
        bold_file=bold,
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


def layout_for(seed: int, index: int) -> str:
    """Each block of five images has every layout once, in a seeded order (independent of --count)."""
    order = random.Random(f"heldout-layouts:{seed}:{index // len(LAYOUTS)}").sample(LAYOUTS, len(LAYOUTS))
    return order[index % len(LAYOUTS)]


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
        "style": plan.style.truth(),
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


def make_image(index: int, seed: int, resources: Resources, fakers: dict[str, Faker], folder: Path) -> dict[str, Any]:
    """Render, degrade and save image ``index``; returns its ground truth (also written as JSON)."""
    rng = random.Random(f"heldout:{seed}:{index}")
    plan = choose_plan(rng, layout_for(seed, index))
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
    return parser.parse_args(argv)


def pin_hash_seed() -> None:
    """Re-run this script with PYTHONHASHSEED=0: a few Faker providers (it_IT cities, for one) pick
    from sets, whose order follows the hash seed, so the output would otherwise vary from run to run."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, *sys.argv])


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    missing = [f for faces in FONT_FAMILIES.values() for pair in faces for f in pair if not (FONT_DIR / f).is_file()]
    if missing:
        raise SystemExit(f"fonts not found in {FONT_DIR}: {', '.join(missing)}")
    resources = load_resources()
    folder = args.out / "dev"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in [*folder.glob("heldout_*.*")]:
        stale.unlink()
    fakers: dict[str, Faker] = {}
    truths = []
    for index in range(args.count):
        truths.append(make_image(index, args.seed, resources, fakers, folder))
        print(f"[{index + 1}/{args.count}] {truths[-1]['file']} {truths[-1]['layout']}", file=sys.stderr)
    print(summary(truths))
    print(f"wrote {folder}")
    return 0


if __name__ == "__main__":
    pin_hash_seed()
    sys.exit(main())
