"""Find personal data in document images and paint it out."""

from __future__ import annotations

from redactor.models import AnalysisResult, RedactionResult, RedactOptions
from redactor.pipeline import analyze, redact

__version__ = "0.1.0"
__all__ = ["AnalysisResult", "RedactOptions", "RedactionResult", "analyze", "redact", "__version__"]
