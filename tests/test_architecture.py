"""Guard tests for the layering: engine, then service, then the edges (api, cli, web); no import cycles at all."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "redactor"
# Top-level folders of the package and what each may import from it (besides itself and the shared modules).
SHARED = {"redactor", "redactor.errors"}
ALLOWED = {
    "engine": set(),
    "service": {"engine"},
    "api": {"engine", "service", "web"},
    "cli": {"engine", "service", "api"},
    "web": set(),
}
HTTP_LIBRARIES = {"fastapi", "starlette", "uvicorn", "multipart", "python_multipart"}
STAGES = {"formats", "pdf", "ocr", "geometry", "fields", "detect", "recognizers", "paint", "masking", "anonymize"}
# What each engine stage may import from the engine (beyond itself).
STAGE_IMPORTS = {stage: {"models", "letters"} for stage in STAGES} | {
    "formats": {"models", "pdf"},  # PDFs are the formats stage's documents, read by the pdf module
    "pdf": set(),  # PDFium runs in _pdfium_worker's process, never imported
    "detect": {"models", "letters", "recognizers"},
    "masking": {"models", "paint"},
}
# Third-party libraries that only one part of the engine may touch.
OWNED_LIBRARIES = {
    "tesserocr": {"ocr"},
    "pytesseract": {"ocr"},
    "rapidocr": {"ocr"},
    "presidio_analyzer": {"detect", "recognizers"},
    "spacy": {"detect", "recognizers"},
    "pypdfium2": {"_pdfium_worker"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(path: Path) -> set[str]:
    """Every module named by an import statement in a file, at any depth (lazy and TYPE_CHECKING ones too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            submodules = (f"{node.module}.{alias.name}" for alias in node.names)
            names.update(name for name in submodules if name in MODULES)
    return names


GRAPH = {name: {dep for dep in imports_of(path) if dep in MODULES and dep != name} for name, path in MODULES.items()}


def folder(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "redactor" and len(parts) > 1 and parts[1] in ALLOWED else None


def third_party(module: str) -> set[str]:
    tops = {name.split(".")[0] for name in imports_of(MODULES[module])}
    return {top for top in tops if top != "redactor" and top not in sys.stdlib_module_names and top != "__future__"}


def test_the_package_is_laid_out_in_folders() -> None:
    assert {folder(m) for m in MODULES} - {None} == set(ALLOWED)
    loose = {m for m in MODULES if folder(m) is None} - SHARED - {"redactor.__main__"}
    assert loose == set()


@pytest.mark.parametrize("top", sorted(ALLOWED))
def test_each_folder_imports_only_the_layers_below_it(top: str) -> None:
    for module, deps in GRAPH.items():
        if folder(module) != top:
            continue
        reached = {folder(dep) for dep in deps} - {None, top}
        assert reached <= ALLOWED[top], (module, reached)
        if top == "engine":  # the package root re-exports the engine
            assert deps & {"redactor", "redactor.__main__"} == set(), module


@pytest.mark.parametrize("top", ["engine", "service"])
def test_engine_and_service_import_no_http_framework(top: str) -> None:
    for module in GRAPH:
        if folder(module) == top:
            assert third_party(module) & HTTP_LIBRARIES == set(), module


def test_there_is_no_import_cycle() -> None:
    seen: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(module: str, path: list[str]) -> None:
        seen[module] = 1
        for dep in sorted(GRAPH[module]):
            assert seen.get(dep) != 1, " -> ".join([*path[path.index(dep) :], dep]) if dep in path else dep
            if dep not in seen:
                visit(dep, [*path, dep])
        seen[module] = 2

    for module in sorted(GRAPH):
        if module not in seen:
            visit(module, [module])
    assert len(seen) == len(GRAPH) > 40


def test_errors_use_the_standard_library_only() -> None:
    assert GRAPH["redactor.errors"] == set()
    assert third_party("redactor.errors") == set()


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_engine_stages_do_not_import_each_other(stage: str) -> None:
    engine_deps = {
        dep.split(".")[2]
        for dep in GRAPH[f"redactor.engine.{stage}"]
        if folder(dep) == "engine" and dep.count(".") == 2
    }
    assert engine_deps <= STAGE_IMPORTS[stage]


@pytest.mark.parametrize("library", sorted(OWNED_LIBRARIES))
def test_each_external_engine_has_one_owner(library: str) -> None:
    users = {m.rsplit(".", 1)[-1] for m in GRAPH if library in third_party(m)}
    assert users <= OWNED_LIBRARIES[library]


def loaded_by(module: str) -> set[str]:
    code = f"import json, sys; import {module}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    loaded = set(json.loads(done.stdout))
    assert module in loaded and "redactor.engine.pipeline" in loaded  # the imports really happened
    return loaded


@pytest.mark.parametrize("module", ["redactor.engine.pipeline", "redactor"])
def test_importing_the_engine_loads_no_service_or_edge(module: str) -> None:
    loaded = loaded_by(module)
    assert {m for m in loaded if m.startswith("redactor.") and folder(m) not in ("engine", None)} == set()
    assert loaded & (HTTP_LIBRARIES | {"cv2", "matplotlib"}) == set()


def test_the_command_line_starts_without_the_http_service() -> None:
    loaded = loaded_by("redactor.cli")
    assert {m for m in loaded if folder(m) == "api"} == set()
    assert loaded & (HTTP_LIBRARIES | {"cv2", "matplotlib"}) == set()
