"""Precision and recall of each detection rule and recognizer, on a set in the dev-set format.

Every entity the engine reports names the recognizer or rule that found it (``Entity.source``). For
each source this script paints its boxes alone and with everything else, and compares with the
ground truth's word boxes (the scorer's thresholds: a PII word is covered at 90% of its box, a
non-PII word over-redacted at 50%):

* words: PII / non-PII words it paints (>= 50%) and its precision;
* only: entities that are fully covered only because of it (recall points it buys), and non-PII
  words that are over-redacted only because of it (over-redaction points it costs).

A rule that buys 1 point of recall for 2 of over-redaction shows a ratio under 0.5 in the last column.

    .venv/bin/python scripts/bench_rules.py --data /tmp/heldout --markdown rules.md
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from bench_engine import Sample, load_samples, md_table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from redactor import RedactOptions, analyze  # noqa: E402
from redactor.engine.pipeline import default_engine  # noqa: E402

PII_COVERED = 0.9
OVER_REDACTED = 0.5
_HAS_CONTENT = re.compile(r"[^\W_]")


@dataclass
class Tally:
    """What one source did over the set."""

    spans: int = 0
    pii_words: int = 0
    other_words: int = 0
    only_entities: int = 0
    only_other_words: int = 0
    types: Counter[str] = field(default_factory=Counter)


@dataclass
class Totals:
    entities: int = 0
    covered: int = 0
    other_words: int = 0
    over_redacted: int = 0


def coverage(mask: np.ndarray, box: Sequence[int]) -> float:
    x0, y0, x1, y1 = box
    area = mask[y0:y1, x0:x1]
    return float(area.mean()) if area.size else 0.0


def score_sample(sample: Sample, tallies: dict[str, Tally], totals: Totals) -> None:
    truth = sample.truth
    result = analyze(sample.data, RedactOptions(language=sample.language))
    height, width = int(truth["height"]), int(truth["width"])
    masks: dict[str, np.ndarray] = {}
    for entity in result.entities:
        if entity.page != 1:
            continue
        source = entity.source or "?"
        mask = masks.setdefault(source, np.zeros((height, width), dtype=bool))
        for box in entity.boxes:
            mask[box.y0 : box.y1, box.x0 : box.x1] = True
        tallies[source].spans += 1
        tallies[source].types[entity.entity_type] += 1
    painted_by = np.zeros((height, width), dtype=np.uint8)
    for mask in masks.values():
        painted_by += mask
    everything = painted_by > 0

    scored = {e["id"]: e for e in truth["entities"] if e.get("scored", True)}
    words = {w["id"]: w for w in truth["words"]}
    others = [w for w in truth["words"] if w["entity"] is None and _HAS_CONTENT.search(w["text"])]
    totals.entities += len(scored)
    totals.other_words += len(others)
    covered_all = {
        eid
        for eid, e in scored.items()
        if all(coverage(everything, words[w]["box"]) >= PII_COVERED for w in e["words"])
    }
    over_all = {w["id"] for w in others if coverage(everything, w["box"]) >= OVER_REDACTED}
    totals.covered += len(covered_all)
    totals.over_redacted += len(over_all)
    pii_words = [words[w] for e in scored.values() for w in e["words"]]
    for source, mask in masks.items():
        tally = tallies[source]
        tally.pii_words += sum(coverage(mask, w["box"]) >= OVER_REDACTED for w in pii_words)
        tally.other_words += sum(coverage(mask, w["box"]) >= OVER_REDACTED for w in others)
        without = (painted_by - mask) > 0
        tally.only_entities += sum(
            any(coverage(without, words[w]["box"]) < PII_COVERED for w in scored[eid]["words"]) for eid in covered_all
        )
        tally.only_other_words += sum(
            coverage(without, w["box"]) < OVER_REDACTED for w in others if w["id"] in over_all
        )


def report(tallies: dict[str, Tally], totals: Totals, images: int) -> list[str]:
    lines = [
        f"## Detection rules and recognizers: {images} images, {totals.entities} entities, "
        f"{totals.other_words} non-PII words",
        "",
        f"All together: entity recall {totals.covered / max(1, totals.entities):.1%} (geometric), "
        f"over-redaction {totals.over_redacted / max(1, totals.other_words):.1%}.",
        "",
    ]
    rows = []
    for source, t in sorted(tallies.items(), key=lambda item: -item[1].spans):
        painted = t.pii_words + t.other_words
        recall_points = 100 * t.only_entities / max(1, totals.entities)
        over_points = 100 * t.only_other_words / max(1, totals.other_words)
        ratio = "-" if not t.only_other_words else f"{recall_points / over_points:.2f}"
        rows.append(
            [
                source,
                ", ".join(f"{k} {v}" for k, v in t.types.most_common(3)),
                str(t.spans),
                f"{t.pii_words}/{t.other_words}",
                f"{t.pii_words / painted:.1%}" if painted else "-",
                f"{t.only_entities} ({recall_points:.2f} pt)",
                f"{t.only_other_words} ({over_points:.2f} pt)",
                ratio,
            ]
        )
    headers = ["source", "types", "spans", "PII/other words", "precision", "only it covers", "only it over-redacts"]
    lines += md_table([*headers, "recall pt / over pt"], rows)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding dev/*.json and the images")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args(argv)
    samples = load_samples(args.data, "dev", (), args.limit)
    default_engine()
    tallies: dict[str, Tally] = defaultdict(Tally)
    totals = Totals()
    for number, sample in enumerate(samples, 1):
        score_sample(sample, tallies, totals)
        print(f"[{number}/{len(samples)}] {sample.id}", file=sys.stderr)
    lines = report(tallies, totals, len(samples))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
