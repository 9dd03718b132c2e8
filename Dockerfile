# One source of truth for installation: the image runs the same script as README and CI.
FROM python:3.11-slim-bookworm
ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md requirements-model.txt ./
COPY scripts/ scripts/
COPY redactor/ redactor/
COPY samples/ samples/
RUN scripts/install.sh && rm -rf /var/lib/apt/lists/*
ENV PATH="/app/.venv/bin:$PATH"
EXPOSE 8000
CMD ["redactor", "serve", "--host", "0.0.0.0", "--port", "8000"]
