"""Render samples/letter.png, a fictitious letter full of PII, and samples/letter.json, its ground truth.

Every person, address, number and e-mail below is invented (555-01xx phone numbers, example.org
addresses). The JSON lists each PII string with its entity type and pixel box, so tests can check
that the redacted letter covers them.

Usage (from the repository root)::

    .venv/bin/python scripts/make_sample.py            # writes samples/letter.png and samples/letter.json
    .venv/bin/python scripts/make_sample.py --out DIR
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
SIZE = (1000, 1240)
MARGIN = 70
FONT_SIZE = 26
LINE = 42
FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)

# (text of the line, [(entity type, PII substring), ...]); None is an empty line.
LETTER: list[tuple[str, list[tuple[str, str]]] | None] = [
    ("Northwind Property Services", []),
    ("March 3, 2024", []),
    None,
    ("Eleanor Whitfield", [("PERSON", "Eleanor Whitfield")]),
    ("221 Larkspur Lane, Apt 4B", [("LOCATION", "221 Larkspur Lane, Apt 4B")]),
    ("Portland, OR 97205", [("LOCATION", "Portland, OR 97205")]),
    None,
    ("Dear Ms. Whitfield,", [("PERSON", "Whitfield")]),
    None,
    ("Thank you for renewing your tenancy agreement.", []),
    ("Please check that the details below are correct.", []),
    None,
    ("Name: Eleanor Whitfield", [("PERSON", "Eleanor Whitfield")]),
    ("DOB: 07/09/1984", [("DATE_OF_BIRTH", "07/09/1984")]),
    ("Phone: +1 503 555 0142", [("PHONE_NUMBER", "+1 503 555 0142")]),
    ("Email: eleanor.whitfield@example.org", [("EMAIL_ADDRESS", "eleanor.whitfield@example.org")]),
    None,
    ("The renewed agreement starts on the first of April.", []),
    None,
    ("Sincerely,", []),
    ("Marcus Grant", [("PERSON", "Marcus Grant")]),
    ("Tenant Relations", []),
]


def load_font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)  # type: ignore[return-value]


def render() -> tuple[Image.Image, dict[str, object]]:
    font = load_font(FONT_SIZE)
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    pii = []
    y = MARGIN
    for entry in LETTER:
        if entry is not None:
            text, entities = entry
            draw.text((MARGIN, y), text, font=font, fill=(20, 20, 20))
            for entity_type, value in entities:
                left = MARGIN + draw.textlength(text[: text.index(value)], font=font)
                x0, y0, x1, y1 = draw.textbbox((left, y), value, font=font)
                box = [math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1)]
                pii.append({"entity_type": entity_type, "text": value, "box": box})
        y += LINE
    truth = {"file": "letter.png", "width": SIZE[0], "height": SIZE[1], "pii": pii, "keep": ["Northwind", "tenancy"]}
    return image, truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "samples")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    image, truth = render()
    image.save(args.out / "letter.png", optimize=True)
    (args.out / "letter.json").write_text(json.dumps(truth, indent=2) + "\n")
    print(f"wrote {args.out / 'letter.png'} and {args.out / 'letter.json'} ({len(truth['pii'])} PII strings)")


if __name__ == "__main__":
    main()
