"""Partners, contacts and partnerships: what a user sees and what is refused."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from moulin.partners.models import Contact, Partner, Partnership
from moulin.projects.models import Project
from moulin.territory.models import Commune
from tests.picking import pick


@pytest.fixture
def esch():
    return Commune.objects.get(name="Esch-sur-Alzette")


def test_partner_list_filters_and_stays_within_a_fixed_number_of_queries(client_as, django_assert_max_num_queries):
    client = client_as("staff")
    with django_assert_max_num_queries(12):
        response = client.get("/partners/", {"level": "national"})
    assert response.status_code == 200
    rows = [obj for obj, _cells in response.context["rows"]]
    assert rows and all(p.level == "national" for p in rows)
    assert response.context["page"].paginator.count == Partner.objects.filter(level="national").count()
    with django_assert_max_num_queries(12):
        client.get("/partners/", {"page": 3})


def test_partner_search_by_name_and_commune(client_as, esch):
    client = client_as("staff")
    response = client.get("/partners/", {"q": "ADEM"})
    assert "Agence pour le développement de l&#x27;emploi (ADEM)" in response.content.decode()
    response = client.get("/partners/", {"commune": esch.pk, "kind": "commune"})
    names = [p.name for p, _cells in response.context["rows"]]
    assert names == ["Administration communale de Esch-sur-Alzette"]


def test_partner_export_is_what_the_user_sees(client_as):
    client = client_as("staff")
    csv = client.get("/partners/", {"level": "international", "export": "csv"})
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) - 1 == Partner.objects.filter(level="international").count()
    xlsx = client.get("/partners/", {"level": "international", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row - 1 == Partner.objects.filter(level="international").count()


def test_partner_page_lists_all_its_partnerships(client_as):
    partner = Partner.objects.get(name="Agence pour le développement de l'emploi (ADEM)")
    response = client_as("staff").get(partner.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    for partnership in Partnership.objects.filter(partner=partner).select_related("organisation", "project"):
        assert str(partnership.counterpart.name).replace("'", "&#x27;") in body


def test_commune_officer_sees_only_partners_linked_to_their_commune(client_as, esch):
    client = client_as("commune")
    response = client.get("/partners/")
    listed = {p.pk for p, _cells in response.context["rows"]}
    assert Partner.objects.get(name="Administration communale de Esch-sur-Alzette").pk in listed or (
        response.context["page"].paginator.count > 25
    )
    elsewhere = Partner.objects.get(name="Administration communale de Wiltz")
    assert client.get(elsewhere.get_absolute_url()).status_code == 404


def test_ministry_sees_no_partner_record_and_never_contact_names(client_as):
    partner = pick(Contact.objects.select_related("partner")).partner
    client = client_as("ministry")
    assert client.get(partner.get_absolute_url()).status_code == 404
    assert client.get(reverse("partners:list")).status_code == 403
    staff_body = client_as("staff").get(partner.get_absolute_url()).content.decode()
    assert partner.contacts.first().name in staff_body


def test_contact_with_invalid_email_and_phone_is_refused_at_the_fields(client_as):
    partner = Partner.objects.get(name="Agence pour le développement de l'emploi (ADEM)")
    before = Contact.objects.count()
    response = client_as("staff").post(
        reverse("partners:contact_create", args=[partner.pk]),
        {"name": "Jo Tester", "function": "Officer", "email": "not-an-email", "phone": "call me"},
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "email" in errors and "phone" in errors
    assert Contact.objects.count() == before


def test_contact_phone_is_stored_internationally_and_shown_as_typed_in_luxembourg(client_as):
    partner = Partner.objects.get(name="Agence pour le développement de l'emploi (ADEM)")
    client = client_as("staff")
    response = client.post(
        reverse("partners:contact_create", args=[partner.pk]),
        {"name": "Jo Phonetest", "function": "Officer", "email": "", "phone": "621 12 34 56"},
    )
    assert response.status_code == 302
    assert Contact.objects.get(partner=partner, name="Jo Phonetest").phone == "+352621123456"
    abroad = Contact.objects.create(partner=partner, name="Jo Abroad", phone="0049 30 1234567")
    assert abroad.phone == "+49301234567"  # a direct save normalises too
    page = client.get(partner.get_absolute_url()).content.decode()
    assert "621 123 456" in page and "+49 30 1234567" in page


def test_partnership_that_ends_before_it_starts_is_refused(client_as, home_org):
    partner = Partner.objects.get(name="Chambre des Métiers")
    before = Partnership.objects.count()
    response = client_as("manager").post(
        reverse("partners:partnership_create", args=[partner.pk]),
        {"organisation": home_org.pk, "role": "Craft rules", "since": "2024-05-01", "until": "2023-01-01"},
    )
    assert response.status_code == 422
    assert "until" in response.context["form"].errors
    assert Partnership.objects.count() == before


def test_partnership_needs_an_organisation_or_a_project(client_as):
    partner = Partner.objects.get(name="Chambre des Métiers")
    response = client_as("staff").post(reverse("partners:partnership_create", args=[partner.pk]), {"role": "x"})
    assert response.status_code == 422
    assert "organisation" in response.context["form"].errors


def test_manager_links_a_partner_to_their_project_only(client_as, home_org, other_org):
    partner = Partner.objects.get(name="Chambre des Métiers")
    client = client_as("manager")
    mine = pick(Project.objects.filter(organisation=home_org))
    theirs = pick(Project.objects.filter(organisation=other_org))
    response = client.post(reverse("projects:partnership_create", args=[mine.pk]),
                           {"partner": partner.pk, "role": "Certified training", "since": "2025-01-01"})  # fmt: skip
    assert response.status_code == 302
    assert Partnership.objects.filter(partner=partner, project=mine, role="Certified training").exists()
    assert client.get(reverse("projects:partnership_create", args=[theirs.pk])).status_code == 404


def test_deleting_a_partner_in_use_is_refused_with_what_holds_it(client_as):
    partner = Partner.objects.get(name="Agence pour le développement de l'emploi (ADEM)")
    client = client_as("staff")
    response = client.post(reverse("partners:delete", args=[partner.pk]), follow=True)
    assert Partner.objects.filter(pk=partner.pk).exists()
    message = str(list(response.context["messages"])[0])
    assert "cannot be deleted" in message and "partnership" in message


def test_unused_partner_can_be_deleted(client_as):
    partner = Partner.objects.create(name="Short-lived partner", kind="company", level="national")
    response = client_as("staff").post(reverse("partners:delete", args=[partner.pk]))
    assert response.status_code == 302
    assert not Partner.objects.filter(pk=partner.pk).exists()


def test_outsider_gets_404_on_contacts_of_partners_not_linked_to_them(client_as, other_org):
    linked = Partnership.objects.filter(organisation=other_org).values("partner")
    mine = Partnership.objects.filter(organisation__name="CIGL Esch-sur-Alzette").values("partner")
    contact = pick(Contact.objects.filter(partner__in=linked).exclude(partner__in=mine))
    client = client_as("manager")
    assert client.get(reverse("partners:contact_update", args=[contact.pk])).status_code == 404
    assert client.post(reverse("partners:contact_delete", args=[contact.pk])).status_code == 404


@pytest.mark.parametrize("sort", ["", "-n_partnerships", "n_partnerships", "kind"])
def test_partner_list_counts_each_partners_partnerships_whatever_the_sort(client_as, sort):
    """The count is read for the page's rows only, unless the list is sorted on it: the same figures either way,
    and the export says the same."""
    response = client_as("staff").get("/partners/", {"sort": sort} if sort else {})
    partners = [obj for obj, _cells in response.context["rows"]]
    assert partners
    for partner in partners:
        assert partner.n_partnerships == Partnership.objects.filter(partner=partner).count(), partner
    if sort == "-n_partnerships":
        counts = [p.n_partnerships for p in partners]
        assert counts == sorted(counts, reverse=True) and counts[0] > 0
    workbook = load_workbook(
        io.BytesIO(client_as("staff").get("/partners/", {"sort": sort, "export": "xlsx"}).content)
    )
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    column = header.index("Partnerships")
    exported = {row[0]: row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    shown = [p for p in partners if p.name in exported]
    assert shown and all(exported[p.name] == p.n_partnerships for p in shown)
