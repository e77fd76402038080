#!/usr/bin/env python3
"""Regenerates rihla's embedded airport table, pricing/data/airports.tsv.

Source: the MIT-licensed `airportsdata` package on PyPI (Mike Borsetti, with data from
https://github.com/mwgg/Airports), pinned below by version and wheel SHA-256. The script
downloads the wheel with pip (`pip download --no-deps`), reads `airportsdata/airports.csv`
from it, keeps the columns the pricing engine needs and writes:

  pricing/data/airports.tsv         one airport a line, tab-separated, UTF-8, LF
  pricing/data/AIRPORTS_LICENSE.txt the package's MIT notice and the data's origin

Both files are committed: building rihla never needs the network. Run this script only to
move to a newer airportsdata release (bump VERSION and SHA256, then update
`AIRPORTS_DATA_VERSION` and `EXPECTED_AIRPORT_COUNT` in pricing/src/jet/airport.rs, which
the tests check against the file).

Rows kept: every airport that has a real ICAO location indicator (4 letters A-Z) or an IATA
code. airportsdata also lists ~11,000 strips, heliports and seaplane bases known only by a
"pseudo-ICAO" identifier (mostly US FAA LIDs such as `00AA`); those are left out, as are
the rows whose name says their coordinates are unknown. An airport that has an IATA code
but no ICAO indicator keeps airportsdata's pseudo identifier in the `icao` column (e.g.
`_AYM`, `07FA`). Latitude and longitude are copied as published (decimal-degree text, no
float round trip).

Usage: python3 scripts/gen_airports.py   (from anywhere; needs pip and network access)
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "airportsdata"
VERSION = "20260905"
WHEEL = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
SHA256 = "d7eaa9a57d373b0adaaae0d52da2af0bb0edf73f7baa170f7c415d3342bf4868"

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "pricing" / "data"
TABLE = OUT_DIR / "airports.tsv"
LICENSE = OUT_DIR / "AIRPORTS_LICENSE.txt"
MAX_BYTES = 2_000_000

COLUMNS = ("icao", "iata", "name", "country", "lat", "lon", "tz")
ICAO_RE = re.compile(r"[A-Z]{4}")
PSEUDO_ICAO_RE = re.compile(r"[A-Z0-9_]{4}")
IATA_RE = re.compile(r"[A-Z]{3}")
COUNTRY_RE = re.compile(r"[A-Z]{2}")
DECIMAL_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?")
TZ_RE = re.compile(r"[A-Za-z0-9_+\-/]+")


def fail(message: str) -> None:
    sys.exit(f"gen_airports: {message}")


def download(directory: Path) -> bytes:
    """Downloads the pinned wheel with pip and returns its bytes, checked by SHA-256."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         f"{PACKAGE}=={VERSION}", "-d", str(directory)],
        check=True,
    )
    wheel = directory / WHEEL
    if not wheel.is_file():
        fail(f"pip did not produce {WHEEL}")
    data = wheel.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        fail(f"{WHEEL} has SHA-256 {digest}, expected {SHA256}")
    return data


def in_range(text: str, limit: int) -> bool:
    if not DECIMAL_RE.fullmatch(text):
        return False
    whole, _, frac = text.lstrip("-").partition(".")
    value = int(whole)
    return value < limit or (value == limit and frac.strip("0") == "")


def convert(wheel: bytes) -> tuple[str, str, int, int]:
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        source = archive.read(f"{PACKAGE}/airports.csv").decode("utf-8")
        license_name = next(
            (n for n in archive.namelist() if n.endswith("/LICENSE")), None
        )
        if license_name is None:
            fail("no LICENSE file in the wheel")
        license_text = archive.read(license_name).decode("utf-8")

    rows = list(csv.DictReader(io.StringIO(source, newline="")))
    out = []
    seen_icao: set[str] = set()
    seen_iata: set[str] = set()
    for number, row in enumerate(rows, start=2):
        record = {k: (row.get(k) or "").strip() for k in COLUMNS}
        icao, iata = record["icao"], record["iata"]
        if not (ICAO_RE.fullmatch(icao) or iata):
            continue  # pseudo-ICAO only: strip, heliport, seaplane base …
        if "unknown coordinates" in record["name"].lower():
            continue
        where = f"airports.csv line {number} ({icao})"
        if not PSEUDO_ICAO_RE.fullmatch(icao):
            fail(f"{where}: unexpected icao {icao!r}")
        if iata and not IATA_RE.fullmatch(iata):
            fail(f"{where}: unexpected iata {iata!r}")
        if not record["name"]:
            fail(f"{where}: empty name")
        if not COUNTRY_RE.fullmatch(record["country"]):
            fail(f"{where}: unexpected country {record['country']!r}")
        if not in_range(record["lat"], 90) or not in_range(record["lon"], 180):
            fail(f"{where}: coordinates {record['lat']}, {record['lon']}")
        if not TZ_RE.fullmatch(record["tz"]):
            fail(f"{where}: unexpected time zone {record['tz']!r}")
        if any(c in v for v in record.values() for c in "\t\r\n"):
            fail(f"{where}: tab or line break in a field")
        if icao in seen_icao or (iata and iata in seen_iata):
            fail(f"{where}: duplicate code")
        seen_icao.add(icao)
        if iata:
            seen_iata.add(iata)
        out.append("\t".join(record[k] for k in COLUMNS))

    out.sort()
    header = (
        "# rihla airport table: generated by scripts/gen_airports.py, do not edit by hand.\n"
        f"# Source: {PACKAGE} {VERSION} (PyPI, MIT licence; see AIRPORTS_LICENSE.txt),\n"
        "# airports with an ICAO location indicator or an IATA code.\n"
        "# lat/lon: decimal degrees (WGS 84 airport reference point) as published.\n"
        + "\t".join(COLUMNS)
        + "\n"
    )
    table = header + "".join(line + "\n" for line in out)
    notice = (
        "Airport data in airports.tsv\n"
        "============================\n\n"
        f"airports.tsv is derived from the `{PACKAGE}` package, version {VERSION}, published\n"
        f"on PyPI (https://pypi.org/project/{PACKAGE}/{VERSION}/; source\n"
        "https://github.com/mborsetti/airportsdata), file airportsdata/airports.csv.\n"
        "It was generated by scripts/gen_airports.py, which keeps the columns icao, iata,\n"
        "name, country, lat, lon and tz of the airports that have an ICAO location indicator\n"
        "or an IATA code. The data is used under the MIT licence reproduced below; it is\n"
        "provided as is, and is not valid for flight planning or navigation.\n\n"
        "----------------------------------------------------------------------------------\n\n"
        + license_text.rstrip("\n")
        + "\n"
    )
    return table, notice, len(rows), len(out)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wheel = download(Path(tmp))
    table, notice, source_rows, kept = convert(wheel)
    size = len(table.encode("utf-8"))
    if size > MAX_BYTES:
        fail(f"airports.tsv would be {size} bytes, more than {MAX_BYTES}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(table, encoding="utf-8", newline="\n")
    LICENSE.write_text(notice, encoding="utf-8", newline="\n")
    print(
        f"{PACKAGE} {VERSION}: {source_rows} airports read, {kept} written to "
        f"{TABLE.relative_to(ROOT)} ({size} bytes)"
    )
    print(
        "Remember: AIRPORTS_DATA_VERSION and EXPECTED_AIRPORT_COUNT in "
        "pricing/src/jet/airport.rs must match."
    )


if __name__ == "__main__":
    main()
