"""Shared by the tests of the process register's import and export (CSV and XLSX): the
exchange format's header, files to upload built from rows, posting them to the import,
and fetching an export."""

import csv
from io import BytesIO, StringIO

from django.contrib.messages import Message
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

# The exchange format is a contract with the city hall's spreadsheets: spelled out here.
HEADER = [
    "kategoria",
    "kod",
    "nazwa",
    "cel",
    "jednostka",
    "wlasciciel",
    "wejscia",
    "wyjscia",
    "powiazane",
]
IMPORT_URL = "processes:import"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def row(**cells: str) -> dict[str, str]:
    """One register row; columns not given stay empty."""
    return cells


def csv_bytes(
    rows: list[dict[str, str]],
    *,
    header: list[str] = HEADER,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> bytes:
    buffer = StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for cells in rows:
        writer.writerow([cells.get(column, "") for column in header])
    return buffer.getvalue().encode(encoding)


def csv_upload(
    rows: list[dict[str, str]], *, name: str = "rejestr.csv", **kwargs
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows, **kwargs), content_type="text/csv")


def xlsx_upload(rows: list[dict[str, str]], *, name: str = "rejestr.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for cells in rows:
        sheet.append([cells.get(column, "") for column in HEADER])
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_TYPE)


def post_import(
    client: Client, upload: SimpleUploadedFile, *, dry_run: bool = False, follow: bool = False
) -> HttpResponse:
    data: dict = {"file": upload}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse(IMPORT_URL), data, follow=follow)


def shown_messages(response: HttpResponse, level: int) -> list[Message]:
    return [m for m in response.context["messages"] if m.level == level]


def export(client: Client, fmt: str, query: str = "") -> HttpResponse:
    return client.get(reverse("processes:export", kwargs={"fmt": fmt}) + query)


GOOD_ROW = row(kategoria="PZ", kod="PZ.30", nazwa="Przegląd zarządzania", jednostka="WOU")
