"""The exit summary speaks of the person's own years and has one training-and-skills section; the access export
PDF names every field by its label in the reader's language."""

import io

from django.urls import reverse
from django.utils import timezone

from moulin.participants import enums
from moulin.participants.models import Participant
from tests.picking import pick


def _pdf_text(response) -> str:
    from pypdf import PdfReader

    assert response.status_code == 200
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)


def _left_last_year(org):
    last_year = timezone.localdate().year - 1
    return pick(
        Participant.objects.filter(organisation=org, status=enums.PathwayStatus.EXITED, anonymised_at__isnull=True,
                                   exits__date__year=last_year, enrolments__isnull=False).distinct(),
        "person who left last year after a training",
    )  # fmt: skip


def test_exit_summary_of_someone_who_left_last_year(client_as, home_org):
    person = _left_last_year(home_org)
    text = _pdf_text(client_as("coach").get(reverse("participants:exit_summary", args=[person.public_id])))
    assert f"training attended in {timezone.localdate().year}" not in text
    assert text.count("Training and skills") == 1
    assert "No skills recorded" not in text


def test_access_export_pdf_uses_labels_in_the_readers_language(client_as, demo_user, home_org):
    person = _left_last_year(home_org)
    text = _pdf_text(client_as("coach").get(reverse("participants:access_export_pdf", args=[person.public_id])))
    for raw in ("first_name", "jobseeker_number", "birth_date", "labour_market_status", "weekly_hours"):
        assert raw not in text
    assert "First name" in text and "Weekly hours" in text
    coach = demo_user("coach")
    coach.language = "fr"
    coach.save(update_fields=["language"])
    french = _pdf_text(client_as(coach).get(reverse("participants:access_export_pdf", args=[person.public_id])))
    assert "first_name" not in french
    assert "Prénom" in french and "First name" not in french
