"""Pricing: what one piece of work costs in tokens, the same for a synchronous call and for a job."""

from __future__ import annotations

from dataclasses import dataclass

from redactor.engine.models import AnalysisResult, RedactionResult
from redactor.service.plans import PlanBook


@dataclass(frozen=True)
class Charge:
    """Tokens to charge and the counts the ledger keeps beside them (never what was found)."""

    tokens: int
    pages: int
    characters: int
    entities: int


def price(plans: PlanBook, result: AnalysisResult | RedactionResult, *, explicit_boxes: bool = False) -> Charge:
    """The plans' formula applied to a finished analysis or redaction.

    Entities are everything found, text and visual objects alike. A verified redaction reads its pages
    twice and pays both reads. With ``explicit_boxes`` nothing was read and each painted rectangle counts
    as one entity.
    """
    analysis = result if isinstance(result, AnalysisResult) else result.analysis
    pages = len(analysis.pages)
    if explicit_boxes:
        assert isinstance(result, RedactionResult)
        tokens = plans.tokens_for(pages=pages, characters=0, entities=result.regions)
        return Charge(tokens, pages, 0, result.regions)
    reads = 2 if isinstance(result, RedactionResult) and result.verification is not None else 1
    characters = analysis.characters_read
    tokens = plans.tokens_for(pages=pages * reads, characters=characters * reads, entities=analysis.found)
    return Charge(tokens, pages, characters, analysis.found)
