"""Pictures of an office file's pages, as LibreOffice draws them (for docs/): the file to PDF with soffice, the
chosen pages split out with pypdf, each page to PNG with soffice again (LibreOffice's PNG export draws only a
document's first page). Usage: python scripts/render_office.py 报告.docx docs/report-docx 1 2 5"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdf


def _soffice(args: list[str], folder: Path) -> None:
    subprocess.run(
        ["soffice", "--headless", *args, "--outdir", str(folder)],
        check=True,
        capture_output=True,
        timeout=180,
    )


def to_pdf(source: Path, folder: Path) -> Path:
    """``source`` as LibreOffice prints it: a PDF in ``folder``."""
    _soffice(["--convert-to", "pdf", str(source)], folder)
    return folder / f"{source.stem}.pdf"


def render_pdf(pdf: Path, prefix: str, pages: list[int]) -> list[Path]:
    """``pdf``'s ``pages`` (1-based) as ``prefix``-N.png; the paths written."""
    out = []
    reader = pypdf.PdfReader(pdf)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for number in pages:
            writer = pypdf.PdfWriter()
            writer.add_page(reader.pages[number - 1])
            single = folder / f"page{number}.pdf"
            writer.write(single)
            _soffice(["--convert-to", "png", str(single)], folder)
            target = Path(f"{prefix}-{number}.png")
            shutil.copyfile(folder / f"page{number}.png", target)
            out.append(target)
    return out


def render(source: Path, prefix: str, pages: list[int]) -> list[Path]:
    """``source``'s ``pages`` (1-based) as ``prefix``-N.png; the paths written."""
    with tempfile.TemporaryDirectory() as tmp:
        return render_pdf(to_pdf(source, Path(tmp)), prefix, pages)


if __name__ == "__main__":
    print(*render(Path(sys.argv[1]), sys.argv[2], [int(n) for n in sys.argv[3:]]), sep="\n")
