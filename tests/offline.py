"""What a browser would fetch from a page: shared by the slides and handouts tests."""

from __future__ import annotations

import re

LOADED = re.compile(r"""(?:src|href|data)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)""",
                    re.IGNORECASE)
IMPORTS = re.compile(r"""@import\s+(?:url\()?["']?([^"')\s;]+)|import\s*\(?\s*["']([^"']+)""")


def external_loads(text: str) -> list[str]:
    """URLs outside the folder that src/href/data attributes, CSS url() or imports would load
    (plain <a> links are navigation, not loads, and are left out)."""
    text = re.sub(r"<a\s[^>]*>", "", text)
    found = [a or b for a, b in LOADED.findall(text)] + [a or b for a, b in IMPORTS.findall(text)]
    return list(dict.fromkeys(u for u in found if re.match(r"(https?:)?//", u)))

