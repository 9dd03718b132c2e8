"""Render scan-like document images (typewriter, dot-matrix, fax, thermal receipt, photocopy) with exact PII truth.

The output has the dev set's layout (/work/shared/bench/dev/README.md): for each image
``scan_NNN.<ext>`` a ``scan_NNN.json`` with format, displayed size, layout (here: the document kind),
degradations and their parameters, style, and every rendered word piece with its ink box and entity.
``scripts/bench_engine.py --data <out>`` and ``scripts/bench_ocr.py --data <out>`` score it unchanged.

Content: letter and message bodies are sentences written for this script (``PROSE`` below, filled in
with fictitious values); people, addresses, phone numbers, card and account numbers are Faker values
and presidio-evaluator's fake-person records, drawn exactly as ``scripts/make_heldout.py`` draws them
(people limited to Latin script: the documents are English). Nothing is copied from a labelled set.

Document kinds (``layout`` in the JSON):

* ``typewriter_letter``  Courier-like type struck character by character: uneven strike strength,
  baseline jitter, ribbon texture; scanned flat or photographed.
* ``dotmatrix_statement``  an account statement from a 9-pin printer: each glyph is a low-resolution
  bitmap whose pixels are stamped as round dots (worn ribbon, sometimes a dead pin), on continuous
  paper with green bars and tractor holes.
* ``fax``  a cover sheet received by fax: a blocky fax-font header line with date, phone numbers
  and page count, the page binarised at 200 x 100 dpi and shown with every row doubled, with
  scanner streaks, dropped lines and speckle; 1-bit TIFF (Group 4).
* ``thermal_receipt``  an 80 mm or 58 mm till receipt in a thermal printer's bitmap or plain font,
  grey and faded unevenly, with dead heating elements; photographed on a table.
* ``photocopy_form``  a filled-in form copied on a photocopier (greys as a halftone screen, toner
  speckle, dark copy edges) and scanned, sometimes to 1 bit.

Damage (``degradations``; each image gets several): uneven_lighting, vignetting, shadow,
paper_texture, bleed_through, speckle, curl (a smooth non-linear warp), skew, perspective, low_dpi
(90-100 dpi), jpeg_low_quality, halftone, binarized, fax_streaks, faded.

Ground truth stays exact through every geometric step. Each word piece is drawn through its own
glyph mask; the mask's ink pixels (>= 50%) are written with the word's number into a label map that
is warped with the page (the same inverse map, nearest neighbour), so a word's box after skew, curl
and perspective is the bounding box of its own warped ink. Resampling moves boxes by the scale
factors, as in ``make_heldout.py``. Everything is drawn from ``--seed`` (the script re-runs itself with
PYTHONHASHSEED=0), and image N does not depend on ``--count``.

Needs: Faker and presidio-evaluator's data (as ``make_heldout.py``), OpenCV (installed with the
project), and the FreeFont typefaces (``apt-get install fonts-freefont-ttf``) for the typewriter face.

Usage (from the repository root)::

    .venv/bin/python scripts/make_scans.py --seed 1 --count 40 --out /tmp/scans
    .venv/bin/python scripts/bench_ocr.py --data /tmp/scans
    .venv/bin/python scripts/bench_engine.py --systems ours --skip-c2 --data /tmp/scans --out /tmp/scans-out
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from faker import Faker
from PIL import Image, ImageDraw, ImageFont, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_heldout as mh  # noqa: E402 - the fake-value machinery and page writer are shared

RGB = tuple[int, int, int]
Run = mh.Run

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FREEFONT = Path("/usr/share/fonts/truetype/freefont")
FONTS = {
    "typewriter": (FREEFONT / "FreeMono.ttf", FREEFONT / "FreeMonoBold.ttf"),
    "mono": (DEJAVU / "DejaVuSansMono.ttf", DEJAVU / "DejaVuSansMono-Bold.ttf"),
    "sans": (DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"),
    "serif": (DEJAVU / "DejaVuSerif.ttf", DEJAVU / "DejaVuSerif-Bold.ttf"),
    "free_sans": (FREEFONT / "FreeSans.ttf", FREEFONT / "FreeSansBold.ttf"),
}
KINDS = ("typewriter_letter", "dotmatrix_statement", "fax", "thermal_receipt", "photocopy_form")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "TIFF": "tif"}
INK_THRESHOLD = mh.INK_THRESHOLD

# Sentences written for this script (not taken from any data set); {{placeholders}} as in
# presidio-evaluator's templates, filled in by make_heldout's Fabricator.
PROSE = [
    "I am writing on behalf of {{person}} about the account opened on {{date_time}}.",
    "Please return the signed copy to {{address}} before {{date_time}}.",
    "Our records show that {{first_name}} moved from {{city}} to {{country}} last spring.",
    "You may reach me at {{phone_number}} on any weekday morning.",
    "The card {{credit_card_number}} was declined on {{date_time}} and has been blocked.",
    "Kindly note my new address: {{address}}.",
    "{{prefix}} {{last_name}} will attend the hearing in {{city}} on {{date_time}}.",
    "A copy of this letter has been sent to {{email}} and to our office in {{city}}.",
    "The tenant, {{person}}, aged {{age}}, has paid the rent for the period in full.",
    "Payment should be made to {{iban}}, quoting the reference above.",
    "The patient, born on {{date_of_birth}}, was seen at the clinic on {{date_time}}.",
    "The social security number {{ssn}} on the enclosed form does not match our file.",
    "Enclosed is the statement for {{person}} of {{street_name}}, {{city}}.",
    "If you have any questions, write to {{email}} or call {{phone_number}}.",
    "The vehicle is registered to {{person}}, driver's license {{us_driver_license}}.",
    "Thank you for your letter of {{date_time}} about the repairs at {{address}}.",
    "The meeting with {{person}} has been moved to {{day_of_week}}.",
    "We regret the delay in answering your enquiry.",
    "The enclosed cheque covers the amount due for the last quarter.",
    "According to the report, {{first_name}} {{last_name}} left {{city}} on {{date_time}}.",
    "The account holder, {{person}}, can be contacted at {{email}}.",
    "The parcel will be delivered to {{building_number}} {{street_name}}, {{city}} {{postcode}}.",
    "Our agent in {{country}} will call you from {{phone_number}}.",
    "The claim filed by {{person}} on {{date_time}} is still under review.",
    "The last sign-in to the account came from {{ip_address}} on {{date_time}}.",
    "Forms and notices are also published at {{url}}.",
    "The premium will be taken from the account in the name of {{person}} each month.",
    "Nothing further is needed from you at this stage.",
    "I should be grateful if you would confirm receipt of this letter.",
    "{{first_name}} has worked for us since {{year}} and is {{age}} years old.",
    "Please ask for {{prefix}} {{last_name}} when you call {{phone_number}}.",
    "We have written to {{person}} at {{address}} twice without an answer.",
]
# Words for bleed-through (a mirrored page behind the paper; never part of the ground truth).
FILLER = (
    "the of and to in that it was for on are as with his they at be this from have or one had by word but not "
    "what all were when we there can an your which their said if do will each about how up out them then she"
).split()


def is_latin(text: str) -> bool:
    return all(not c.isalpha() or c.isascii() or "LATIN" in unicodedata.name(c, "") for c in text)


class Fabricator(mh.Fabricator):
    """make_heldout's fake values, with people limited to Latin script (English-language documents)."""

    def person(self, gender: str | None = None) -> mh.Person:
        for _ in range(100):
            made = super().person(gender)
            if all(is_latin(str(v)) for v in made.__dict__.values()):
                return made
        return made

    def address_lines(self, p: mh.Person) -> list[str]:
        for _ in range(20):
            lines = super().address_lines(p)
            if all(is_latin(line) for line in lines):
                return lines
        return [p.street, self.city_line(p)]


# --------------------------------------------------------------------------------------- fonts


class BitmapFont:
    """A low-resolution bitmap face whose pixels are stamped as dots (dot matrix) or squares (fax, thermal).

    ``pixel_size`` is the face's size in printer pixels, ``scale`` the page pixels per printer pixel.
    Duck-types what ``make_heldout.Page.write`` needs of a font: ``size``, ``getlength``, ``getbbox``.
    """

    def __init__(self, path: Path, pixel_size: int, scale: int, *, round_dots: bool) -> None:
        self.small = ImageFont.truetype(str(path), pixel_size)
        self.scale = scale
        self.size = pixel_size * scale
        self.round_dots = round_dots
        if round_dots:
            r = scale / 2
            yy, xx = np.mgrid[0:scale, 0:scale] + 0.5
            self.tile = (((xx - r) ** 2 + (yy - r) ** 2) <= (r * 0.92) ** 2).astype(np.float32)
        else:
            self.tile = np.ones((scale, scale), np.float32)

    def getlength(self, text: str) -> float:
        return self.small.getlength(text) * self.scale

    def getbbox(self, text: str) -> tuple[int, int, int, int]:
        left, top, right, bottom = self.small.getbbox(text)
        return left * self.scale, top * self.scale, right * self.scale, bottom * self.scale

    def mask(
        self, text: str, x: float, y: float, rng: random.Random, dead_row: int | None
    ) -> tuple[np.ndarray, tuple[int, int]]:
        """The piece's ink (0..1 floats) and its top-left corner on the page."""
        s = self.scale
        lx, ly = round(x / s), round(y / s)
        left, top, right, bottom = self.small.getbbox(text)
        low = Image.new("L", (right - left + 2, bottom - top + 2), 0)
        draw = ImageDraw.Draw(low)
        draw.fontmode = "1"
        draw.text((1 - left, 1 - top), text, font=self.small, fill=255)
        on = np.asarray(low, dtype=np.float32) / 255.0
        if dead_row is not None and 0 <= dead_row - (top - 1) < on.shape[0]:
            on[dead_row - (top - 1), :] = 0.0  # a broken pin: one dot row missing on every line
        strength = np.random.default_rng(rng.getrandbits(32)).uniform(0.72, 1.0, on.shape).astype(np.float32)
        ink = np.kron(on * strength, self.tile)
        return ink, ((lx + left - 1) * s, (ly + top - 1) * s)


@dataclass
class Ink:
    """How glyphs reach the paper: plain (laser/inkjet), typewriter strikes, or a bitmap face."""

    kind: str = "plain"  # plain, typewriter
    dead_row: int | None = None  # dot-matrix broken pin (row index in printer pixels)


# --------------------------------------------------------------------------------------- the page


class ScanPage(mh.Page):
    """make_heldout's page, plus a label map: every word's ink pixels hold its number + 1."""

    def __init__(self, size: tuple[int, int], style: mh.Style, rng: random.Random, ink: Ink | None = None) -> None:
        super().__init__(size, style)
        self.rng = rng
        self.ink = ink or Ink()
        self.labels = np.zeros((size[1], size[0]), np.int32)
        self._faces: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}

    def font(self, pt: float | None = None, *, bold: bool = False) -> ImageFont.FreeTypeFont:
        path = FONTS[self.style.family][1 if bold else 0]
        size = round((pt or self.style.font_pt) * self.style.dpi / 72)
        key = (str(path), size)
        if key not in self._faces:
            self._faces[key] = ImageFont.truetype(str(path), size)
        return self._faces[key]

    def segments(self, font: Any, text: str) -> list[tuple[Any, str]]:
        return [(font, text)]  # DejaVu and FreeFont faces (and bitmaps drawn from them): no fallback face needed

    def _piece(self, x: float, y: float, piece: mh.Piece, font: Any, color: RGB) -> None:
        if isinstance(font, BitmapFont):
            ink, origin = font.mask(piece.text, x, y, self.rng, self.ink.dead_row)
        elif self.ink.kind == "typewriter":
            ink, origin = self._typewriter_mask(piece.text, x, y, font)
        else:
            ink, origin = self._plain_mask(piece.text, x, y, font)
        self._stamp(ink, origin, piece, color)

    @staticmethod
    def _plain_mask(text: str, x: float, y: float, font: ImageFont.FreeTypeFont) -> tuple[np.ndarray, tuple[int, int]]:
        left, top, right, bottom = (int(v) for v in font.getbbox(text))
        pad = 3
        ix, iy = math.floor(x), math.floor(y)
        mask = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 0)
        ImageDraw.Draw(mask).text((x - ix - left + pad, y - iy - top + pad), text, font=font, fill=255)
        return np.asarray(mask, dtype=np.float32) / 255.0, (ix + left - pad, iy + top - pad)

    def _typewriter_mask(
        self, text: str, x: float, y: float, font: ImageFont.FreeTypeFont
    ) -> tuple[np.ndarray, tuple[int, int]]:
        """Each character struck on its own: strength, baseline and position vary; the ribbon's weave shows."""
        left, top, right, bottom = (int(v) for v in font.getbbox(text))
        pad = 3 + font.size // 12
        ix, iy = math.floor(x), math.floor(y)
        mask = np.zeros((bottom - top + 2 * pad, right - left + 2 * pad), np.float32)
        jitter = font.size / 40
        for i, char in enumerate(text):
            if char.isspace():
                continue
            glyph = Image.new("L", (mask.shape[1], mask.shape[0]), 0)
            cx = x - ix - left + pad + font.getlength(text[:i]) + self.rng.uniform(-jitter, jitter)
            cy = y - iy - top + pad + self.rng.uniform(-jitter, jitter) * 1.5
            draw = ImageDraw.Draw(glyph)
            draw.text((cx, cy), char, font=font, fill=255)
            if self.rng.random() < 0.12:  # a heavy or doubled strike
                draw.text((cx + font.size / 40, cy), char, font=font, fill=255)
            strength = self.rng.uniform(0.62, 1.0)
            mask = np.maximum(mask, np.asarray(glyph, np.float32) / 255.0 * strength)
        weave = np.random.default_rng(self.rng.getrandbits(32)).uniform(0.7, 1.0, mask.shape).astype(np.float32)
        return np.clip(mask * weave * 1.08, 0, 1), (ix + left - pad, iy + top - pad)

    def _stamp(self, ink: np.ndarray, origin: tuple[int, int], piece: mh.Piece, color: RGB) -> None:
        """Paste the ink in ``color``, label its >= 50% pixels, record the word with its ink box."""
        height, width = self.labels.shape
        ox, oy = origin
        x0, y0 = max(0, ox), max(0, oy)
        x1, y1 = min(width, ox + ink.shape[1]), min(height, oy + ink.shape[0])
        if x1 <= x0 or y1 <= y0:
            return
        part = ink[y0 - oy : y1 - oy, x0 - ox : x1 - ox]
        mask = Image.fromarray(np.clip(part * 255 + 0.5, 0, 255).astype(np.uint8), "L")
        self.image.paste(color, (x0, y0), mask)
        solid = part * 255 >= INK_THRESHOLD
        if not solid.any():
            return
        index = len(self.words)
        self.labels[y0:y1, x0:x1][solid] = index + 1
        ys, xs = np.nonzero(solid)
        box = (x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1)
        if piece.entity is not None:
            self.entities[piece.entity].words.append(index)
        self.words.append(mh.Word(piece.text, box, piece.entity))

    def crop_height(self, height: float) -> None:
        super().crop_height(height)
        self.labels = self.labels[: self.image.height]

    def rule(self, x0: float, y: float, x1: float, width: int = 2, color: RGB | None = None) -> None:
        self.draw.line([(x0, y), (x1, y)], fill=color or self.style.text_color, width=width)


def make_style(dpi: int, font_pt: float, family: str, text: RGB, paper: RGB, accent: RGB = (40, 40, 40)) -> mh.Style:
    regular, bold = FONTS[family]
    return mh.Style(
        dpi=dpi,
        font_pt=font_pt,  # type: ignore[arg-type]
        family=family,
        face=family,
        font_file=str(regular),
        bold_file=str(bold),
        fallback_file=str(regular),
        fallback_bold_file=str(bold),
        text_color=text,
        background=paper,
        accent=accent,
        dark=False,
    )


# ------------------------------------------------------------------------------------ documents


def letter_date(fab: Fabricator) -> str:
    return fab.date(date(1978, 1, 1), date(2026, 12, 31))


def body(fab: Fabricator, sentences: int) -> list[Run]:
    return mh.paragraph(fab, sentences)


def build_typewriter_letter(fab: Fabricator) -> ScanPage:
    rng = fab.rng
    style = make_style(
        300,
        rng.choice([10, 11, 12]),
        "typewriter",
        rng.choice([(25, 25, 30), (30, 30, 60), (45, 35, 35)]),
        (250, 248, 240),
    )
    page = ScanPage((style.px(8.5), style.px(11)), style, rng, Ink("typewriter"))
    font = page.font()
    leading = rng.choice([1.0, 1.1, 1.25])
    margin = style.px(rng.uniform(0.9, 1.2))
    line = font.size * leading
    sender, recipient = fab.person(), fab.person()
    y: float = margin
    x_sender = style.px(rng.uniform(4.3, 4.9))
    for runs in [[(fab.full_name(sender), "PERSON")], *[[(ln, "LOCATION")] for ln in fab.address_lines(sender)]]:
        y = page.write(x_sender, y, runs, font, leading=leading)
    y = page.write(x_sender, y, [("Tel. ", None), (fab.phone(sender), "PHONE_NUMBER")], font, leading=leading)
    y = page.write(x_sender, y + line, [(letter_date(fab), "DATE_TIME")], font, leading=leading) + line
    for runs in [[(fab.full_name(recipient), "PERSON")], *[[(ln, "LOCATION")] for ln in fab.address_lines(recipient)]]:
        y = page.write(margin, y, runs, font, leading=leading)
    y += line
    if rng.random() < 0.6:
        reference = rng.choice(["Your ref. ", "Policy no. ", "Account "])
        y = (
            page.write(margin, y, [(reference, None), (fab.bank_account(), "US_BANK_NUMBER")], font, leading=leading)
            + line
        )
    greeting = [("Dear ", None), (recipient.title, "TITLE"), (" ", None), (recipient.last, "PERSON"), (",", None)]
    y = page.write(margin, y, greeting, font, leading=leading) + line
    text_width = page.image.width - 2 * margin
    for _ in range(rng.randint(2, 3)):
        y = page.write(margin, y, body(fab, rng.randint(2, 3)), font, width=text_width, leading=leading) + line
        if y > page.image.height - margin - 5 * line:
            break
    y = (
        page.write(margin, y, rng.choice(["Yours sincerely,", "Yours faithfully,", "Very truly yours,"]), font)
        + 2.5 * line
    )
    page.write(margin, y, [(fab.full_name(sender), "PERSON")], font, leading=leading)
    return page


def build_dotmatrix_statement(fab: Fabricator) -> ScanPage:
    rng = fab.rng
    dpi = 300
    scale = rng.choice([4, 5])
    style = make_style(dpi, 10, "mono", rng.choice([(30, 30, 35), (40, 40, 80), (55, 50, 50)]), (248, 248, 242))
    ink = Ink("dots", dead_row=rng.choice([None, None, None, 3, 5]))
    page = ScanPage((style.px(9.5), style.px(11)), style, rng, ink)
    face = BitmapFont(FONTS["mono"][0], rng.choice([9, 10]), scale, round_dots=True)
    bold = BitmapFont(FONTS["mono"][1], 12, scale, round_dots=True)
    # continuous stationery: green bars every other half inch, tractor holes in both margins
    if rng.random() < 0.7:
        for top in np.arange(style.px(0.5), page.image.height, style.px(1.0)):
            page.draw.rectangle(
                [style.px(0.5), top, page.image.width - style.px(0.5), top + style.px(0.5)], fill=(214, 236, 214)
            )
    for top in np.arange(style.px(0.25), page.image.height, style.px(0.5)):
        for cx in (style.px(0.25), page.image.width - style.px(0.25)):
            r = style.px(0.078)
            page.draw.ellipse([cx - r, top - r, cx + r, top + r], fill=(70, 70, 70))
    left = style.px(0.8)
    width = page.image.width - 2 * left
    customer = fab.person()
    y: float = style.px(0.7)
    y = page.write(left, y, [(fab.organization().upper(), "ORGANIZATION")], bold)
    y = page.write(left, y, "STATEMENT OF ACCOUNT", bold) + face.size
    account = fab.bank_account()
    y0 = y
    for runs in [
        [(fab.full_name(customer).upper(), "PERSON")],
        *[[(ln.upper(), "LOCATION")] for ln in fab.address_lines(customer)],
    ]:
        y = page.write(left, y, runs, face, leading=1.3)
    right = left + width * 0.58
    yr = page.write(right, y0, [("ACCOUNT NO: ", None), (account, "US_BANK_NUMBER")], face, leading=1.3)
    yr = page.write(right, yr, [("STATEMENT DATE: ", None), (fab.date(), "DATE_TIME")], face, leading=1.3)
    yr = page.write(right, yr, [("TEL: ", None), (fab.phone(customer), "PHONE_NUMBER")], face, leading=1.3)
    y = max(y, yr) + face.size
    columns = [left, left + width * 0.2, left + width * 0.66, left + width * 0.84]
    for x, head in zip(columns, ["DATE", "DESCRIPTION", "AMOUNT", "BALANCE"], strict=True):
        page.write(x, y, head, bold)
    y += bold.size * 1.6
    balance = rng.uniform(200, 5000)
    for _ in range(rng.randint(8, 16)):
        amount = rng.uniform(-400, 300)
        balance += amount
        description = rng.choice(
            ["PAYMENT RECEIVED", "SERVICE CHARGE", "INTEREST", "TRANSFER", "CHEQUE 00" + str(rng.randrange(1000, 9999)),
             "STANDING ORDER", "DIRECT DEBIT", "CASH WITHDRAWAL"]
        )  # fmt: skip
        page.write(columns[0], y, [(fab.date(date(2019, 1, 1), date(2026, 12, 31)), "DATE_TIME")], face)
        page.write(columns[1], y, description, face)
        page.write(columns[2], y, f"{amount:10.2f}", face)
        y = page.write(columns[3], y, f"{balance:10.2f}", face, leading=1.5)
    y += face.size
    note = body(fab, rng.randint(1, 2))
    y = page.write(left, y, note, face, width=width, leading=1.4)
    page.write(left, y + face.size, [("QUERIES: ", None), (fab.phone(fab.person()), "PHONE_NUMBER")], face)
    return page


def build_fax(fab: Fabricator) -> ScanPage:
    rng = fab.rng
    style = make_style(
        200, rng.choice([11, 12]), rng.choice(["sans", "serif", "free_sans"]), (0, 0, 0), (255, 255, 255)
    )
    page = ScanPage((1728, 2200), style, rng)
    font, big = page.font(), page.font(30, bold=True)
    header = BitmapFont(FONTS["mono"][0], rng.choice([8, 9]), 2, round_dots=False)
    sender, recipient = fab.person(), fab.person()
    sent = fab.faker().date_time_between(datetime(1995, 1, 1), datetime(2026, 12, 31))
    pages = rng.randint(2, 6)
    x = 40
    stamp = sent.strftime(rng.choice(["%m/%d/%Y %H:%M", "%d.%m.%y %H:%M", "%b %d %Y %I:%M%p"]))
    header_runs: list[Run] = [
        (stamp, "DATE_TIME"), ("   FROM: ", None), (fab.phone(sender), "PHONE_NUMBER"),
        ("   TO: ", None), (fab.phone(recipient), "PHONE_NUMBER"), (f"   P.001/{pages:03d}", None),
    ]  # fmt: skip
    page.write(x, 12, header_runs, header)
    margin = style.px(0.9)
    y = page.write(margin, style.px(0.9), "FAX", big) + font.size
    organization = fab.organization()
    y = page.write(margin, y, [(organization, "ORGANIZATION")], page.font(14, bold=True)) + font.size
    rows: list[tuple[str, list[Run]]] = [
        ("To:", [(fab.full_name(recipient), "PERSON")]),
        ("Fax:", [(fab.phone(recipient), "PHONE_NUMBER")]),
        ("Phone:", [(fab.phone(recipient), "PHONE_NUMBER")]),
        ("From:", [(fab.full_name(sender), "PERSON")]),
        ("Date:", [(fab.date(), "DATE_TIME")]),
        ("Pages:", [(f"{pages} including cover", None)]),
        ("Re:", [(rng.choice(["Claim ", "Account ", "Case "]) + str(rng.randrange(10**5, 10**6)), None)]),
    ]
    column = margin + font.getlength("Phone:") + font.size * 1.5
    for label, value in rows:
        page.write(margin, y, label, page.font(bold=True))
        y = page.write(column, y, value, font) + font.size * 0.5
    page.rule(margin, y + font.size * 0.5, page.image.width - margin, 3, (0, 0, 0))
    y += font.size * 1.5
    text_width = page.image.width - 2 * margin
    for _ in range(rng.randint(2, 3)):
        y = page.write(margin, y, body(fab, rng.randint(2, 3)), font, width=text_width) + font.size * 0.8
    y = page.write(margin, y, [("Regards, ", None), (sender.first, "PERSON")], font) + font.size * 1.5
    notice = (
        "CONFIDENTIAL: this message is meant only for the person named above. If you have received it in "
        "error, please tell the sender by telephone and destroy the pages."
    )
    page.write(margin, y, notice, page.font(style.font_pt * 0.8), width=text_width)
    return page


STORE_WORDS = ["Corner", "Market", "Grocer", "Pharmacy", "Hardware", "Deli", "Books", "Garden", "Foods", "Bakery"]
ITEMS = [
    "MILK 2L", "BREAD WHITE", "EGGS 12", "APPLES KG", "COFFEE 250G", "BATTERIES AA", "TAPE 25M", "SOAP", "RICE 1KG",
    "PASTA", "TOMATOES", "CHEESE", "NEWSPAPER", "LIGHT BULB", "PAINKILLERS", "TEA 80", "BUTTER", "ORANGE JUICE",
]  # fmt: skip


def build_thermal_receipt(fab: Fabricator) -> ScanPage:
    rng = fab.rng
    narrow = rng.random() < 0.35
    columns = 32 if narrow else 48
    grey = rng.randint(40, 95)
    style = make_style(406, 9, "mono", (grey, grey, grey + 5), (250, 250, 247))
    width = 384 * 2 if narrow else 576 * 2
    page = ScanPage((width, style.px(12)), style, rng)
    bitmap = rng.random() < 0.6
    # a 12 x 24 dot printer font, or an outline font sized to the same number of columns
    face: Any = (
        BitmapFont(FONTS["mono"][0], 20, 2, round_dots=False)
        if bitmap
        else page.font((width - 24) / columns / 0.61 * 72 / 406)
    )
    cell = face.getlength("0")
    columns = min(columns, int((width - 24) // cell))
    left = (width - columns * cell) / 2
    line_width = columns * cell

    def line(y: float, runs: Sequence[Run] | str, align: str = "left") -> float:
        return page.write(left, y, runs, face, width=line_width, align=align, leading=1.25)

    def centre(y: float, runs: Sequence[Run] | str) -> float:
        text = runs if isinstance(runs, str) else "".join(t for t, _ in runs)
        pad = max(0.0, (line_width - face.getlength(text)) / 2)
        return page.write(left + pad, y, runs, face, leading=1.25)

    def pair(y: float, label: str, amount: str) -> float:
        page.write(left, y, label, face)
        return line(y, amount, "right")

    store = fab.person()
    y: float = 40
    name = f"{store.last.upper()}'S {rng.choice(STORE_WORDS).upper()}"
    y = centre(y, [(name, "ORGANIZATION")])
    address = fab.address_lines(store)
    y = centre(y, [(address[0], "LOCATION")])
    y = centre(y, [(fab.city_line(store), "LOCATION")])
    y = centre(y, [("TEL ", None), (fab.phone(store), "PHONE_NUMBER")]) + face.size * 0.5
    moment = fab.faker().date_time_between(datetime(2010, 1, 1), datetime(2026, 12, 31))
    y = line(y, [(moment.strftime(rng.choice(["%d/%m/%Y %H:%M", "%m/%d/%y %I:%M %p", "%Y-%m-%d %H:%M"])), "DATE_TIME")])
    cashier = fab.person()
    y = line(y, [("CASHIER: ", None), (cashier.first.upper(), "PERSON"), (f"  REG {rng.randint(1, 9)}", None)])
    y = line(y, "-" * columns)
    total = 0.0
    for _ in range(rng.randint(3, 9)):
        price = round(rng.uniform(0.5, 30), 2)
        total += price
        y = pair(y, rng.choice(ITEMS), f"{price:.2f}")
    y = line(y, "-" * columns)
    tax = round(total * 0.08, 2)
    y = pair(y, "SUBTOTAL", f"{total:.2f}")
    y = pair(y, "TAX", f"{tax:.2f}")
    y = pair(y, "TOTAL", f"{total + tax:.2f}") + face.size * 0.5
    brand = rng.choice(["VISA", "MASTERCARD", "AMEX", "DEBIT"])
    digits = f"{rng.randrange(10000):04d}"
    y = line(y, [(f"{brand} ", None), ("*" * 12 + digits, "CARD_LAST_DIGITS")])
    y = line(y, f"AUTH {rng.randrange(10**6):06d}  APPROVED")
    holder = fab.person()
    y = line(y, [("CARDHOLDER: ", None), (f"{holder.first} {holder.last}".upper(), "PERSON")])
    if rng.random() < 0.5:
        y = line(
            y, [("MEMBER: ", None), (holder.email.upper() if rng.random() < 0.3 else holder.email, "EMAIL_ADDRESS")]
        )
    if rng.random() < 0.4:
        y = line(y, [("SHIP TO: ", None), (fab.city_line(holder).upper(), "LOCATION")])
    y += face.size * 0.5
    y = centre(y, "THANK YOU FOR SHOPPING")
    y = centre(y, "KEEP THIS RECEIPT")
    page.crop_height(y + 60)
    return page


def build_photocopy_form(fab: Fabricator) -> ScanPage:
    rng = fab.rng
    style = make_style(
        300, rng.choice([10, 11, 12]), rng.choice(["sans", "serif", "free_sans"]), (20, 20, 20), (255, 255, 255)
    )
    page = ScanPage((style.px(8.5), style.px(11)), style, rng)
    font, small = page.font(), page.font(style.font_pt * 0.8)
    margin = style.px(rng.uniform(0.7, 0.9))
    # a grey title band and a grey logo: the photocopier turns greys into a halftone screen
    band = rng.randint(150, 205)
    page.draw.rectangle([margin, margin, page.image.width - margin, margin + style.px(0.55)], fill=(band, band, band))
    page.draw.ellipse(
        [
            page.image.width - margin - style.px(0.5),
            margin + style.px(0.05),
            page.image.width - margin - style.px(0.05),
            margin + style.px(0.5),
        ],
        fill=(90, 90, 90),
    )
    y = page.write(
        margin + style.px(0.15),
        margin + style.px(0.1),
        rng.choice(mh.FORM_TITLES),
        page.font(style.font_pt * 1.6, bold=True),
        (0, 0, 0),
    )
    y = max(y, margin + style.px(0.55)) + font.size
    person = fab.person()
    fields: list[tuple[str, list[Run]]] = [("Full name", [(fab.full_name(person), "PERSON")])]
    fields += [("Address", [(person.street, "LOCATION")])]
    fields += [(rng.choice(names), make(fab, person)) for names, make in rng.sample(mh.FORM_FIELDS, rng.randint(6, 10))]
    content = page.image.width - 2 * margin
    if rng.random() < 0.5:
        y = mh.form_rows(page, fields, margin, y, content, font, rng.choice([":", ""]))
    else:
        y = mh.form_grid(page, fields, margin, y, content, font, small)
    y = page.write(margin, y + font.size * 0.6, "Declaration:", page.font(bold=True)) + font.size * 0.2
    y = page.write(margin, y, body(fab, rng.randint(1, 2)), font, width=content)
    y = page.write(
        margin,
        y + font.size,
        [("Signed on ", None), (fab.date(), "DATE_TIME"), (" by ", None), (fab.full_name(person), "PERSON")],
        font,
    )
    return page


BUILDERS: dict[str, Callable[[Fabricator], ScanPage]] = {
    "typewriter_letter": build_typewriter_letter,
    "dotmatrix_statement": build_dotmatrix_statement,
    "fax": build_fax,
    "thermal_receipt": build_thermal_receipt,
    "photocopy_form": build_photocopy_form,
}


# ------------------------------------------------------------------------------------ damage


def field_noise(shape: tuple[int, int], cells: int, rng: np.random.Generator) -> np.ndarray:
    """Smooth random field in [-1, 1] with about ``cells`` bumps across the longer side."""
    h, w = shape
    side = max(h, w)
    gh, gw = max(2, round(cells * h / side) + 2), max(2, round(cells * w / side) + 2)
    coarse = rng.uniform(-1, 1, (gh, gw)).astype(np.float32)
    return cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC).clip(-1, 1)


def paper_texture(pixels: np.ndarray, rng: np.random.Generator, strength: float) -> np.ndarray:
    h, w = pixels.shape[:2]
    blotches = 1 + strength * field_noise((h, w), 12, rng)
    grain = rng.normal(0, 255 * strength * 0.35, (h, w)).astype(np.float32)
    grain = cv2.GaussianBlur(grain, (0, 0), 0.8)
    return pixels * blotches[..., None] + grain[..., None]


def bleed_through(pixels: np.ndarray, rng: np.random.Generator, dpi: int, alpha: float) -> np.ndarray:
    """The mirrored text of the other side, faint and blurred."""
    h, w = pixels.shape[:2]
    back = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(back)
    size = round(11 * dpi / 72)
    face = ImageFont.truetype(str(FONTS["serif"][0]), size)
    y = dpi * 0.9
    while y < h - dpi * 0.8:
        text = FILLER[int(rng.integers(len(FILLER)))]
        while face.getlength(text) < w - 2.2 * dpi:
            text += " " + FILLER[int(rng.integers(len(FILLER)))]
        draw.text((dpi * 1.0, y), text, font=face, fill=255)
        y += size * 1.5
    mirrored = np.asarray(ImageOps.mirror(back), np.float32) / 255
    mirrored = cv2.GaussianBlur(mirrored, (0, 0), dpi / 110)
    return pixels * (1 - alpha * mirrored)[..., None]


def speckle(pixels: np.ndarray, rng: np.random.Generator, per_megapixel: float, radius: float) -> np.ndarray:
    h, w = pixels.shape[:2]
    dots = np.zeros((h, w), np.uint8)
    for _ in range(int(per_megapixel * h * w / 1e6)):
        cx, cy = int(rng.integers(w)), int(rng.integers(h))
        cv2.circle(dots, (cx, cy), max(1, int(rng.uniform(0.4, 1.0) * radius)), 255, -1)
    dark = rng.uniform(0.25, 0.6)
    return pixels * (1 - (1 - dark) * (dots[..., None] / 255.0))


def fade(pixels: np.ndarray, paper: RGB, rng: np.random.Generator, low: float) -> np.ndarray:
    """Thermal paper: ink strength varies smoothly, and dead heating elements leave white columns."""
    h, w = pixels.shape[:2]
    strength = low + (1 - low) * (0.5 + 0.5 * field_noise((h, w), 5, rng))
    for _ in range(int(rng.integers(0, 4))):
        x = int(rng.integers(w))
        strength[:, x : x + int(rng.integers(2, 5))] *= 0.15
    base = np.array(paper, np.float32)
    return base - (base - pixels) * strength[..., None]


def halftone(pixels: np.ndarray, rng: np.random.Generator, cell: float) -> np.ndarray:
    """A photocopier's clustered-dot screen at 45 degrees: greys become dots, black and white stay."""
    grey = pixels.mean(axis=2) / 255
    h, w = grey.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = math.radians(45 + rng.uniform(-5, 5))
    u = (xx * math.cos(angle) + yy * math.sin(angle)) * (2 * math.pi / cell)
    v = (-xx * math.sin(angle) + yy * math.cos(angle)) * (2 * math.pi / cell)
    screen = 0.5 + 0.25 * (np.cos(u) + np.cos(v))
    screen = 0.08 + 0.84 * screen
    out = np.where(grey > screen, 255.0, 12.0).astype(np.float32)
    return np.repeat(out[..., None], 3, axis=2)


def copy_edges(pixels: np.ndarray, rng: np.random.Generator, dpi: int) -> np.ndarray:
    """Dark bands where the copier saw past the paper's edge, and a toner streak."""
    h, w = pixels.shape[:2]
    out = pixels.copy()
    for side in rng.choice(4, size=int(rng.integers(1, 3)), replace=False):
        depth = int(rng.uniform(0.05, 0.2) * dpi)
        if side == 0:
            out[:depth] *= 0.15
        elif side == 1:
            out[-depth:] *= 0.15
        elif side == 2:
            out[:, :depth] *= 0.15
        else:
            out[:, -depth:] *= 0.15
    x = int(rng.integers(w))
    out[:, x : x + int(rng.integers(1, 4))] *= rng.uniform(0.5, 0.8)
    return out


def lighting(pixels: np.ndarray, rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    h, w = pixels.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gain = np.ones((h, w), np.float32)
    if "gradient" in params:
        amount, angle = params["gradient"]
        direction = (xx / w - 0.5) * math.cos(angle) + (yy / h - 0.5) * math.sin(angle)
        gain *= 1 - amount * (direction + 0.7) / 1.4
    if "vignette" in params:
        r2 = ((xx / w - 0.5) ** 2 + (yy / h - 0.5) ** 2) / 0.5
        gain *= 1 - params["vignette"] * r2
    if "shadow" in params:
        depth, angle, offset = params["shadow"]
        side = (xx / w - 0.5) * math.cos(angle) + (yy / h - 0.5) * math.sin(angle) - offset
        soft = 1 / (1 + np.exp(-side / 0.04))
        gain *= 1 - depth * soft
    return pixels * gain[..., None]


# ------------------------------------------------------------------------------------ geometry


def inverse_map(
    out_size: tuple[int, int], page_size: tuple[int, int], corners: np.ndarray, curl: tuple[float, float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """For every output pixel, where on the flat page it comes from.

    ``corners`` are where the page's corners land in the output (a homography: skew, perspective,
    placement); ``curl`` bends the page: (vertical bow as a share of the height, horizontal squeeze
    towards one side, where the bow's crest is, 0..1 of the width).
    """
    w_out, h_out = out_size
    w, h = page_size
    page_corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    back = cv2.getPerspectiveTransform(corners.astype(np.float32), page_corners)
    yy, xx = np.mgrid[0:h_out, 0:w_out].astype(np.float32)
    den = back[2, 0] * xx + back[2, 1] * yy + back[2, 2]
    px = (back[0, 0] * xx + back[0, 1] * yy + back[0, 2]) / den
    py = (back[1, 0] * xx + back[1, 1] * yy + back[1, 2]) / den
    bow, squeeze, crest = curl
    a, b = px / w, py / h
    map_y = py + bow * h * ((a - crest) ** 2 - 0.25) * (0.6 + 0.8 * b)
    map_x = px + squeeze * w * (a**3 - a) * 0.5
    return map_x.astype(np.float32), map_y.astype(np.float32)


def warp(
    page: ScanPage, out_size: tuple[int, int], corners: np.ndarray, curl: tuple[float, float, float], fill: RGB
) -> np.ndarray:
    """Warp the page image and its label map through one inverse map; boxes come from the warped labels."""
    map_x, map_y = inverse_map(out_size, page.image.size, corners, curl)
    pixels = cv2.remap(
        np.asarray(page.image), map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )
    labels = cv2.remap(
        page.labels.astype(np.float32), map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=0
    )
    page.labels = labels.astype(np.int32)
    boxes_from_labels(page)
    return pixels.astype(np.float32)


def boxes_from_labels(page: ScanPage) -> None:
    """Each word's box = bounds of its labelled pixels; a word with none left gets an empty box."""
    ys, xs = np.nonzero(page.labels)
    ids = page.labels[ys, xs] - 1
    n = len(page.words)
    x0 = np.full(n, 1 << 30)
    y0 = np.full(n, 1 << 30)
    x1 = np.full(n, -1)
    y1 = np.full(n, -1)
    np.minimum.at(x0, ids, xs)
    np.minimum.at(y0, ids, ys)
    np.maximum.at(x1, ids, xs)
    np.maximum.at(y1, ids, ys)
    for i, word in enumerate(page.words):
        word.box = (int(x0[i]), int(y0[i]), int(x1[i]) + 1, int(y1[i]) + 1) if x1[i] >= 0 else (0, 0, 0, 0)


def resample(pixels: np.ndarray, page: ScanPage, sx: float, sy: float, interpolation: int) -> np.ndarray:
    """Resize by (sx, sy); boxes are scaled (and rounded outwards) as in make_heldout.downscale."""
    h, w = pixels.shape[:2]
    size = (max(1, round(w * sx)), max(1, round(h * sy)))
    fx, fy = size[0] / w, size[1] / h
    for word in page.words:
        if word.box[2] > word.box[0]:
            x0, y0, x1, y1 = word.box
            word.box = mh.clip_box((x0 * fx, y0 * fy, x1 * fx, y1 * fy), size) or (0, 0, 0, 0)
    return cv2.resize(pixels, size, interpolation=interpolation)


# ------------------------------------------------------------------------------------ per kind


@dataclass
class Scan:
    """The finished image and what was done to it."""

    image: Image.Image
    format: str
    degradations: list[str]
    params: dict[str, Any]
    effective_dpi: int
    extra: dict[str, Any] = field(default_factory=dict)


def placement(
    rng: random.Random, page_size: tuple[int, int], out_size: tuple[int, int], skew: float, keystone: float
) -> np.ndarray:
    """Where the page's corners land: centred in the output, turned by ``skew`` degrees, with a
    perspective pull of ``keystone`` (share of the width) on random corners."""
    w, h = page_size
    cx, cy = out_size[0] / 2, out_size[1] / 2
    t = math.radians(skew)
    corners = []
    for x, y in ((0, 0), (w, 0), (w, h), (0, h)):
        dx, dy = x - w / 2, y - h / 2
        px = cx + dx * math.cos(t) + dy * math.sin(t)
        py = cy - dx * math.sin(t) + dy * math.cos(t)
        px += rng.uniform(-keystone, keystone) * w
        py += rng.uniform(-keystone, keystone) * w
        corners.append((px, py))
    return np.float32(corners)


def capture(page: ScanPage, rng: random.Random, kind: str) -> Scan:
    """Page effects, then the scanner or camera: geometry, light, resolution, noise, file format."""
    nrng = np.random.default_rng(rng.getrandbits(64))
    style = page.style
    dpi = style.dpi
    degradations: list[str] = []
    params: dict[str, Any] = {}
    pixels = np.asarray(page.image, np.float32)

    # --- on the paper
    if kind == "thermal_receipt":
        low = round(rng.uniform(0.35, 0.75), 2)
        pixels = fade(pixels, style.background, nrng, low)
        degradations.append("faded")
        params["fade_min_strength"] = low
    if kind != "fax" and rng.random() < 0.8:
        strength = round(rng.uniform(0.02, 0.06), 3)
        pixels = paper_texture(pixels, nrng, strength)
        degradations.append("paper_texture")
        params["paper_texture"] = strength
    if kind in ("typewriter_letter", "photocopy_form", "fax") and rng.random() < 0.5:
        alpha = round(rng.uniform(0.06, 0.16), 3)
        pixels = bleed_through(pixels, nrng, dpi, alpha)
        degradations.append("bleed_through")
        params["bleed_through_alpha"] = alpha
    if kind == "photocopy_form":
        cell = round(rng.uniform(5.0, 8.0), 1)
        pixels = halftone(np.clip(pixels, 0, 255), nrng, cell)
        pixels = copy_edges(pixels, nrng, dpi)
        degradations += ["halftone"]
        params["halftone_cell_px"] = cell
    if kind in ("photocopy_form", "fax") or rng.random() < 0.3:
        density = round(rng.uniform(20, 120), 1)
        pixels = speckle(pixels, nrng, density, dpi / 120)
        degradations.append("speckle")
        params["speckle_per_mpx"] = density
    page.image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")

    # --- geometry: skew, curl, perspective (phone) or flatbed placement
    phone = kind == "thermal_receipt" or (kind in ("typewriter_letter", "dotmatrix_statement") and rng.random() < 0.5)
    w, h = page.image.size
    skew = round(rng.choice((-1, 1)) * rng.uniform(0.3, 1.2 if kind == "fax" else 3.5), 2)
    curl = (0.0, 0.0, 0.5)
    if kind != "fax" and (phone or rng.random() < 0.5):
        curl = (
            round(rng.uniform(0.004, 0.016 if not phone else 0.03), 4),
            round(rng.uniform(0.0, 0.03), 3),
            round(rng.uniform(0.2, 0.8), 2),
        )
        degradations.append("curl")
        params["curl"] = list(curl)
    degradations.append("skew")
    params["skew_deg"] = skew
    if phone:
        grow = rng.uniform(1.08, 1.2) if kind != "thermal_receipt" else rng.uniform(1.3, 1.6)
        out_size = (round(w * grow), round(h * rng.uniform(1.05, 1.12)))
        keystone = round(rng.uniform(0.01, 0.04), 3)
        degradations.append("perspective")
        params["keystone"] = keystone
        desk = rng.choice([(96, 78, 60), (60, 60, 64), (150, 140, 125), (30, 32, 36)])
        corners = placement(rng, (w, h), out_size, skew, keystone)
    else:
        out_size = (w, h)
        desk = (255, 255, 255) if kind == "fax" or rng.random() < 0.7 else (40, 40, 40)
        corners = placement(rng, (w, h), out_size, skew, 0.0)
    pixels = warp(page, out_size, corners, curl, desk)

    # --- light
    light: dict[str, Any] = {}
    if kind != "fax" and (phone or rng.random() < 0.7):
        light["gradient"] = (round(rng.uniform(0.15, 0.45 if phone else 0.3), 3), round(rng.uniform(0, 2 * math.pi), 3))
        degradations.append("uneven_lighting")
    if phone and rng.random() < 0.8:
        light["vignette"] = round(rng.uniform(0.2, 0.5), 3)
        degradations.append("vignetting")
    if phone and rng.random() < 0.5:
        light["shadow"] = (
            round(rng.uniform(0.25, 0.5), 3),
            round(rng.uniform(0, 2 * math.pi), 3),
            round(rng.uniform(0.1, 0.4), 3),
        )
        degradations.append("shadow")
    if light:
        pixels = lighting(pixels, nrng, light)
        params["lighting"] = {k: list(v) if isinstance(v, tuple) else v for k, v in light.items()}

    # --- resolution, noise, file
    fmt = "JPEG"
    extra: dict[str, Any] = {}
    if kind == "fax":
        pixels = fax_transmit(pixels, page, nrng, rng, params)
        degradations += ["binarized", "fax_streaks"]
        image = Image.fromarray(pixels.astype(np.uint8), "L").convert("1", dither=Image.Dither.NONE)
        return Scan(image, "TIFF", degradations, params, 100, {"dpi_x": 200, "dpi_y": 100})
    target = round(rng.uniform(90, 100)) if rng.random() < 0.55 else rng.choice([150, 200])
    if kind == "thermal_receipt":
        target = round(rng.uniform(95, 150))  # a phone photo sent on: 95-150 pixels per inch of receipt
    factor = target / dpi
    pixels = resample(pixels, page, factor, factor, cv2.INTER_AREA)
    effective = round(dpi * factor)
    if effective <= 100:
        degradations.append("low_dpi")
    params["scale"] = round(factor, 4)
    pixels = pixels + nrng.normal(0, rng.uniform(1.5, 5.0), pixels.shape[:2])[..., None]
    grey = kind != "thermal_receipt" and not phone and rng.random() < 0.6
    if kind == "photocopy_form" and rng.random() < 0.4:
        level = round(rng.uniform(110, 160))
        image = Image.fromarray((pixels.mean(axis=2) > level).astype(np.uint8) * 255, "L").convert(
            "1", dither=Image.Dither.NONE
        )
        degradations.append("binarized")
        params["binarize_level"] = level
        return Scan(image, rng.choice(["PNG", "TIFF"]), degradations, params, effective, extra)
    array = np.clip(pixels, 0, 255).round().astype(np.uint8)
    image = Image.fromarray(array.mean(axis=2).round().astype(np.uint8), "L") if grey else Image.fromarray(array, "RGB")
    if phone or rng.random() < 0.6:
        quality = rng.randint(20, 45) if rng.random() < 0.6 else rng.randint(60, 85)
        if quality <= 45:
            degradations.append("jpeg_low_quality")
        params["jpeg_quality"] = quality
    else:
        fmt = "PNG"
    return Scan(image, fmt, degradations, params, effective, extra)


def fax_transmit(
    pixels: np.ndarray, page: ScanPage, nrng: np.random.Generator, rng: random.Random, params: dict[str, Any]
) -> np.ndarray:
    """200 x 200 dpi page -> 200 x 100 dpi 1-bit (threshold with noise) -> rows doubled; streaks, dropped lines."""
    grey = pixels.mean(axis=2)
    grey = resample(grey, page, 1.0, 0.5, cv2.INTER_AREA)
    level = rng.uniform(120, 165)
    noisy = grey + nrng.normal(0, rng.uniform(8, 25), grey.shape)
    bits = np.where(noisy > level, 255.0, 0.0)
    h, w = bits.shape
    streaks = []
    for _ in range(rng.randint(1, 3)):  # dirt on the sender's scanner glass: thin vertical lines
        x = int(nrng.integers(w))
        width = int(nrng.integers(1, 3))
        bits[:, x : x + width] = 0
        streaks.append(x)
    dropped = []
    for _ in range(rng.randint(2, 8)):  # lines lost in transmission repeat the line above
        y = int(nrng.integers(1, h))
        span = int(nrng.integers(1, 4))
        bits[y : y + span] = bits[y - 1]
        dropped.append(y)
    for _ in range(rng.randint(0, 3)):  # a burst of line noise
        y = int(nrng.integers(h))
        bits[y] = np.where(nrng.random(w) < 0.4, 0.0, bits[y])
    params.update(fax_threshold=round(level, 1), fax_streak_x=streaks, fax_dropped_rows=dropped)
    return np.repeat(bits, 2, axis=0)


def fix_fax_boxes(page: ScanPage, height: int) -> None:
    """Rows were doubled: scale the 100-dpi boxes back by two."""
    for word in page.words:
        if word.box[2] > word.box[0]:
            x0, y0, x1, y1 = word.box
            word.box = (x0, y0 * 2, x1, min(height, y1 * 2))


# ------------------------------------------------------------------------------------ output


def encode(scan: Scan, rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    if scan.format == "JPEG":
        quality = scan.params.get("jpeg_quality", 80)
        scan.image.save(buffer, format="JPEG", quality=quality)
    elif scan.format == "TIFF":
        compression = "group4" if scan.image.mode == "1" else "tiff_lzw"
        scan.image.save(
            buffer,
            format="TIFF",
            compression=compression,
            dpi=(scan.extra.get("dpi_x", scan.effective_dpi), scan.extra.get("dpi_y", scan.effective_dpi)),
        )
    else:
        scan.image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def ground_truth(name: str, file: str, kind: str, page: ScanPage, scan: Scan) -> dict[str, Any]:
    """The JSON record: words with no visible ink left are dropped, entities without words too, ids compacted."""
    visible = [i for i, w in enumerate(page.words) if w.box[2] > w.box[0] and w.box[3] > w.box[1]]
    word_id = {old: new for new, old in enumerate(visible)}
    kept = [i for i, e in enumerate(page.entities) if any(w in word_id for w in e.words)]
    entity_id = {old: new for new, old in enumerate(kept)}
    style = page.style
    return {
        "id": name,
        "file": file,
        "split": "scans",
        "source": "synthetic-scan",
        "layout": kind,
        "format": scan.format,
        "width": scan.image.width,
        "height": scan.image.height,
        "language": "en",
        "fill_color": [0, 0, 0],
        "degradations": scan.degradations,
        "degradation_params": scan.params,
        "effective_dpi": scan.effective_dpi,
        "style": {
            "dpi": style.dpi,
            "font_pt": style.font_pt,
            "font_family": style.family,
            "font": style.font_file,
            "text_color": list(style.text_color),
            "background": list(style.background),
            "dark": False,
            "ink": page.ink.kind if not isinstance(page.ink, str) else page.ink,
            **scan.extra,
        },
        "input_metadata": {"exif": False, "gps": False, "xmp": False, "exif_orientation": None},
        "words": [
            {
                "id": word_id[i],
                "text": page.words[i].text,
                "box": list(page.words[i].box),
                "entity": None if page.words[i].entity is None else entity_id.get(page.words[i].entity),  # type: ignore[arg-type]
            }
            for i in visible
        ],
        "entities": [
            {
                "id": entity_id[old],
                "type": page.entities[old].type,
                "value": page.entities[old].value,
                "scored": page.entities[old].type in mh.SCORED_TYPES,
                "words": [word_id[w] for w in page.entities[old].words if w in word_id],
            }
            for old in kept
        ],
    }


def kind_for(seed: int, index: int) -> str:
    """Each block of five images has every kind once, in a seeded order (independent of --count)."""
    order = random.Random(f"scans-kinds:{seed}:{index // len(KINDS)}").sample(KINDS, len(KINDS))
    return order[index % len(KINDS)]


def make_image(
    index: int, seed: int, resources: mh.Resources, fakers: dict[str, Faker], folder: Path
) -> dict[str, Any]:
    rng = random.Random(f"scans:{seed}:{index}")
    kind = kind_for(seed, index)
    page = BUILDERS[kind](Fabricator(resources, rng, fakers))
    scan = capture(page, rng, kind)
    if kind == "fax":
        fix_fax_boxes(page, scan.image.height)
    data = encode(scan, rng)
    with Image.open(io.BytesIO(data)) as opened:
        if opened.format != scan.format or opened.size != scan.image.size:
            raise RuntimeError(f"encoded {opened.format} {opened.size}, expected {scan.format} {scan.image.size}")
    name = f"scan_{index:03d}"
    file = f"{name}.{EXTENSIONS[scan.format]}"
    (folder / file).write_bytes(data)
    truth = ground_truth(name, file, kind, page, scan)
    (folder / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def summary(truths: list[dict[str, Any]]) -> str:
    def count(values: list[str]) -> str:
        return ", ".join(f"{v} {values.count(v)}" for v in sorted(set(values)))

    entities = [e["type"] for t in truths for e in t["entities"] if e["scored"]]
    return "\n".join(
        [
            f"{len(truths)} images, {len(entities)} scored entities",
            "kinds: " + count([t["layout"] for t in truths]),
            "formats: " + count([t["format"] for t in truths]),
            "degradations: " + count([d for t in truths for d in t["degradations"]]),
            "entity types: " + count(entities),
        ]
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--count", type=int, default=40, help="number of images (default 40)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/scans"), help="writes <out>/dev/scan_NNN.*")
    parser.add_argument("--only", type=int, action="append", default=[], help="render only image N (repeatable)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    missing = [str(p) for pair in FONTS.values() for p in pair if not p.is_file()]
    if missing:
        raise SystemExit(
            f"fonts not found: {', '.join(missing)} (apt-get install fonts-dejavu-core fonts-freefont-ttf)"
        )
    templates = [t for line in PROSE if (t := mh.clean_template(line))]
    if len(templates) != len(PROSE):
        raise SystemExit("a PROSE sentence has a placeholder make_heldout does not know")
    resources = replace(mh.load_resources(), templates=templates)
    folder = args.out / "dev"
    folder.mkdir(parents=True, exist_ok=True)
    indices = args.only or list(range(args.count))
    if not args.only:
        for stale in folder.glob("scan_*.*"):
            stale.unlink()
    fakers: dict[str, Faker] = {}
    truths = []
    for n, index in enumerate(indices, 1):
        truths.append(make_image(index, args.seed, resources, fakers, folder))
        print(f"[{n}/{len(indices)}] {truths[-1]['file']} {truths[-1]['layout']}", file=sys.stderr)
    print(summary(truths))
    print(f"wrote {folder}")
    return 0


if __name__ == "__main__":
    mh.pin_hash_seed()
    sys.exit(main())
