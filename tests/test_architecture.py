"""Guard tests for the layering in STYLE.md: what the core imports, in a fresh interpreter and in the source."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "redactor"
# Edges of the system: HTTP, command line, plans, billing, persistence, jobs, visual detectors.
EDGES = {"api", "cli", "__main__", "plans", "keys", "metering", "store", "jobs", "visual", "webhooks"}
EDGE_LIBRARIES = {"fastapi", "starlette", "uvicorn", "multipart", "python_multipart", "httpx", "yaml", "matplotlib"}
STAGES = {"formats", "ocr", "geometry", "fields", "detect", "recognizers", "paint"}
# What each stage may import from the package (beyond itself).
STAGE_IMPORTS = {stage: {"models", "errors", "letters"} for stage in STAGES} | {
    "detect": {"models", "errors", "letters", "recognizers"}
}
# Third-party libraries that only one part of the core may touch.
OWNED_LIBRARIES = {
    "tesserocr": {"ocr"},
    "pytesseract": {"ocr"},
    "rapidocr": {"ocr"},
    "presidio_analyzer": {"detect", "recognizers"},
    "spacy": {"detect", "recognizers"},
}


def imports_of(path: Path) -> set[str]:
    """Every module named by an import statement in a file, at any depth (lazy imports included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            if node.module == "redactor":  # from redactor import detect, ocr
                names.update(f"redactor.{alias.name}" for alias in node.names)
    return names


def core_modules() -> dict[str, set[str]]:
    modules = {path.stem: imports_of(path) for path in PACKAGE.glob("*.py") if path.stem not in EDGES}
    assert {"pipeline", "models", "errors", "config"} | STAGES <= set(modules)
    return modules


def ours(names: set[str]) -> set[str]:
    return {name.split(".")[1] for name in names if name.startswith("redactor.")}


def third_party(names: set[str]) -> set[str]:
    tops = {name.split(".")[0] for name in names}
    return {top for top in tops if top != "redactor" and top not in sys.stdlib_module_names and top != "__future__"}


@pytest.mark.parametrize("module", ["redactor.pipeline", "redactor", "redactor.cli"])
def test_importing_the_core_loads_no_edge(module: str) -> None:
    code = f"import json, sys; import {module}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    loaded = set(json.loads(done.stdout))
    assert "redactor.pipeline" in loaded  # the import really happened
    unwanted = {"fastapi", "starlette", "uvicorn", "matplotlib"} | {f"redactor.{edge}" for edge in EDGES}
    assert loaded & (unwanted - {module}) == set()


def test_core_modules_never_import_the_edges() -> None:
    for module, names in core_modules().items():
        assert ours(names) & EDGES == set(), module
        assert third_party(names) & EDGE_LIBRARIES == set(), module


def test_errors_and_models_use_the_standard_library_only() -> None:
    modules = core_modules()
    for module in ("errors", "models"):
        assert ours(modules[module]) == set(), module
        assert third_party(modules[module]) == set(), module


def test_config_depends_on_errors_only() -> None:
    names = core_modules()["config"]
    assert ours(names) <= {"errors"}
    assert third_party(names) <= {"pydantic", "pydantic_settings"}


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_stages_do_not_import_each_other(stage: str) -> None:
    names = core_modules()[stage]
    assert ours(names) <= STAGE_IMPORTS[stage]


@pytest.mark.parametrize("library", sorted(OWNED_LIBRARIES))
def test_each_external_engine_has_one_owner(library: str) -> None:
    users = {module for module, names in core_modules().items() if library in third_party(names)}
    assert users <= OWNED_LIBRARIES[library]
