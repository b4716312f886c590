"""The package's shape: no import cycles, every family's members speak its interface, and what the README says of
the flags is the catalogue's own table."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from align import embed, quality, readers, segment
from align.formats import exporters
from align.languages import Language, known_languages, language

PACKAGE = Path(__file__).resolve().parent.parent / "align"
README = PACKAGE.parent / "README.md"


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, modules: set[str], root: Path = PACKAGE) -> set[str]:
    """The package's modules that a file imports, anywhere in it (inside functions too: a lazy import is still
    a dependency)."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.level and node.module else node.module or base
            # `from . import x`: x may be a module of its own, else a name of the package's __init__
            found.update(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target
                         for alias in node.names)
    return {module for module in found if module in modules and module != name}


def test_no_import_cycles():
    files = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {name: imports(path, set(files)) for name, path in files.items()}
    # a cycle exists iff a depth-first search meets a module still on its stack
    state: dict[str, str] = {}
    cycles = []

    def visit(name: str, stack: list[str]) -> None:
        state[name] = "open"
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                cycles.append(stack[stack.index(other):] + [other])
            elif other not in state:
                visit(other, stack + [other])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_walker_sees_a_cycle(tmp_path):
    """The cycle test itself can fail: two modules importing each other are found."""
    root = tmp_path / "align"
    root.mkdir()
    (root / "a.py").write_text("from . import b\n")
    (root / "b.py").write_text("def f():\n    from .a import x\n")
    modules = {"align.a", "align.b"}
    assert imports(root / "a.py", modules, root) == {"align.b"}
    assert imports(root / "b.py", modules, root) == {"align.a"}


@pytest.mark.parametrize("family, attributes", [
    (readers.READERS, ("NAME", "sniff", "read")),
    (segment.SPLITTERS.values(), ("NAME", "split")),
    (exporters.EXPORTERS.values(), ("NAME", "SUFFIX", "write")),
    (quality.CATALOGUE, ("NAME", "SEVERE", "SCOPE", "MEANING", "check")),
])
def test_every_member_of_a_family_speaks_its_interface(family, attributes):
    members = list(family)
    assert members
    for member in members:
        assert all(hasattr(member, attribute) for attribute in attributes), member.__name__
    assert len({member.NAME for member in members}) == len(members)


def test_check_scopes_are_known():
    assert {member.SCOPE for member in quality.CATALOGUE} <= {"lone", "unit", "text"}


def test_encoders_are_found_by_backend_name():
    assert embed.DEFAULT_BACKEND in embed.ENCODERS


def test_every_language_module_is_found_by_its_tag():
    spoken = known_languages()
    assert {"en", "sr", "hr", "bs", "sl", "mk", "bg"} <= {item.code for item in spoken}
    for item in spoken:
        assert isinstance(item, Language) and item.splitter in segment.SPLITTERS
    assert language("sr-Cyrl-RS").code == language("srp").code == language("cnr").code == "sr"
    assert language("de").splitter == "pysbd" and language("sw").splitter == "rules"


def test_the_readme_flag_table_is_the_catalogue():
    assert quality.catalogue_table() in README.read_text(encoding="utf-8")
