"""Benchmark for the PDF stage: which library renders, how fast, with how much memory, at which dpi.

Makes two 20-page A4 documents itself (a scanned one: 300 dpi greyscale JPEG pages as a scanner
writes them, made with Pillow; a born-digital one: Helvetica text and table rules, made with
PDFium), then, each measurement in a fresh process so that peak memory is its own:

* render every page at 150, 200 and 300 dpi with pypdfium2 and with PyMuPDF (when installed): pages/s, peak RSS;
* the same through ``redactor.engine.pdf`` (reader process, text layer and its judgement included);
* the born-digital text layer: time to get words with boxes (pypdfium2 characters, PyMuPDF words);
* OCR quality by dpi: Tesseract token recall on small print (5 and 7 pt) of names, numbers, e-mails and dates;
* output size: ``write_image_pdf`` on the rendered pages, against all-JPEG and all-Flate.

Usage: .venv/bin/python scripts/bench_pdf.py [--pages 20] [--ocr-pages 2] [--skip-ocr] [--markdown out.md]
"""

from __future__ import annotations

import argparse
import ctypes
import io
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

DPIS = (150, 200, 300)
A4 = (595.28, 841.89)
WORDS = (
    "the of and to in is that for it as with was on be by this are from at or an have not which but all were when "
    "there can been has more will one other into time only new some could these two may first then do any like my "
    "now over such our man me even most made after also did many before must through back years where much your way "
    "well down should because each just those people how too little state good very make world still own see men work "
    "long get here between both life being under never day same another know while last might us great old year off "
    "come since against go came right used take three account invoice payment balance statement reference customer"
).split()
NAMES = ("John Smith", "Maria Garcia", "Wei Zhang", "Fatima Khan", "Oliver Brown", "Sofia Rossi", "Liam Murphy")
STREETS = ("12 Baker Street", "221 Oak Avenue", "7 Rue de la Paix", "45 Hauptstrasse", "908 Elm Road")


def page_lines(rng: random.Random) -> list[str]:
    lines = [f"{rng.choice(NAMES)}", f"{rng.choice(STREETS)}", f"Phone +44 20 7946 {rng.randint(1000, 9999)}", ""]
    for _ in range(38):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 12))).capitalize() + ".")
    return lines


def pii_lines(rng: random.Random) -> list[str]:
    """Lines of tokens like the ones to redact and that no dictionary helps to read: names, numbers, e-mails, dates."""
    syllables = ("ka", "lo", "mi", "zen", "tor", "vas", "ql", "ry", "bi", "dun", "ex", "hof")

    def name() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()

    def token() -> str:
        kind = rng.randrange(4)
        if kind == 0:
            return name()
        if kind == 1:
            return str(rng.randint(10_000_000, 99_999_999))
        if kind == 2:
            return f"{name().lower()}.{name().lower()}@{name().lower()}.com"
        return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1940, 2010)}"

    return [" ".join(token() for _ in range(6)) for _ in range(30)]


def make_scanned(pages: int, seed: int = 1, points: float = 11, *, pii: bool = False) -> tuple[bytes, list[list[str]]]:
    """A4 pages at 300 dpi, text of ``points`` size, grey paper, noise and blur, saved as JPEG pages by Pillow."""
    rng = random.Random(seed)
    font = ImageFont.load_default(size=round(points * 300 / 72))
    images: list[Image.Image] = []
    texts: list[list[str]] = []
    for _ in range(pages):
        lines = pii_lines(rng) if pii else page_lines(rng)
        image = Image.new("L", (2480, 3508), 236)
        draw = ImageDraw.Draw(image)
        for number, line in enumerate(lines):
            draw.text((240, 260 + number * round(points * 6.5)), line, fill=35, font=font)
        noise = Image.effect_noise(image.size, 18)
        image = Image.blend(image, noise, 0.12).filter(ImageFilter.GaussianBlur(0.8))
        images.append(image.rotate(0.4, resample=Image.Resampling.BICUBIC, fillcolor=236))
        texts.append(lines)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=300, quality=75)
    return buffer.getvalue(), texts


def make_born_digital(
    pages: int, seed: int = 2, points: float = 10, *, pii: bool = False
) -> tuple[bytes, list[list[str]]]:
    """A4 pages of Helvetica text of ``points`` size with a ruled table, written by PDFium."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    rng = random.Random(seed)
    doc = pdfium.PdfDocument.new()
    texts: list[list[str]] = []
    for _ in range(pages):
        page = doc.new_page(*A4)
        lines = pii_lines(rng) if pii else page_lines(rng)
        for number, line in enumerate(lines):
            obj = raw.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", ctypes.c_float(points))
            buffer = ctypes.create_string_buffer((line + "\0").encode("utf-16-le"))
            raw.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 60, 780 - number * points * 1.4)
            raw.FPDFPage_InsertObject(page.raw, obj)
        for row in range(6):
            y = 190 - row * 18
            path = raw.FPDFPageObj_CreateNewPath(60, y)
            raw.FPDFPath_LineTo(path, 535, y)
            raw.FPDFPath_SetDrawMode(path, 0, 1)
            raw.FPDFPage_InsertObject(page.raw, path)
        page.gen_content()
        texts.append(lines)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue(), texts


# --------------------------------------------------------------------------- one measurement per process


def run_one(spec: dict[str, Any]) -> dict[str, Any]:
    data = Path(spec["file"]).read_bytes()
    lib, dpi, op = spec["lib"], spec["dpi"], spec["op"]
    if lib == "pypdfium2":
        import pypdfium2 as pdfium
    elif lib == "pymupdf":
        import pymupdf
    else:
        from redactor.engine.pdf import PdfLimits, open_pdf
    started = time.perf_counter()  # after the imports: the service imports once
    pages = 0
    worker_peak = 0.0
    if lib == "pypdfium2":
        doc = pdfium.PdfDocument(data)
        for page in doc:
            if op == "render":
                image = page.render(scale=dpi / 72, fill_color=(255, 255, 255, 255)).to_pil()
                image.load()
            else:
                textpage = page.get_textpage()
                for index in range(textpage.count_chars()):
                    textpage.get_charbox(index, loose=True)
                textpage.get_text_range()
            pages += 1
    elif lib == "pymupdf":
        doc = pymupdf.open(stream=data, filetype="pdf")
        for page in doc:
            if op == "render":
                pixmap = page.get_pixmap(dpi=dpi)
                Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples).load()
            else:
                page.get_text("words")
            pages += 1
    else:
        with open_pdf(data, PdfLimits(max_pages=100, max_pixels=100_000_000, dpi=dpi)) as reader:
            for _page in reader.pages():
                pages += 1
            worker_peak = peak_rss_mb(reader._worker._process.pid)
    elapsed = time.perf_counter() - started
    return {"pages": pages, "seconds": elapsed, "rss_mb": peak_rss_mb("self"), "worker_rss_mb": worker_peak}


def peak_rss_mb(pid: int | str) -> float:
    """VmHWM of a process: its own peak RSS (``ru_maxrss`` would keep the forking parent's)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--one", json.dumps(spec)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- OCR quality and output size


def render_pages(data: bytes, dpi: int, count: int) -> list[Image.Image]:
    from redactor.engine.pdf import PdfLimits, open_pdf

    with open_pdf(data, PdfLimits(max_pages=100, max_pixels=100_000_000, dpi=dpi)) as reader:
        return [reader.page(index).image for index in range(min(count, reader.info.page_count))]


def ocr_recall(images: list[Image.Image], texts: list[list[str]]) -> tuple[float, float]:
    from redactor.engine.ocr import prepare_for_ocr, probe_tesseract, read_words

    info = probe_tesseract()
    read_words(prepare_for_ocr(images[0]), language="eng", timeout=120, tessdata_dir=info.tessdata_dir)  # warm-up
    found = expected = 0
    started = time.perf_counter()
    for image, lines in zip(images, texts, strict=False):
        words = read_words(prepare_for_ocr(image), language="eng", timeout=120, tessdata_dir=info.tessdata_dir)
        read = [w.text.strip(".,") for w in words]
        pool: dict[str, int] = {}
        for word in read:
            pool[word] = pool.get(word, 0) + 1
        for line in lines:
            for word in line.split():
                word = word.strip(".,")
                expected += 1
                if pool.get(word, 0):
                    pool[word] -= 1
                    found += 1
    return found / max(1, expected), (time.perf_counter() - started) / max(1, len(images))


def output_sizes(images: list[Image.Image]) -> dict[str, Any]:
    from redactor.engine.pdf import OutputPage, PageSize, choose_encoding, write_image_pdf

    size = PageSize(*A4)
    chosen = write_image_pdf(OutputPage(image, size) for image in images)
    jpeg = sum(_encoded(image, "JPEG") for image in images)
    png = sum(_encoded(image, "PNG") for image in images)
    return {
        "chosen_kb_per_page": len(chosen) / 1024 / len(images),
        "encodings": sorted({choose_encoding(image) for image in images}),
        "jpeg_kb_per_page": jpeg / 1024 / len(images),
        "flate_kb_per_page": png / 1024 / len(images),
    }


def _encoded(image: Image.Image, fmt: str) -> int:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, fmt, quality=85, optimize=True)
    else:
        image.save(buffer, fmt, compress_level=6)
    return buffer.tell()


# --------------------------------------------------------------------------- report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--ocr-pages", type=int, default=2)
    parser.add_argument("--skip-ocr", action="store_true")
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(json.loads(args.one))))
        return
    try:
        import pymupdf  # noqa: F401

        libs = ["pypdfium2", "pymupdf", "redactor"]
    except ImportError:
        libs = ["pypdfium2", "redactor"]
    out: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        out.append(line)

    with tempfile.TemporaryDirectory() as folder:
        scanned, scanned_text = make_scanned(args.pages)
        born, born_text = make_born_digital(args.pages)
        files = {"scanned": Path(folder) / "scanned.pdf", "born-digital": Path(folder) / "born.pdf"}
        files["scanned"].write_bytes(scanned)
        files["born-digital"].write_bytes(born)
        sizes_kb = f"scanned {len(scanned) // 1024} KB, born-digital {len(born) // 1024} KB"
        say(f"Documents: {args.pages} A4 pages each; {sizes_kb}.")
        say()
        say("| document | library | dpi | pages/s | peak RSS MB (+ reader process) |")
        say("| --- | --- | --- | --- | --- |")
        for kind, path in files.items():
            for lib in libs:
                for dpi in DPIS:
                    result = measure({"file": str(path), "lib": lib, "dpi": dpi, "op": "render"})
                    rss = f"{result['rss_mb']:.0f}"
                    if lib == "redactor":
                        rss += f" (+ {result['worker_rss_mb']:.0f})"
                    say(f"| {kind} | {lib} | {dpi} | {result['pages'] / result['seconds']:.1f} | {rss} |")
        say()
        say("| born-digital text layer | pages/s |")
        say("| --- | --- |")
        for lib in libs[:-1]:
            result = measure({"file": str(files["born-digital"]), "lib": lib, "dpi": 72, "op": "text"})
            say(f"| {lib} | {result['pages'] / result['seconds']:.1f} |")
        say()
        say("| document | dpi | output KB/page | all JPEG q85 | all Flate | encodings |")
        say("| --- | --- | --- | --- | --- | --- |")
        for kind, data in (("scanned", scanned), ("born-digital", born)):
            for dpi in DPIS:
                sizes = output_sizes(render_pages(data, dpi, 4))
                say(
                    f"| {kind} | {dpi} | {sizes['chosen_kb_per_page']:.0f} | {sizes['jpeg_kb_per_page']:.0f} | "
                    f"{sizes['flate_kb_per_page']:.0f} | {', '.join(sizes['encodings'])} |"
                )
        if not args.skip_ocr:
            say()
            say(f"OCR by dpi ({args.ocr_pages} pages each of names, numbers, e-mails, dates; Tesseract token recall):")
            say()
            say("| document | text size | dpi | word recall | OCR s/page |")
            say("| --- | --- | --- | --- | --- |")
            for points in (5.0, 7.0):
                for kind, maker in (("scanned", make_scanned), ("born-digital", make_born_digital)):
                    data, texts = maker(args.ocr_pages, seed=7, points=points, pii=True)
                    for dpi in DPIS:
                        recall, seconds = ocr_recall(render_pages(data, dpi, args.ocr_pages), texts)
                        say(f"| {kind} | {points:g} pt | {dpi} | {recall:.1%} | {seconds:.2f} |")
    if args.markdown:
        args.markdown.write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
