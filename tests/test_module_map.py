"""The README's module map matches the tree: every module of every stage package is named
in its package's entry, and every package the map names exists (a newcomer finds "where is
the store" from the map and the folders alike)."""

from __future__ import annotations

import re

from conftest import ROOT


def _map_entries() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\nkg/ ")
    block = readme[start : readme.index("```", start)]
    entries: dict[str, str] = {}
    current = None
    for line in block.splitlines():
        m = re.match(r"^  (\w+)/\s", line)
        if m:
            current = m.group(1)
            entries[current] = line
        elif current and line.startswith("   "):
            entries[current] += line
        else:
            current = None
    return entries


def test_every_module_is_in_its_packages_entry():
    entries = _map_entries()
    packages = sorted(p for p in (ROOT / "kg").iterdir() if (p / "__init__.py").is_file())
    assert packages
    missing = [
        f"kg/{pkg.name}/{f.name}"
        for pkg in packages
        for f in sorted(pkg.glob("*.py"))
        if f.name != "__init__.py" and f.name not in entries.get(pkg.name, "")
    ]
    assert missing == []


def test_every_package_the_map_names_exists():
    for name in _map_entries():
        assert (ROOT / "kg" / name).is_dir(), name
