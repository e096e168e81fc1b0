from django.urls import reverse
from django.utils import timezone

from moulin.access.roles import Role
from moulin.access.scope import build_scope
from moulin.accounts.models import RoleAssignment, User
from moulin.organisations.models import Organisation
from tests.factories import user_with_role


class TestLogin:
    def test_anonymous_visitors_are_sent_to_the_login_page(self, client):
        response = client.get(reverse("organisations:list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_login_with_email_and_password_lands_on_the_home_page(self, client):
        response = client.post(
            reverse("accounts:login"), {"username": "manager@moulin.demo", "password": "moulin-demo"}, follow=True
        )
        assert response.redirect_chain[-1][0] == reverse("home:home")
        body = response.content.decode()
        assert "Hello, Nathalie" in body and "Organisation manager" in body

    def test_wrong_password_is_refused_with_a_message(self, client):
        response = client.post(reverse("accounts:login"), {"username": "manager@moulin.demo", "password": "x"})
        assert response.status_code == 200
        assert "correct email address and password" in response.content.decode()


class TestLanguage:
    def test_language_choice_is_kept_on_the_account(self, client_as):
        client = client_as("manager")
        response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
        assert response.status_code == 302
        assert User.objects.get(email="manager@moulin.demo").language == "de"
        page = client.get(reverse("home:home"))
        assert '<html lang="de">' in page.content.decode()

    def test_language_switch_works_on_the_login_page(self, client):
        client.post(reverse("set_language"), {"language": "fr", "next": "/accounts/login/"})
        assert '<html lang="fr">' in client.get(reverse("accounts:login")).content.decode()


class TestUserAdministration:
    def test_administrator_creates_a_user_and_gives_a_role(self, client_as, home_org):
        client = client_as("admin")
        response = client.post(
            reverse("accounts:user_create"),
            {
                "email": "New.Coach@Example.org",
                "full_name": "New Coach",
                "language": "fr",
                "is_active": "on",
                "password": "a-long-enough-pass-42",
            },  # fmt: skip
        )
        user = User.objects.get(email="new.coach@example.org")
        assert response["Location"] == reverse("accounts:user_detail", args=[user.public_id])
        response = client.post(
            reverse("accounts:role_add", args=[user.public_id]), {"role": Role.COACH, "organisation": home_org.pk}
        )
        assert response.status_code == 302
        assert build_scope(user).org_ids(Role.COACH) == {home_org.pk}

    def test_a_commune_officer_without_commune_is_refused(self, client_as):
        user = User.objects.get(email="ministry@moulin.demo")
        response = client_as("admin").post(
            reverse("accounts:role_add", args=[user.public_id]), {"role": Role.COMMUNE_OFFICER}
        )
        assert response.status_code == 422
        assert "A commune officer needs a commune." in response.content.decode()

    def test_one_user_may_hold_several_roles(self, home_org, other_org):
        user = user_with_role(Role.ORG_MANAGER, organisation=home_org)
        RoleAssignment.objects.create(user=user, role=Role.BOARD_MEMBER, organisation=other_org)
        assert set(Organisation.objects.visible_to(user)) == {home_org, other_org}

    def test_an_expired_role_no_longer_gives_access(self, home_org):
        user = user_with_role(Role.ORG_MANAGER, organisation=home_org)
        RoleAssignment.objects.filter(user=user).update(valid_until=timezone.localdate() - timezone.timedelta(days=1))
        assert not Organisation.objects.visible_to(User.objects.get(pk=user.pk)).exists()

    def test_only_administrators_manage_users(self, client_as):
        assert client_as("staff").get(reverse("accounts:user_list")).status_code == 403
        assert client_as("admin").get(reverse("accounts:user_list")).status_code == 200

    def test_weak_initial_password_is_refused(self, client_as):
        response = client_as("admin").post(
            reverse("accounts:user_create"),
            {"email": "x@example.org", "full_name": "X", "language": "en", "password": "123"},
        )
        assert 'data-field-error="password"' in response.content.decode()
        assert not User.objects.filter(email="x@example.org").exists()

    def test_user_without_role_is_told_so(self, client):
        user = User.objects.create_user("norole@example.org", "a-long-enough-pass-42", full_name="No Role")
        client.force_login(user)
        assert "You hold no role yet" in client.get(reverse("home:home")).content.decode()
