"""Every link in the documentation resolves, and every ``docs/`` page the code points to exists.

Relative links in README.md and docs/*.md must name an existing file (or folder); a ``#anchor`` must
be a heading of the page it points to, spelled as GitHub spells heading anchors. External links
(``https:``, ``mailto:``) are not fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# Where code, comments and packaging name documentation pages (tests/fixtures quote other projects' paths).
CODE = [*sorted((REPO / "redactor").rglob("*")), REPO / "pyproject.toml", *sorted((REPO / "scripts").rglob("*"))]
CODE_SUFFIXES = {".py", ".js", ".html", ".css", ".toml", ".sh", ".txt"}

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
DOCS_PATH = re.compile(r"(?<![\w/.-])docs/[\w./-]*\w")


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """The lines outside fenced code blocks, with their numbers."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup dropped, lower case, punctuation removed, spaces to dashes."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links keep their text
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every heading anchor of a Markdown page, repeated headings numbered as GitHub numbers them."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for _, line in prose_lines(page.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(page: Path) -> Iterator[tuple[int, str]]:
    """The link targets of a page outside code blocks and code spans."""
    for number, line in prose_lines(page.read_text(encoding="utf-8")):
        for match in LINK.finditer(INLINE_CODE.sub("", line)):
            yield number, match.group(1)


def relative_links() -> list[tuple[Path, int, str]]:
    return [
        (page, number, target)
        for page in PAGES
        for number, target in links(page)
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE)  # https:, mailto: ...
    ]


def test_the_pages_exist_and_link_somewhere() -> None:
    assert (REPO / "README.md").is_file()
    assert {"jobs.md", "visual.md"} <= {page.name for page in PAGES}  # named by the code
    assert len(relative_links()) > 20


@pytest.mark.parametrize(
    ("page", "number", "target"),
    relative_links(),
    ids=lambda value: value.name if isinstance(value, Path) else str(value),
)
def test_relative_link_resolves(page: Path, number: int, target: str) -> None:
    where = f"{page.relative_to(REPO)}:{number}: {target}"
    path, _, anchor = target.partition("#")
    resolved = (page.parent / unquote(path)).resolve() if path else page
    assert resolved.exists(), f"{where}: no such file"
    assert REPO in resolved.parents or resolved == REPO, f"{where}: outside the repository"
    if anchor:
        assert resolved.suffix == ".md", f"{where}: an anchor into a file that is not Markdown"
        assert unquote(anchor) in anchors(resolved), f"{where}: no such heading in {resolved.name}"


def test_every_docs_page_is_linked_from_the_readme() -> None:
    linked = {
        (REPO / target.partition("#")[0]).resolve()
        for _, target in links(REPO / "README.md")
        if target.startswith("docs/")
    }
    for page in PAGES[1:]:
        assert page.resolve() in linked, page.name


def code_mentions() -> list[tuple[Path, int, str]]:
    found = []
    for path in CODE:
        if not path.is_file() or path.suffix not in CODE_SUFFIXES:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            found += [(path, number, match.group(0)) for match in DOCS_PATH.finditer(line)]
    return found


def test_the_code_names_docs_pages() -> None:
    assert {mention for _, _, mention in code_mentions()} >= {"docs/jobs.md", "docs/visual.md"}


@pytest.mark.parametrize(
    ("path", "number", "mention"),
    code_mentions(),
    ids=lambda value: str(value.relative_to(REPO)) if isinstance(value, Path) else str(value),
)
def test_docs_path_named_in_the_code_exists(path: Path, number: int, mention: str) -> None:
    assert (REPO / mention).exists(), f"{path.relative_to(REPO)}:{number} names {mention}, which does not exist"


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Plans (`plans.yaml`)", "plans-plansyaml"),
        (
            "Measured on the dev set (24 images), side by side with presidio-image-redactor",
            "measured-on-the-dev-set-24-images-side-by-side-with-presidio-image-redactor",
        ),
        ("The engine's stages", "the-engines-stages"),
        ("Faces, people and licence plates", "faces-people-and-licence-plates"),
        ("Licence plates are an optional extra (AGPL-3.0)", "licence-plates-are-an-optional-extra-agpl-30"),
        ("Scale-out", "scale-out"),
    ],
)
def test_slugs_follow_github(heading: str, anchor: str) -> None:
    assert slug(heading) == anchor
