"""Find personal data in document images and paint it out."""

from __future__ import annotations

import importlib
from typing import Any

from redactor.engine.models import AnalysisResult, RedactionResult, RedactOptions
from redactor.engine.pipeline import analyze, redact

__version__ = "0.1.0"
__all__ = ["AnalysisResult", "RedactOptions", "RedactionResult", "analyze", "redact", "verify_webhook", "__version__"]


def __getattr__(name: str) -> Any:
    """``redactor.verify_webhook`` for webhook receivers, loaded on first use: the core never loads the edge."""
    if name == "verify_webhook":
        return importlib.import_module("redactor.service.webhooks").verify_webhook
    raise AttributeError(f"module 'redactor' has no attribute {name!r}")
