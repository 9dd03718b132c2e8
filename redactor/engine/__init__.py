"""The redaction engine: decode, OCR, find PII, map it to pixels, paint or mask it, encode.

Formats, OCR, text geometry and form fields, detection, painting and masking, visual detectors and
the pipeline that runs them. It knows nothing of HTTP, plans, billing or persistence.
"""
