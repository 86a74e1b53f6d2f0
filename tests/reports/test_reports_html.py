"""The HTML report prints: headless Chromium makes an A4 PDF with the heading and the totals row.

Needs Debian's ``chromium`` and ``poppler-utils`` (pdftotext, pdfinfo). Skipped with a reason when
they are missing, unless OCAFAS_REQUIRE_EXTENSION_TESTS=1 (CI sets it) makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from report_cli import run
from reports_support import Synced

REQUIRED = os.environ.get("OCAFAS_REQUIRE_EXTENSION_TESTS") == "1"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (apt-get install -y chromium poppler-utils)"
        if REQUIRED:
            pytest.fail(message + " and OCAFAS_REQUIRE_EXTENSION_TESTS=1")
        pytest.skip(message)
    return found


def _print_pdf(html: Path, pdf: Path, profile: Path) -> None:
    chromium = _tool("chromium")
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        html.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert pdf.exists() and pdf.stat().st_size > 1000, done.stderr[-2000:]


def test_html_report_prints_on_a4_with_headers_and_totals(synced: Synced, tmp_path: Path) -> None:
    pdftotext, pdfinfo = _tool("pdftotext"), _tool("pdfinfo")
    html = tmp_path / "processed.html"
    result = run(
        synced.env(),
        "processed",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--format",
        "html",
        "-o",
        str(html),
    )
    assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert "@page" in page and "table-header-group" in page
    assert "<script" not in page and "http" not in page.split("<body>")[0]  # self-contained
    pdf = tmp_path / "processed.pdf"
    _print_pdf(html, pdf, tmp_path / "profile")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert pages >= 2, "220 orders should fill more than one page"
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    excl, vat = synced.afas_sums()
    total_line = next(line for line in text.splitlines() if "Total (" in line)
    assert f"{excl:,.2f}" in total_line and f"{vat:,.2f}" in total_line
    # the heading repeats on every printed page (thead)
    assert text.count("Orders booked in AFAS SB · shop default") >= pages


def test_vat_html_in_dutch_has_the_grand_total(synced: Synced, tmp_path: Path) -> None:
    _tool("pdftotext")
    html = tmp_path / "vat.html"
    run(
        synced.env(),
        "vat",
        "--month",
        "2025-03",
        "--format",
        "html",
        "--locale",
        "nl",
        "-o",
        str(html),
    )
    pdf = tmp_path / "vat.pdf"
    _print_pdf(html, pdf, tmp_path / "profile")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Total all" in text and "ICP" in text
    assert "01-03-2025 – 31-03-2025" in text
