"""The architecture in ARCHITECTURE.md, checked: each layer imports only the layers below it
(or its own package), and the core imports nothing but the core and the standard library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "backcourse"
#: lowest first; a module may import its own package and any lower layer, never a higher one
LAYERS: dict[str, int] = {
    "backcourse.core": 0,
    "backcourse.infra": 1,
    "backcourse.content": 2,
    "backcourse.journal": 3,
    "backcourse.render": 4,
    "backcourse.views": 5,
    "backcourse.export": 5,
    "backcourse.serve": 5,
    "backcourse.lesson": 6,
    "backcourse.report": 6,
    "backcourse.cli": 6,
    "backcourse.__main__": 7,
    "backcourse": -1,  # the package's own __init__ (its version) is free to all
}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _owner(module: str) -> str:
    """The layer entry a module belongs to: the longest matching prefix."""
    return max((k for k in LAYERS if module == k or module.startswith(k + ".")), key=len)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: use an absolute import, not a relative one"
            found += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names]
    return found


MODULES = sorted((p for p in PACKAGE.rglob("*.py") if "slide_assets" not in p.parts),
                 key=str)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module(p))
def test_a_module_imports_only_its_own_package_and_lower_layers(path: Path) -> None:
    me = _owner(_module(path))
    wrong = []
    for name in _imports(path):
        if not name.startswith("backcourse"):
            continue
        if (PACKAGE.parent / (name.replace(".", "/") + ".py")).exists() or \
                (PACKAGE.parent / name.replace(".", "/")).is_dir():
            other = _owner(name)
            if other != me and LAYERS[other] >= LAYERS[me] and other != "backcourse":
                wrong.append(name)
    assert wrong == [], f"{_module(path)} (layer {LAYERS[me]}) imports a higher or sibling layer"


@pytest.mark.parametrize("path", sorted((PACKAGE / "core").glob("*.py")), ids=lambda p: p.stem)
def test_the_core_imports_only_the_core_and_the_standard_library(path: Path) -> None:
    outside = {n.split(".")[0] for n in _imports(path)} - set(sys.stdlib_module_names)
    assert outside <= {"backcourse"}, outside
    assert all(n.startswith("backcourse.core") for n in _imports(path)
               if n.startswith("backcourse")), path.name
