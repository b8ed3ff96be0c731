"""docs/architecture.md's layout section is generated from the code and must agree with it."""

import importlib.util

from tests.helpers.paths import ROOT


def _layout():
    spec = importlib.util.spec_from_file_location("layout", ROOT / "docs" / "layout.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_architecture_doc_lists_every_module_as_the_code_describes_it():
    layout = _layout()
    text = layout.ARCHITECTURE.read_text(encoding="utf-8")
    assert layout.START in text, "docs/architecture.md has lost its layout markers"
    assert layout.updated(text) == text, "docs/architecture.md's layout is stale: run `python docs/layout.py`"


def test_every_package_of_the_project_is_a_room_of_the_layout():
    layout = _layout()
    packages = {p.parent.relative_to(ROOT).as_posix() for p in ROOT.glob("*/**/__init__.py")
                if not p.relative_to(ROOT).parts[0].startswith((".", "tests", "build"))}
    assert packages == set(layout.PACKAGES)
