"""HTTP edge of redactor: FastAPI app, keys, plans and metering around the engine."""
