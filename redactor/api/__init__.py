"""HTTP edge of redactor: the FastAPI app, its routes, uploads and error bodies around the service and the engine."""
