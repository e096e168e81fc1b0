"""The English, French and German catalogs stay complete: every UI string of the code is in the
catalogs, every entry is translated (no fuzzy), placeholders are kept, and the compiled .mo files
match the .po files the product ships."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["fr", "de"]
PLACEHOLDER = re.compile(r"%\([a-zA-Z_0-9]+\)[sd]|%[sd]|\{[a-z_0-9]*\}")


def catalog(lang):
    return polib.pofile(str(ROOT / "moulin" / "locale" / lang / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_keeps_its_placeholders(lang):
    po = catalog(lang)
    assert len(po) > 100
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} untranslated in {lang}: {untranslated[:10]}"
    assert fuzzy == [], f"fuzzy entries in {lang}: {fuzzy[:10]}"
    broken = []
    for entry in po:
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            found = sorted(PLACEHOLDER.findall(text))
            if entry.msgid_plural:
                # a singular form may spell out the number instead of its placeholder
                ok = set(found) <= set(expected) | set(PLACEHOLDER.findall(entry.msgid))
            else:
                ok = found == expected
            if not ok:
                broken.append(entry.msgid)
    assert broken == [], f"placeholders differ in {lang}: {broken[:10]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(lang):
    mo_path = ROOT / "moulin" / "locale" / lang / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"run `make messages` to compile {lang}"
    with open(mo_path, "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [e.msgid for e in catalog(lang) if not e.msgid_plural and compiled.gettext(e.msgid) != e.msgstr]
    assert stale == [], f"django.mo is older than django.po for {lang}: run `make messages` ({stale[:5]})"


def test_every_ui_string_of_the_code_is_in_the_catalogs(tmp_path):
    """Extract the strings of a copy of the code with Django's makemessages and compare."""
    assert shutil.which("xgettext"), "gettext is needed for this check: `make test` installs it"
    copy = tmp_path / "moulin"
    for path in (ROOT / "moulin").rglob("*"):
        if path.suffix in {".py", ".html", ".txt"} and "vendor" not in path.parts:
            target = copy / path.relative_to(ROOT / "moulin")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    for lang in LANGUAGES:
        (copy / "locale" / lang / "LC_MESSAGES").mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "fr", "-l", "de", "--no-location", "-v", "0"],
        cwd=tmp_path, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for lang in LANGUAGES:
        extracted = {e.msgid for e in polib.pofile(str(copy / "locale" / lang / "LC_MESSAGES" / "django.po"))}
        shipped = {e.msgid for e in catalog(lang)}
        missing = sorted(extracted - shipped)
        assert missing == [], (
            f"{len(missing)} strings missing from the {lang} catalog (`make messages`): {missing[:10]}"
        )
