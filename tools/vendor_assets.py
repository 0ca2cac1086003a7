"""Refresh backcourse/export/slide_assets from the npm registry (maintainers only; needs Node).

The versions are pinned in tools/slide-assets/package-lock.json. Instructors never run
this: the copied files ship inside the package, so `backcourse slides` needs no network.

    python tools/vendor_assets.py
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE.parent / "backcourse" / "export" / "slide_assets"
FONTS = {".woff", ".woff2", ".ttf", ".eot", ".svg"}

# (source inside node_modules, destination inside slide_assets)
FILES = [
    ("reveal.js/dist/reveal.js", "reveal.js/dist/reveal.js"),
    ("reveal.js/dist/reveal.css", "reveal.js/dist/reveal.css"),
    ("reveal.js/dist/reset.css", "reveal.js/dist/reset.css"),
    ("reveal.js/dist/theme/white.css", "reveal.js/dist/theme/white.css"),
    ("reveal.js/plugin/notes/notes.js", "reveal.js/plugin/notes/notes.js"),
    ("requirejs/require.js", "require.js"),
    ("jquery/dist/jquery.min.js", "jquery.min.js"),
    ("@jupyter-widgets/html-manager/dist/embed-amd.js", "html-manager/embed-amd.js"),
    ("reveal.js/LICENSE", "licenses/reveal.js.txt"),
    ("jquery/LICENSE.txt", "licenses/jquery.txt"),
    ("@jupyter-widgets/html-manager/dist/embed.js.LICENSE.txt", "licenses/html-manager.txt"),
]
FONTS = "reveal.js/dist/theme/fonts/source-sans-pro"
FOLDERS = [(FONTS, FONTS)]


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        for name in ("package.json", "package-lock.json"):
            shutil.copy(HERE / "slide-assets" / name, work)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=work,
                       check=True)
        modules = Path(work) / "node_modules"
        if TARGET.exists():
            shutil.rmtree(TARGET)
        for source, dest in FILES:
            (TARGET / dest).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(modules / source, TARGET / dest)
        for source, dest in FOLDERS:
            shutil.copytree(modules / source, TARGET / dest)
        for font in (modules / "@jupyter-widgets/html-manager/dist").iterdir():
            if font.suffix in FONTS:
                shutil.copy(font, TARGET / "html-manager" / font.name)
        licence = (modules / "requirejs/require.js").read_text(encoding="utf-8").split("*/")[0]
        (TARGET / "licenses" / "requirejs.txt").write_text(licence + "*/\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in TARGET.rglob("*") if p.is_file())
    print(f"vendored {TARGET} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
