"""The board meeting form offers the mandates current on the meeting's date and keeps the minutes file across a
failed validation."""

import datetime
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from moulin.organisations.models import BoardMandate, BoardMeeting
from tests.picking import pick


def _former(org):
    return pick(BoardMandate.objects.filter(organisation=org, end__isnull=False), "board mandate that ended")


def _offered(body):
    block = body.split('id="field-attendees"', 1)[1].split('id="field-', 1)[0]
    return {int(v) for v in re.findall(r'name="attendees" value="(\d+)"', block)}


def test_attendees_offered_are_the_board_on_the_meeting_date(client_as, home_org):
    former = _former(home_org)
    url = reverse("organisations:meeting_create", args=[home_org.slug])
    client = client_as("manager")
    today = client.get(url).content.decode()
    current = set(BoardMandate.objects.filter(organisation=home_org).current().values_list("pk", flat=True))
    assert _offered(today) == current
    assert former.pk not in _offered(today)
    # The htmx refresh when the date moves to a day of the former member's mandate.
    during = client.get(url, {"date": former.end.isoformat()}, HTTP_HX_REQUEST="true").content.decode()
    assert former.pk in _offered(during)
    presidents = BoardMandate.objects.filter(organisation=home_org, role="president").current(former.end)
    assert presidents.count() <= 1
    date_input = today.split('name="date"', 1)[1].split(">", 1)[0]
    assert 'hx-select="#field-attendees"' in date_input and 'hx-trigger="change"' in date_input


def test_a_former_member_is_refused_with_a_date_in_the_reader_format(client_as, home_org):
    former = _former(home_org)
    day = former.end + datetime.timedelta(days=1)
    response = client_as("manager").post(
        reverse("organisations:meeting_create", args=[home_org.slug]),
        {"date": day.isoformat(), "attendees": [former.pk]},
    )
    assert response.status_code == 422
    message = " ".join(response.context["form"].errors["attendees"])
    assert f"{former.person_name} did not hold a mandate on {day:%d/%m/%Y}" in message
    assert day.isoformat() not in message


def test_minutes_are_kept_after_a_failed_validation(client_as, home_org):
    former = _former(home_org)
    day = datetime.date(2026, 11, 5)
    url = reverse("organisations:meeting_create", args=[home_org.slug])
    client = client_as("manager")
    upload = SimpleUploadedFile("minutes-nov.pdf", b"%PDF-1.4 kept minutes", content_type="application/pdf")
    failed = client.post(url, {"date": day.isoformat(), "attendees": [former.pk], "minutes": upload})
    assert failed.status_code == 422
    body = failed.content.decode()
    assert "minutes-nov.pdf" in body
    token = re.search(r'name="minutes_kept" value="([^"]+)"', body).group(1)
    president = BoardMandate.objects.current(day).get(organisation=home_org, role="president")
    saved = client.post(url, {"date": day.isoformat(), "attendees": [president.pk], "minutes_kept": token})
    assert saved.status_code == 302
    meeting = BoardMeeting.objects.get(organisation=home_org, date=day)
    assert meeting.minutes.read() == b"%PDF-1.4 kept minutes"


def test_a_forged_kept_file_is_ignored(client_as, home_org):
    day = datetime.date(2026, 11, 6)
    response = client_as("manager").post(
        reverse("organisations:meeting_create", args=[home_org.slug]),
        {"date": day.isoformat(), "minutes_kept": "../../config/settings/base.py"},
    )
    assert response.status_code == 302
    assert not BoardMeeting.objects.get(organisation=home_org, date=day).minutes
