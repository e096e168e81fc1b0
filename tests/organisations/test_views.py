import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from moulin.core.models import AuditEvent
from moulin.organisations.models import Agreement, BoardMandate, BoardMeeting, Organisation, Premises, VolunteerHours
from moulin.territory.models import Commune
from tests.picking import pick


class TestOrganisationList:
    def test_network_staff_see_every_organisation_with_levels(self, client_as):
        response = client_as("staff").get(reverse("organisations:list"))
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 31
        body = response.content.decode()
        assert "CIGR Nordstad" in body and "Regional" in body

    def test_manager_sees_only_their_organisation(self, client_as):
        response = client_as("manager").get(reverse("organisations:list"))
        names = [obj.name for obj, _cells in response.context["rows"]]
        assert names == ["CIGL Esch-sur-Alzette"]

    def test_filter_by_level_and_search(self, client_as):
        client = client_as("staff")
        response = client.get(reverse("organisations:list"), {"level": "regional"})
        assert response.context["page"].paginator.count == 6
        response = client.get(reverse("organisations:list"), {"q": "nordstad"})
        assert [o.name for o, _ in response.context["rows"]] == ["CIGR Nordstad"]

    def test_filter_by_commune_where_the_organisation_works(self, client_as):
        esch = Commune.objects.get(name="Esch-sur-Alzette")
        response = client_as("staff").get(reverse("organisations:list"), {"commune": esch.pk})
        names = {o.name for o, _ in response.context["rows"]}
        assert names == {"CIGL Esch-sur-Alzette", "CIGS Environnement et Patrimoine"}

    def test_sorting_by_communes_covered(self, client_as):
        response = client_as("staff").get(reverse("organisations:list"), {"sort": "-communes"})
        first = response.context["rows"][0][0]
        assert first.n_communes == 6

    @pytest.mark.parametrize("sort", ["", "-communes", "communes", "kind"])
    @pytest.mark.parametrize("role", ["staff", "commune"])
    def test_each_organisation_counts_its_current_communes_whatever_the_sort(self, client_as, sort, role):
        """The count is read for the page's rows only, unless the list is sorted on it: the same figures either
        way, and the export says the same."""
        client = client_as(role)
        response = client.get(reverse("organisations:list"), {"sort": sort} if sort else {})
        orgs = [obj for obj, _cells in response.context["rows"]]
        assert orgs
        for org in orgs:
            current = Agreement.objects.current().filter(organisation=org)
            assert org.n_communes == current.values("commune").distinct().count(), org
        if sort == "-communes":
            counts = [o.n_communes for o in orgs]
            assert counts == sorted(counts, reverse=True) and counts[0] > 0
        sheet = openpyxl.load_workbook(
            io.BytesIO(client.get(reverse("organisations:list"), {"sort": sort, "export": "xlsx"}).content)
        ).active
        header = [c.value for c in sheet[1]]
        column = header.index("Communes (agreements)")
        exported = {row[0]: row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
        shown = [o for o in orgs if o.name in exported]
        assert shown and all(exported[o.name] == o.n_communes for o in shown)

    def test_htmx_request_gets_only_the_results_fragment(self, client_as):
        response = client_as("staff").get(
            reverse("organisations:list"), {"q": "Musel"}, headers={"HX-Request": "true", "HX-Target": "results"}
        )
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="results">')
        assert "CIGR Musel" in body and "<nav" not in body
        assert "HX-Request" in response["Vary"]

    def test_csv_export_holds_exactly_the_filtered_rows(self, client_as):
        response = client_as("staff").get(reverse("organisations:list"), {"level": "sectoral", "export": "csv"})
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][0] == "Name"
        assert sorted(r[0] for r in rows[1:]) == [
            "CIGS Culture et Tourisme",
            "CIGS Environnement et Patrimoine",
            "CIGS Services de proximité",
            "CIGS Web Cafés Lëtzebuerg",
        ]
        assert AuditEvent.objects.filter(action="export", object_type="organisations.organisation").exists()

    def test_xlsx_export_is_scoped(self, client_as):
        response = client_as("manager").get(reverse("organisations:list"), {"export": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [row[0] for row in sheet.iter_rows(values_only=True)]
        assert values == ["Name", "CIGL Esch-sur-Alzette"]

    def test_list_queries_are_bounded(self, client_as, django_assert_max_num_queries):
        client = client_as("staff")
        with django_assert_max_num_queries(12):
            client.get(reverse("organisations:list"))
        with django_assert_max_num_queries(12):
            client.get(reverse("organisations:list"), {"page": 2})


class TestOrganisationDetail:
    def test_shows_premises_agreements_and_board(self, client_as, home_org):
        response = client_as("manager").get(home_org.get_absolute_url())
        body = response.content.decode()
        assert "Agreements with communes" in body
        assert "Esch-sur-Alzette" in body
        for premises in home_org.premises.all():
            assert premises.name in body
        president = BoardMandate.objects.current().get(organisation=home_org, role="president")
        assert president.person_name in body

    def test_commune_officer_sees_the_organisation_but_not_its_board(self, client_as, home_org):
        response = client_as("commune").get(home_org.get_absolute_url())
        assert response.status_code == 200
        president = BoardMandate.objects.current().get(organisation=home_org, role="president")
        assert president.person_name not in response.content.decode()

    def test_outsider_gets_404(self, client_as, other_org):
        assert client_as("manager").get(other_org.get_absolute_url()).status_code == 404
        assert client_as("manager").get(reverse("organisations:update", args=[other_org.slug])).status_code == 404

    def test_detail_queries_are_bounded(self, client_as, home_org, django_assert_max_num_queries):
        client = client_as("manager")
        with django_assert_max_num_queries(22):
            client.get(home_org.get_absolute_url())


class TestOrganisationForms:
    def data(self, org, **changes):
        data = {
            "name": org.name, "short_name": org.short_name, "slug": org.slug, "kind": org.kind, "level": org.level,
            "legal_form": org.legal_form, "legal_number": org.legal_number, "vat_number": org.vat_number,
            "iban": org.iban, "bic": "", "address": org.address, "postcode": org.postcode, "locality": org.locality,
            "seat_commune": org.seat_commune_id, "email": org.email, "phone": org.phone, "website": "",
            "domains": [d.pk for d in org.domains.all()], "is_active": "on",
            "founded_on": org.founded_on.isoformat() if org.founded_on else "",
        }  # fmt: skip
        data.update(changes)
        return data

    def test_invalid_iban_is_refused_next_to_the_field_and_nothing_changes(self, client_as, home_org):
        before = home_org.iban
        response = client_as("manager").post(
            reverse("organisations:update", args=[home_org.slug]), self.data(home_org, iban="LU28 0019 4006 4475 0001")
        )
        assert response.status_code == 422
        assert 'data-field-error="iban"' in response.content.decode()
        assert "check digits" in response.content.decode()
        home_org.refresh_from_db()
        assert home_org.iban == before

    def test_invalid_vat_and_register_number(self, client_as, home_org):
        response = client_as("manager").post(
            reverse("organisations:update", args=[home_org.slug]),
            self.data(home_org, vat_number="LU12345678", legal_number="12"),
        )
        body = response.content.decode()
        assert 'data-field-error="vat_number"' in body and 'data-field-error="legal_number"' in body

    def test_manager_saves_details_and_the_change_is_audited(self, client_as, home_org):
        response = client_as("manager").post(
            reverse("organisations:update", args=[home_org.slug]), self.data(home_org, phone="+352 26 00 00 01")
        )
        assert response.status_code == 302
        home_org.refresh_from_db()
        assert home_org.phone == "+35226000001"  # stored in the international form
        event = pick(AuditEvent.objects.filter(action="update", object_id=str(home_org.pk)))
        assert event.detail["fields"] == ["phone"]

    def test_manager_cannot_change_the_level(self, client_as, home_org):
        client_as("manager").post(
            reverse("organisations:update", args=[home_org.slug]), self.data(home_org, level="sectoral")
        )
        home_org.refresh_from_db()
        assert home_org.level == "local"

    def test_coach_may_read_but_not_edit(self, client_as, home_org):
        assert client_as("coach").get(reverse("organisations:update", args=[home_org.slug])).status_code == 403

    def test_admin_creates_an_organisation(self, client_as):
        seat = Commune.objects.get(name="Mersch")
        data = self.data(Organisation.objects.get(name="CIGL Mamer"))
        data.update(name="CIGL Mersch", short_name="", slug="cigl-mersch", legal_number="F99", seat_commune=seat.pk,
                    iban="LU28 0019 4006 4475 0000", vat_number="")  # fmt: skip
        response = client_as("admin").post(reverse("organisations:create"), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        assert Organisation.objects.get(slug="cigl-mersch").seat_commune == seat

    def test_duplicate_register_number_is_refused(self, client_as, home_org, other_org):
        response = client_as("staff").post(
            reverse("organisations:update", args=[home_org.slug]),
            self.data(home_org, legal_number=other_org.legal_number),
        )
        assert "Another organisation already has this register number." in response.content.decode()


class TestBoard:
    def test_overlapping_presidency_is_refused_in_the_form(self, client_as, home_org):
        count = BoardMandate.objects.count()
        response = client_as("manager").post(
            reverse("organisations:mandate_create", args=[home_org.slug]),
            {"person_name": "Luc Thill", "role": "president", "represents": "resident", "start": "2026-01-01"},
        )
        assert response.status_code == 422
        assert "is already president of this board" in response.content.decode()
        assert BoardMandate.objects.count() == count

    def test_mandate_ending_before_start_is_refused(self, client_as, home_org):
        response = client_as("manager").post(
            reverse("organisations:mandate_create", args=[home_org.slug]),
            {
                "person_name": "Luc Thill",
                "role": "member",
                "represents": "resident",
                "start": "2026-01-01",
                "end": "2025-01-01",
            },  # fmt: skip
        )
        assert 'data-field-error="end"' in response.content.decode()

    def test_board_member_reads_but_cannot_add(self, client_as, home_org):
        client = client_as("board")
        assert client.get(home_org.get_absolute_url()).status_code == 200
        response = client.get(reverse("organisations:mandate_create", args=[home_org.slug]))
        assert response.status_code == 403

    def test_meeting_with_minutes_upload_and_scoped_download(self, client_as, home_org):
        president = BoardMandate.objects.current().get(organisation=home_org, role="president")
        upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
        response = client_as("manager").post(
            reverse("organisations:meeting_create", args=[home_org.slug]),
            {
                "date": "2026-10-02",
                "place": "Esch",
                "attendees": [president.pk],
                "decisions": "Budget adopted",
                "minutes": upload,
            },  # fmt: skip
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        meeting = BoardMeeting.objects.get(organisation=home_org, date=datetime.date(2026, 10, 2))
        assert list(meeting.attendees.all()) == [president]
        download = client_as("board").get(reverse("organisations:meeting_minutes", args=[meeting.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"
        assert client_as("commune").get(reverse("organisations:meeting_minutes", args=[meeting.pk])).status_code == 404

    def test_minutes_must_be_a_document(self, client_as, home_org):
        upload = SimpleUploadedFile("minutes.exe", b"MZ", content_type="application/octet-stream")
        response = client_as("manager").post(
            reverse("organisations:meeting_create", args=[home_org.slug]), {"date": "2026-10-03", "minutes": upload}
        )
        assert 'data-field-error="minutes"' in response.content.decode()


class TestPremisesAndVolunteering:
    def test_manager_adds_premises_in_another_commune(self, client_as, home_org):
        kayl = Commune.objects.get(name="Kayl")
        response = client_as("manager").post(
            reverse("organisations:premises_create", args=[home_org.slug]),
            {
                "name": "Atelier vélo",
                "kind": "workshop",
                "address": "3, rue du Canal",
                "postcode": "L-3601",
                "locality": "Kayl",
                "commune": kayl.pk,
            },  # fmt: skip
        )
        assert response.status_code == 302
        assert Premises.objects.filter(organisation=home_org, commune=kayl, name="Atelier vélo").exists()
        assert Organisation.objects.filter(name="CIGL Esch-sur-Alzette").count() == 1

    def test_volunteer_hours_in_the_future_are_refused(self, client_as, home_org):
        response = client_as("manager").post(
            reverse("organisations:volunteering_create", args=[home_org.slug]),
            {"volunteer_name": "Anne", "date": "2099-01-01", "hours": "3", "activity": "Event"},
        )
        assert "not in advance" in response.content.decode()

    def test_volunteer_hours_list_totals_what_is_listed(self, client_as, home_org):
        response = client_as("manager").get(reverse("organisations:volunteering_list"), {"year": 2025})
        expected = sum(h.hours for h in VolunteerHours.objects.filter(organisation=home_org, date__year=2025))
        assert response.context["total_hours"] == expected

    def test_volunteer_hours_list_is_closed_to_the_ministry(self, client_as):
        assert client_as("ministry").get(reverse("organisations:volunteering_list")).status_code == 403

    def test_deleting_premises(self, client_as, home_org):
        premises = pick(home_org.premises.exclude(is_seat=True))
        response = client_as("manager").post(reverse("organisations:premises_delete", args=[premises.pk]))
        assert response.status_code == 302
        assert not Premises.objects.filter(pk=premises.pk).exists()


@pytest.mark.parametrize("role", ["commune", "ministry", "coach"])
def test_roles_that_may_not_write_governance_get_403(role, client_as, home_org):
    client = client_as(role)
    response = client.post(
        reverse("organisations:volunteering_create", args=[home_org.slug]),
        {"volunteer_name": "X", "date": "2026-01-01", "hours": "1", "activity": "Y"},
    )
    assert response.status_code in (403, 404)


def test_nobody_writes_a_commune_agreement_by_hand(client_as, home_org):
    """Since contracts (decision 0008) a commune contract in force carries its agreement: the organisation page
    lists the agreements, and commune contracts are made on the contract pages."""
    from moulin.access.policy import ADD, CHANGE
    from moulin.access.querysets import policy_for
    from moulin.access.scope import scope_for
    from moulin.organisations.models import Agreement

    for role in ("manager", "staff", "admin"):
        client = client_as(role)
        body = client.get(home_org.get_absolute_url()).content.decode()
        assert "Add agreement" not in body and "carried by a commune contract" in body
        scope = scope_for(client.user)
        assert not policy_for(Agreement).can(scope, ADD, home_org)
        assert not policy_for(Agreement).can(scope, CHANGE, home_org.agreements.first())
    assert client_as("staff").get(reverse("contracts:create")).status_code == 200


def test_board_is_listed_president_first_and_meetings_newest_first(client_as, home_org):
    response = client_as("manager").get(home_org.get_absolute_url())
    roles = [m.role for m in response.context["current_mandates"]]
    assert roles[0] == "president" and roles[-1] == "member"
    dates = [m.date for m in response.context["meetings"]]
    assert dates == sorted(dates, reverse=True)
