"""Dates in one format per language, on pages, in record names and messages: the locale's short date."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from moulin.formats import long_date, short_date

DAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize("language,short,words", [("en", "01/12/2026", "1 December 2026"),
                                                  ("fr", "01/12/2026", "1 décembre 2026"),
                                                  ("de", "01.12.2026", "1. Dezember 2026")])  # fmt: skip
def test_one_short_format_per_language_and_words_for_documents(language, short, words):
    with translation.override(language):
        assert short_date(DAY) == short
        assert Template("{{ day }}").render(Context({"day": DAY})) == short  # a bare date in a template
        assert Template('{{ day|date:"SHORT_DATE_FORMAT" }}').render(Context({"day": DAY})) == short
        assert long_date(DAY) == words


def test_no_date_format_is_hard_coded_in_the_code():
    root = Path(settings.BASE_DIR) / "moulin"
    offenders = []
    for path in root.rglob("*.py"):
        if "formats" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        if re.search(r"%d[./]%m[./]%Y", text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_record_names_follow_the_reader_language(home_org):
    from moulin.participants.models import Exit
    from tests.picking import pick

    exit_ = pick(Exit.objects.filter(participant__organisation=home_org), "exit")
    with translation.override("de"):
        assert f"{exit_.date:%d.%m.%Y}" in str(exit_)
    with translation.override("fr"):
        assert f"{exit_.date:%d/%m/%Y}" in str(exit_)
