"""Benchmark: whole-pipeline PDF redaction, pages per second, on 20-page scanned and born-digital PDFs.

Makes the documents with ``bench_pdf.py``'s generators (scanned: A4 at 300 dpi, greyscale JPEG pages
with noise, blur and a slight skew, a name, a street and a phone number on every page; born-digital:
the same text as Helvetica with table rules), then runs ``pipeline.redact`` on each, ``--runs`` times,
in this process with the engine loaded once (as the service runs). Reports wall time, pages per
second, entities painted, peak memory of this process, and checks each output: same page count,
no text left to extract, and every page's phone number gone when the output is read again by OCR.

Usage: .venv/bin/python scripts/bench_pdf_pipeline.py [--pages 20] [--runs 2] [--markdown out.md]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
import tesserocr

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pdf import make_born_digital, make_scanned  # noqa: E402

from redactor.engine.ocr import probe_tesseract  # noqa: E402
from redactor.engine.pipeline import default_engine, redact  # noqa: E402


def phones_left(output: bytes, texts: list[list[str]]) -> int:
    """Pages whose phone number an independent Tesseract reading of the output still finds (digits only)."""
    left = 0
    document = pdfium.PdfDocument(output)
    with tesserocr.PyTessBaseAPI(path=str(probe_tesseract().tessdata_dir), lang="eng") as api:
        for page, lines in zip(document, texts, strict=True):
            phone = next(line for line in lines if line.startswith("Phone"))
            api.SetImage(page.render(scale=200 / 72).to_pil())
            read = "".join(c for c in api.GetUTF8Text() if c.isdigit())
            left += "".join(c for c in phone if c.isdigit())[-8:] in read
    document.close()
    return left


def text_left(output: bytes) -> int:
    document = pdfium.PdfDocument(output)
    characters = sum(page.get_textpage().count_chars() for page in document)
    document.close()
    return characters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()

    engine = default_engine()
    redact(make_scanned(1)[0], engine=engine)  # warm-up: spaCy, Tesseract and the reader's first start
    rows = []
    for kind, make in (("scanned", make_scanned), ("born-digital", make_born_digital)):
        data, texts = make(args.pages)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = redact(data, engine=engine)
            times.append(time.perf_counter() - started)
        assert result.format == "PDF" and len(result.analysis.pages) == args.pages
        best = min(times)
        rows.append(
            {
                "kind": kind,
                "pages": args.pages,
                "input_mb": len(data) / 1e6,
                "output_mb": len(result.data) / 1e6,
                "seconds": statistics.median(times),
                "best": best,
                "pages_per_s": args.pages / statistics.median(times),
                "entities": len(result.entities),
                "text_left": text_left(result.data),
                "phones_left": phones_left(result.data, texts),
            }
        )
        print(rows[-1], flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"Whole pipeline, {args.pages}-page A4 PDFs, median of {args.runs} runs, engine loaded once, "
        f"peak RSS of the process {peak:.0f} MB:",
        "",
        "| PDF | pages/s | s per document | entities painted | input MB | output MB | text left | phones readable |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['kind']} | {r['pages_per_s']:.2f} | {r['seconds']:.1f} | {r['entities']} | {r['input_mb']:.1f} "
            f"| {r['output_mb']:.1f} | {r['text_left']} | {r['phones_left']}/{r['pages']} |"
        )
    report = "\n".join(lines)
    print(report)
    if args.markdown:
        args.markdown.write_text(report + "\n")


if __name__ == "__main__":
    main()
