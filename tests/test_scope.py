"""The site-wide scope test: every URL of the site, as every demo role.

For each URL pattern whose view reads a model, the test takes an object inside the role's scope and one
outside it (decided by the same policy the views use, and cross-checked against the explicit table
below), requests both, and checks: inside gives the page (or 403 for a write the role may not do),
outside gives 404; lists show only rows in scope; aggregate-only roles never see a person's name.
Later capabilities extend EXPECTED and PERSONAL_STRINGS; the walk picks their URLs up by itself.
"""

import pytest
from django.db.models import Exists, OuterRef
from django.urls import URLPattern, URLResolver, get_resolver

from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for
from moulin.core.views import ScopedDetailView, ScopedFormView, ScopedListView, ScopedObjectMixin
from moulin.organisations.models import BoardMandate, Organisation, VolunteerHours
from tests.conftest import DEMO_ROLES
from tests.picking import pick

# URLs outside the scoped views, not walked: authentication (password reset, second factor and the password
# asked again included: tests/accounts/test_sign_in.py), the language switch, the Django admin (superusers only),
# the password change and the two-factor set-up (act on the signed-in user alone)
# and the JSON API, walked as every role by test_api_as_every_role below; the health probe reads no record and
# answers without login (tests/ops/test_serving.py); the public pages of community care (a commune's service
# directory and request form, the confirmation, the one-time survey), open to everyone without signing in and
# tested in tests/care/test_public.py; the public pages of the web cafés (a commune's web cafés, a course's
# registration form and its confirmation), tested in tests/webcafe/test_public.py
SKIP_PREFIXES = (
    "health",
    "admin:",
    "set_language",
    "accounts:logout",
    "accounts:login",
    "accounts:password_change",
    "accounts:password_reset",
    "accounts:confirm_password",
    "accounts:verify",
    "accounts:enrol",
    "accounts:recovery_codes",
    "api:",
    "care:public_",
    "webcafe:public_",
)


def walk(patterns=None, prefix="", namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield namespace + (p.name or ""), prefix + str(p.pattern), p


def scoped_patterns():
    found = []
    for name, route, pattern in walk():
        if name.startswith(SKIP_PREFIXES):
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        found.append((name, route, pattern, view_class))
    return found


ALL_PATTERNS = scoped_patterns()


def url_for(route: str, kwargs: dict) -> str:
    from django.urls import reverse

    return reverse(kwargs.pop("__name"), kwargs=kwargs)


def object_kwargs(view_class, obj):
    if issubclass(view_class, ScopedFormView) and view_class.creating and view_class.parent_model:
        return {view_class.parent_url_kwarg: getattr(obj, view_class.parent_lookup)}
    return {view_class.lookup_url_kwarg: getattr(obj, view_class.lookup_field)}


def target_model(view_class):
    if issubclass(view_class, ScopedFormView) and view_class.creating and view_class.parent_model:
        return view_class.parent_model
    return view_class.model


def test_every_page_is_a_scoped_view_or_declared():
    """No page escapes the mechanism: each URL is a scoped view, or a named exception."""
    unscoped = [
        name
        for name, route, pattern, view_class in ALL_PATTERNS
        if view_class is None or not hasattr(view_class, "scope")
    ]
    assert unscoped == [], f"pages outside the scoped views: {unscoped}"


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_every_url_as_every_role(role, client_as):
    client = client_as(role)
    scope = scope_for(client.user)
    checked = 0
    for name, route, _pattern, view_class in ALL_PATTERNS:
        if "<" not in route:
            response = client.get("/" + route)
            assert response.status_code in (200, 403), f"{role} {name}: {response.status_code}"
            if isinstance(view_class, type) and issubclass(view_class, ScopedListView) and response.status_code == 200:
                listed = {obj.pk for obj, _cells in response.context["rows"]}
                allowed = set(
                    policy_for(view_class.model)
                    .visible(view_class.model.objects.all(), scope)
                    .values_list("pk", flat=True)
                )
                assert listed <= allowed, f"{role} {name} lists rows outside scope"
            checked += 1
            continue
        if not (isinstance(view_class, type) and issubclass(view_class, ScopedObjectMixin | ScopedFormView)):
            continue
        model = target_model(view_class)
        everything = model._default_manager.all()
        visible = policy_for(model).visible(everything, scope)
        inside = visible.order_by("pk").first()
        # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN over a big table (70,000 time entries) row by row
        outside = everything.filter(~Exists(visible.filter(pk=OuterRef("pk")))).order_by("pk").first()
        if outside is not None:
            url = url_for(route, {"__name": name, **object_kwargs(view_class, outside)})
            response = client.get(url)
            assert response.status_code == 404, f"{role} reached {url} outside scope ({response.status_code})"
            if not issubclass(view_class, ScopedDetailView):
                response = client.post(url, {})
                assert response.status_code == 404, f"{role} posted to {url} outside scope"
            checked += 1
        if inside is not None:
            url = url_for(route, {"__name": name, **object_kwargs(view_class, inside)})
            response = client.get(url)
            assert response.status_code in (200, 403, 404), f"{role} {url}: {response.status_code}"
            if response.status_code == 404:
                # only a missing file (minutes not uploaded) may 404 inside scope
                assert name == "organisations:meeting_minutes", f"{role} {url} 404 inside scope"
            checked += 1
    assert checked > 20


# What each demo role sees of the organisations and of the board (explicit, not derived from the policy)
EXPECTED_ORGANISATIONS = {
    "admin": 31, "staff": 31, "ministry": 31, "manager": 1, "coach": 1, "teamleader": 1, "board": 1, "finance": 1,
}  # fmt: skip


@pytest.mark.parametrize("role,count", EXPECTED_ORGANISATIONS.items())
def test_organisations_each_role_sees(role, count, demo_user):
    assert Organisation.objects.visible_to(demo_user(role)).count() == count


def test_commune_officer_sees_organisations_working_in_the_commune(demo_user):
    visible = set(Organisation.objects.visible_to(demo_user("commune")).values_list("name", flat=True))
    assert "CIGL Esch-sur-Alzette" in visible
    assert "CIGS Environnement et Patrimoine" in visible  # holds an agreement with Esch-sur-Alzette
    assert "CIGR Nordstad" not in visible


@pytest.mark.parametrize("role", ["commune", "ministry", "coach", "teamleader"])
def test_roles_without_governance_access_see_no_board(role, demo_user):
    assert not BoardMandate.objects.visible_to(demo_user(role)).exists()
    assert not VolunteerHours.objects.visible_to(demo_user(role)).exists()


@pytest.mark.parametrize("role", ["manager", "board"])
def test_governance_roles_see_only_their_board(role, demo_user, home_org):
    orgs = set(BoardMandate.objects.visible_to(demo_user(role)).values_list("organisation", flat=True))
    assert orgs == {home_org.pk}


def _participant_names():
    from moulin.accounts.models import User
    from moulin.participants.models import Participant

    rows = Participant.objects.values_list("first_name", "last_name")
    # a participant may share the ministry officer's own name, which her profile page shows
    own = set(User.objects.filter(email="ministry@moulin.demo").values_list("full_name", flat=True))
    return {f"{first} {last}" for first, last in rows if first and last} - own


def _beneficiary_names():
    from moulin.accounts.models import User
    from moulin.care.models import Beneficiary

    rows = Beneficiary.objects.values_list("first_name", "last_name")
    # a beneficiary may share the ministry officer's own name, which her profile page shows
    own = set(User.objects.filter(email="ministry@moulin.demo").values_list("full_name", flat=True))
    return {f"{first} {last}" for first, last in rows if first and last} - own


def _registrant_names():
    """Members of the public registered for web café courses (their names and phones)."""
    from moulin.webcafe.models import Registration

    rows = Registration.objects.values_list("enrolment__public_name", "enrolment__public_phone")
    return {name for name, _phone in rows if name} | {phone for _name, phone in rows if phone}


def _invoice_recipients():
    """The people billed (beneficiaries' invoices carry their name)."""
    from moulin.accounts.models import User
    from moulin.billing.models import Invoice

    own = set(User.objects.filter(email="ministry@moulin.demo").values_list("full_name", flat=True))
    return set(Invoice.objects.filter(beneficiary__isnull=False).values_list("buyer_name", flat=True)) - own


#: later capabilities add callables returning more names of people (``set[str]``)
PERSONAL_STRING_SOURCES = [_participant_names, _beneficiary_names, _registrant_names, _invoice_recipients]


def personal_strings():
    """Names of people recorded in the network (board members, volunteers, users, participants...)."""
    from moulin.accounts.models import User

    names = set(BoardMandate.objects.values_list("person_name", flat=True))
    names |= set(VolunteerHours.objects.values_list("volunteer_name", flat=True))
    names |= {u.email for u in User.objects.exclude(email="ministry@moulin.demo")}
    for source in PERSONAL_STRING_SOURCES:
        names |= source()
    return names


@pytest.mark.parametrize("role", ["ministry"])
def test_aggregate_only_role_never_sees_a_person(role, client_as):
    client = client_as(role)
    names = personal_strings()
    pages = 0
    for name, route, _pattern, view_class in ALL_PATTERNS:
        if "<" in route:
            if not (isinstance(view_class, type) and issubclass(view_class, ScopedDetailView)):
                continue
            model = target_model(view_class)
            obj = policy_for(model).visible(model.objects.all(), scope_for(client.user)).order_by("pk").first()
            if obj is None:
                continue
            url = url_for(route, {"__name": name, **object_kwargs(view_class, obj)})
        else:
            url = "/" + route
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            ("text/html", "application/json")
        ):
            continue
        body = response.content.decode()
        leaked = [n for n in names if n in body]
        assert not leaked, f"{url} shows personal data to {role}: {leaked[:5]}"
        pages += 1
    assert pages > 5


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_api_as_every_role(role, client_as):
    """The API reads through the same policies: list what the pages list, 404 outside scope."""
    client = client_as(role)
    visible = Organisation.objects.visible_to(client.user)
    data = client.get("/api/v1/organisations/", {"page_size": 100}).json()
    assert {item["slug"] for item in data["items"]} == set(visible.values_list("slug", flat=True))
    outside = Organisation.objects.exclude(pk__in=visible.values("pk")).first()
    if outside is not None:
        assert client.get(f"/api/v1/organisations/{outside.slug}").status_code == 404


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_care_request_api_as_every_role(role, client_as):
    """The requests of the API are those of the pages; the beneficiary only for who reads beneficiaries."""
    from moulin.care.models import Beneficiary, Request

    client = client_as(role)
    scope = scope_for(client.user)
    data = client.get("/api/v1/care/requests", {"page_size": 100}).json()
    visible = policy_for(Request).visible(Request.objects.all(), scope)
    assert data["count"] == visible.count()
    readable = set(policy_for(Beneficiary).visible(Beneficiary.objects.all(), scope).values_list("pk", flat=True))
    assert all(item["beneficiary"] is None or item["beneficiary"]["id"] in readable for item in data["items"])
    outside = Request.objects.exclude(pk__in=visible.values("pk")).order_by("pk").first()
    if outside is not None:
        assert client.get(f"/api/v1/care/requests/{outside.pk}").status_code == 404


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_menu_and_home_offer_only_pages_the_role_may_open(role, client_as):
    """Every link of the menu and the home page leads to a page the role may open (no 403 behind a link)."""
    import re

    client = client_as(role)
    body = client.get("/").content.decode()
    links = set(re.findall(r'href="(/[^"#?]*)[^"]*"', body)) - {"/accounts/logout/"}
    assert len(links) > 5
    for url in sorted(links):
        if url.startswith(("/static/", "/admin/")):
            continue
        assert client.get(url).status_code == 200, f"{role}: {url}"


def test_organisation_choices_of_forms_come_from_the_policies(client_as, home_org, other_org):
    """A form offers exactly the organisations the policy lets the user add under, and refuses any other."""
    manager = client_as("manager")
    for url in ["/projects/new/", "/training/new/", "/participants/refer/"]:
        response = manager.get(url)
        assert response.status_code == 200, url
        form = response.context["form"]
        choices = set(form.fields["organisation"].queryset.values_list("pk", flat=True))
        assert choices == {home_org.pk}, url
    staff = client_as("staff").get("/projects/new/").context["form"]
    assert other_org.pk in set(staff.fields["organisation"].queryset.values_list("pk", flat=True))
    response = manager.post("/projects/new/", {"organisation": other_org.pk, "name": "Not ours"})
    assert 'data-field-error="organisation"' in response.content.decode()


def test_a_network_wide_coach_organises_courses_of_the_resource_centre_only():
    from moulin.access.roles import Role
    from moulin.access.scope import build_scope
    from moulin.training.models import Course
    from tests.factories import user_with_role

    coach = user_with_role(Role.COACH)  # no organisation: the network's coach
    offered = policy_for(Course).organisations_for_add(build_scope(coach))
    assert list(offered.values_list("kind", flat=True)) == ["resource_centre"]


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_every_figure_a_role_sees_is_the_count_of_what_it_may_count(role, client_as):
    """The figures of the home page, the planning panel, the pathway figures and an organisation's board count
    equal the counts of ``counted_for`` (the policy's counting rule): the whole network for the roles that read
    network aggregates, the rows of the organisations the role reaches for the others."""
    from decimal import Decimal

    from django.db.models import Sum
    from django.urls import reverse
    from django.utils import timezone

    from moulin.organisations.enums import OrganisationKind
    from moulin.participants.enums import PathwayStatus
    from moulin.participants.models import EmploymentContract, Exit, Participant, Referral
    from moulin.projects.models import Need, Project

    client = client_as(role)
    user = client.user
    scope = scope_for(user)
    year = timezone.localdate().year

    def counted(model):
        return model.objects.counted_for(user)

    # the rule itself: everything for network aggregates, else the rows of the organisations the role reaches
    reached = Organisation.objects.visible_to(user)
    for model, path in [
        (Participant, "organisation"),
        (BoardMandate, "organisation"),
        (Exit, "participant__organisation"),
    ]:
        expected = model.objects.all()
        if not scope.reads_network_aggregates:
            expected = expected.filter(**{f"{path}__in": reached.values("pk")})
        assert set(counted(model).values_list("pk", flat=True)) == set(expected.values_list("pk", flat=True)), model

    home = client.get(reverse("home:home")).context
    figures = home["figures"]
    orgs = counted(Organisation).filter(is_active=True)
    assert figures.members == orgs.filter(kind=OrganisationKind.MEMBER).count()
    assert figures.resource_centres == orgs.filter(kind=OrganisationKind.RESOURCE_CENTRE).count()
    assert figures.board_members == counted(BoardMandate).filter(organisation__is_active=True).current().count()
    hours = counted(VolunteerHours).filter(organisation__is_active=True, date__year=year).aggregate(t=Sum("hours"))
    assert figures.volunteer_hours == (hours["t"] or Decimal(0))

    planning = next(p for p in home["panels"] if p["template"] == "projects/home_panel.html")
    assert planning["open_needs"] == counted(Need).open().count()
    assert planning["needs_raised"] == counted(Need).raised_in(year).count()
    assert planning["projects_running"] == counted(Project).running_in(year).count()

    pathway = client.get(reverse("participants:figures")).context["figures"]
    assert pathway["hires"] == counted(EmploymentContract).filter(start__year=year, renewal_of__isnull=True).count()
    assert pathway["referrals"] == counted(Referral).filter(date__year=year).count()
    assert pathway["exits"] == counted(Exit).filter(date__year=year).count()
    assert pathway["waiting"] == counted(Participant).active().filter(status=PathwayStatus.WAITING).count()

    org = pick(reached.filter(mandates__isnull=False).distinct(), "organisation the role reaches, with a board")
    page = client.get(org.get_absolute_url()).context
    assert page["board_count"] == counted(BoardMandate).filter(organisation=org).current().count()
