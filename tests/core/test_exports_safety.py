"""Exports never carry a live formula; responses with personal data are never cached."""

import csv
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from moulin.core.exports import export_rows
from moulin.core.tables import Column
from moulin.participants.models import Participant
from tests.picking import pick

DANGEROUS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def _rows():
    return [SimpleNamespace(text=value, number=-5) for value in [*DANGEROUS, "plain", "a=b"]]


COLUMNS = [Column("text", "Text"), Column("number", "Number")]


def test_csv_cells_that_look_like_formulas_are_written_as_text():
    response = export_rows(COLUMNS, _rows(), filename="t", fmt="csv")
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    texts = [r[0] for r in rows[1:]]
    assert texts == [f"'{v}" for v in DANGEROUS] + ["plain", "a=b"]
    assert {r[1] for r in rows[1:]} == {"-5"}  # a negative number is a number, left alone


def test_xlsx_cells_that_look_like_formulas_are_strings_not_formulas():
    response = export_rows(COLUMNS, _rows(), filename="t", fmt="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [f"'{v}" for v in DANGEROUS] + ["plain", "a=b"]
    assert all(c.data_type == "s" for c in cells)
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [-5] * len(cells)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_list_export_neutralises_a_name_typed_as_a_formula(client_as, home_org, fmt):
    person = pick(Participant.objects.filter(organisation=home_org).active(), "active participant")
    Participant.objects.filter(pk=person.pk).update(first_name="=1+1", last_name="Formula")
    response = client_as("coach").get(reverse("participants:list"), {"export": fmt, "q": "Formula"})
    if fmt == "csv":
        names = [row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))]
    else:
        names = [row[0].value for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert names[1:] == ["'=1+1 Formula"]


@pytest.mark.parametrize(
    "name",
    ["participants:detail", "participants:exit_summary", "participants:access_export_pdf",
     "participants:access_export_json", "participants:update"],
)  # fmt: skip
def test_pages_with_personal_data_are_never_cached(client_as, home_org, name):
    person = pick(Participant.objects.filter(organisation=home_org).active(), "active participant")
    response = client_as("manager").get(reverse(name, kwargs={"public_id": person.public_id}))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_exports_are_never_cached_and_pages_without_people_may_be(client_as):
    client = client_as("manager")
    assert "no-store" in client.get(reverse("participants:list"), {"export": "xlsx"})["Cache-Control"]
    assert "no-store" not in client.get(reverse("participants:measure_list")).get("Cache-Control", "")
