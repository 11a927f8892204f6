"""The Debian packages some tests need, and how to tell whether each is installed.

A test names what it needs with ``@pytest.mark.needs("poppler-utils")``; without it the test is skipped with a
reason that names the package, and with ``KERJASAMA_REQUIRE_SYSTEM_PACKAGES=1`` (CI) it fails instead.
``python3 tests/system.py`` prints the missing packages, one per line, for an ``apt-get install``.
Only the standard library here: .ci/run calls it before any virtual environment exists.
"""
from __future__ import annotations

import ctypes.util
import functools
import shutil
import subprocess
import sys


def _command(*names: str):
    return lambda: all(shutil.which(name) for name in names)


def _library(name: str):
    return lambda: ctypes.util.find_library(name) is not None


def _font(family: str):
    def installed() -> bool:
        if not shutil.which("fc-list"):
            return False
        return family in subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return installed


PACKAGES = {
    "poppler-utils": _command("pdftotext", "pdftoppm"),  # PDFs read back as text and looked at as images
    "libpango-1.0-0": _library("pango-1.0"),  # WeasyPrint lays out text with Pango
    "libpangoft2-1.0-0": _library("pangoft2-1.0"),
    "libharfbuzz-subset0": _library("harfbuzz-subset"),  # WeasyPrint embeds font subsets with it
    "fonts-liberation": _font("Liberation Sans"),  # Arial's metrics, which the letter layout assumes
    "chromium": _command("chromium"),  # the report and the public site are looked at in a browser
    "openssl": _command("openssl"),  # a mail server's own certificate, for the STARTTLS tests
}
# What rendering a letter or a report as PDF needs.
PDF = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-liberation")


@functools.cache
def installed(package: str) -> bool:
    return PACKAGES[package]()


def missing(packages=PACKAGES) -> list[str]:
    return [package for package in packages if not installed(package)]


if __name__ == "__main__":
    print("\n".join(missing()))
    sys.exit(0)
