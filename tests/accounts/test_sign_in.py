"""Sign-in protection: lockouts, two-factor sign-in, password reset and first password, audit rows, idle sessions
and the password asked again before an export of personal data (docs/decisions/0006-sign-in-protection.md)."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from moulin.access.roles import Role
from moulin.accounts import security
from moulin.accounts.models import User
from moulin.core.models import AuditEvent
from tests.factories import user_with_role

PASSWORD = "moulin-demo"
LOGIN = reverse("accounts:login")
HOME = reverse("home:home")


def sign_in(client, email, password=PASSWORD, address="10.0.0.1", **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra}, REMOTE_ADDR=address)


def fail(client, email, times, address="10.0.0.1"):
    for _ in range(times):
        sign_in(client, email, "not-the-password", address)


def login_rows(**detail):
    return AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, **{f"detail__{k}": v for k, v in detail.items()})


def code_for(device, later=0):
    """The code the user's app shows now (or ``later`` time steps from now)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp() + later * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    codes = security.new_recovery_codes(user)
    return device, codes


class TestLockout:
    def test_the_right_password_after_repeated_failures_is_refused(self, client):
        fail(client, "manager@moulin.demo", 25)
        response = sign_in(client, "manager@moulin.demo")
        assert response.status_code == 429
        assert "too many failed sign-ins" in response.content.decode()
        assert not client.get(HOME).wsgi_request.user.is_authenticated

    def test_an_account_is_locked_after_the_limit_from_any_address(self, client):
        fail(client, "coach@moulin.demo", settings.AXES_FAILURE_LIMIT - 1, address="10.0.0.7")
        assert sign_in(Client(), "coach@moulin.demo", address="10.9.9.9").status_code == 302  # still allowed
        fail(client, "coach@moulin.demo", settings.AXES_FAILURE_LIMIT, address="10.0.0.7")
        # the account is locked, wherever the next attempt comes from; other accounts are not
        assert sign_in(Client(), "coach@moulin.demo", address="10.9.9.9").status_code == 429
        assert sign_in(Client(), "board@moulin.demo", address="10.9.9.9").status_code == 302

    def test_the_typed_email_counts_whatever_its_case(self, client):
        for variant in ["Coach@Moulin.demo", " coach@moulin.demo", "COACH@MOULIN.DEMO", "coach@moulin.demo", "x"]:
            sign_in(client, variant if variant != "x" else "coach@moulin.demo", "wrong")
        assert sign_in(Client(), "coach@moulin.demo", address="10.1.1.1").status_code == 429

    def test_spraying_one_password_over_many_accounts_locks_the_address(self, client):
        emails = list(User.objects.exclude(email="staff@moulin.demo").values_list("email", flat=True)[:30])
        assert len(emails) >= settings.MOULIN_ADDRESS_FAILURE_LIMIT
        for email in emails[: settings.MOULIN_ADDRESS_FAILURE_LIMIT]:
            sign_in(client, email, "Summer2026!", address="10.6.6.6")
        # the sprayer's address is refused even with a right password; the same account elsewhere is not
        assert sign_in(Client(), "staff@moulin.demo", address="10.6.6.6").status_code == 429
        assert sign_in(Client(), "staff@moulin.demo", address="10.5.5.5").status_code == 302

    def test_a_few_failures_from_a_shared_office_address_do_not_lock_it(self, client):
        for email in ["coach@moulin.demo", "board@moulin.demo", "teamleader@moulin.demo"]:
            fail(client, email, 2, address="10.3.3.3")
        assert sign_in(Client(), "manager@moulin.demo", address="10.3.3.3").status_code == 302

    def test_the_lockout_ends_after_the_cool_off(self, client):
        fail(client, "board@moulin.demo", settings.AXES_FAILURE_LIMIT)
        assert sign_in(Client(), "board@moulin.demo").status_code == 429
        with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1)):
            assert sign_in(Client(), "board@moulin.demo").status_code == 302

    def test_an_administrator_unlocks_the_account_from_the_user_page(self, client, client_as, demo_user):
        fail(client, "board@moulin.demo", settings.AXES_FAILURE_LIMIT)
        board = demo_user("board")
        admin = client_as("admin")
        page = admin.get(reverse("accounts:user_detail", args=[board.public_id])).content.decode()
        assert 'data-testid="account-locked"' in page
        response = admin.post(reverse("accounts:user_unlock", args=[board.public_id]))
        assert response.status_code == 302
        assert sign_in(Client(), "board@moulin.demo", address="10.8.8.8").status_code == 302
        assert login_rows(outcome="unlocked").filter(actor__email="admin@moulin.demo", object_id=str(board.pk))

    def test_only_administrators_unlock(self, client_as, demo_user):
        board = demo_user("board")
        assert client_as("manager").post(reverse("accounts:user_unlock", args=[board.public_id])).status_code == 404
        assert client_as("board").post(reverse("accounts:user_unlock", args=[board.public_id])).status_code == 403

    def test_lockouts_are_in_django_admin_too(self, client, client_as):
        fail(client, "board@moulin.demo", settings.AXES_FAILURE_LIMIT)
        page = client_as("admin").get(reverse("admin:axes_accessattempt_changelist")).content.decode()
        assert "board@moulin.demo" in page


class TestAuditOfSignIns:
    def test_success_failure_and_lockout_are_written_to_the_audit_log(self, client, demo_user):
        manager = demo_user("manager")
        sign_in(client, "manager@moulin.demo", "wrong", address="10.2.2.2")
        failure = login_rows(outcome="failure").get(object_id=str(manager.pk))
        assert failure.actor is None and failure.detail["address"] == "10.2.2.2"
        fail(client, "manager@moulin.demo", settings.AXES_FAILURE_LIMIT - 1, address="10.2.2.2")
        assert login_rows(outcome="locked_out").filter(object_id=str(manager.pk)).exists()
        assert (
            login_rows(outcome="failure").filter(object_id=str(manager.pk)).count() == settings.AXES_FAILURE_LIMIT - 1
        )

        before = login_rows(outcome="success").count()
        sign_in(Client(), "staff@moulin.demo", address="10.4.4.4")
        row = login_rows(outcome="success").latest("id")
        assert login_rows(outcome="success").count() == before + 1
        assert row.actor.email == "staff@moulin.demo" and row.detail["address"] == "10.4.4.4"

    def test_an_unknown_email_is_logged_as_typed(self, client):
        sign_in(client, "nobody@example.org", "x")
        assert login_rows(outcome="failure").filter(object_repr="nobody@example.org", object_id="").exists()

    def test_the_audit_log_page_lists_sign_ins(self, client, client_as):
        sign_in(client, "nobody@example.org", "x")
        page = client_as("admin").get(reverse("core:audit_list"), {"q": "nobody@example.org"}).content.decode()
        assert "outcome: failure" in page


class TestTwoFactor:
    @pytest.fixture(autouse=True)
    def _required(self, settings):
        settings.MOULIN_REQUIRE_2FA = True

    def test_staff_without_a_device_is_sent_to_enrolment_and_sets_it_up(self, client, demo_user):
        response = sign_in(client, "staff@moulin.demo")
        assert response.status_code == 302
        response = client.get(reverse("organisations:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:enrol"))
        page = client.get(response["Location"]).content.decode()
        assert 'src="data:image/svg+xml' in page  # the QR code is made here, no outside service
        device = TOTPDevice.objects.get(user=demo_user("staff"), confirmed=False)
        response = client.post(reverse("accounts:enrol"), {"token": "000000", "next": "/organisations/"})
        assert response.status_code == 422 and client.get(HOME).status_code == 302
        with time_machine.travel(timezone.now() + dt.timedelta(seconds=3)):  # a wrong code slows the next one
            response = client.post(reverse("accounts:enrol"), {"token": code_for(device), "next": "/organisations/"})
        codes = re.findall(r'<li class="col">(\w+)</li>', response.content.decode())
        assert len(codes) == settings.MOULIN_RECOVERY_CODES
        device.refresh_from_db()
        assert device.confirmed
        assert client.get(reverse("organisations:list")).status_code == 200

    def test_a_user_with_a_device_must_type_a_code(self, client, demo_user):
        device, _codes = enrolled(demo_user("staff"))
        sign_in(client, "staff@moulin.demo")
        response = client.get(reverse("organisations:list"))
        assert response["Location"].startswith(reverse("accounts:verify"))
        # nothing else opens meanwhile, Django admin included
        assert client.get("/admin/").status_code == 302
        response = client.post(reverse("accounts:verify"), {"token": "123456"})
        assert response.status_code == 422 and "This code is not right" in response.content.decode()
        assert login_rows(outcome="second_factor_failure").filter(actor__email="staff@moulin.demo").exists()
        response = client.post(reverse("accounts:verify"), {"token": code_for(device)})
        assert "Too many wrong codes: wait 1 second," in response.content.decode()
        with time_machine.travel(timezone.now() + dt.timedelta(seconds=3)):
            response = client.post(reverse("accounts:verify"), {"token": code_for(device), "next": "/organisations/"})
            assert response["Location"] == "/organisations/"
            assert client.get(reverse("organisations:list")).status_code == 200
        assert login_rows(outcome="second_factor").filter(actor__email="staff@moulin.demo").exists()

    def test_a_recovery_code_works_once(self, client, demo_user):
        _device, codes = enrolled(demo_user("coach"))
        sign_in(client, "coach@moulin.demo")
        response = client.post(reverse("accounts:verify"), {"token": codes[0].upper()})
        assert response.status_code == 302 and client.get(HOME).status_code == 200
        again = Client()
        sign_in(again, "coach@moulin.demo")
        response = again.post(reverse("accounts:verify"), {"token": codes[0]})
        assert response.status_code == 422
        assert StaticDevice.objects.get(user=demo_user("coach")).token_set.count() == len(codes) - 1

    def test_repeated_wrong_codes_are_slowed_down(self, client, demo_user):
        device, _codes = enrolled(demo_user("manager"))
        sign_in(client, "manager@moulin.demo")
        start = timezone.now()
        for second in range(0, 40, 10):  # each wrong code doubles the wait: 1, 2, 4, 8 seconds
            with time_machine.travel(start + dt.timedelta(seconds=second), tick=False):
                client.post(reverse("accounts:verify"), {"token": "000000"})
        with time_machine.travel(start + dt.timedelta(seconds=31), tick=False):
            response = client.post(reverse("accounts:verify"), {"token": code_for(device)})
        assert response.status_code == 422 and "Too many wrong codes: wait 7 seconds" in response.content.decode()

    def test_the_requirement_follows_the_roles_that_read_participants(self, demo_user):
        required = {
            role for role in ["admin", "staff", "manager", "coach"] if security.second_factor_required(demo_user(role))
        }
        assert required == {"admin", "staff", "manager", "coach"}
        for role in ["teamleader", "board", "commune", "ministry"]:
            assert not security.second_factor_required(demo_user(role)), role

    def test_a_board_member_signs_in_with_a_password_only(self, client):
        sign_in(client, "board@moulin.demo")
        assert client.get(HOME).status_code == 200

    def test_a_session_that_owes_a_code_is_anonymous_for_the_api(self, client, demo_user):
        enrolled(demo_user("staff"))
        sign_in(client, "staff@moulin.demo")
        assert client.get("/api/v1/organisations/").status_code == 401

    def test_the_api_token_is_not_asked_for_a_code(self, demo_user):
        from moulin.accounts.models import ApiToken

        staff = demo_user("staff")
        enrolled(staff)
        _token, key = ApiToken.issue(user=staff, name="integration")
        assert Client().get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


class TestTwoFactorOptional:
    def test_with_the_setting_off_the_demo_logins_need_no_code(self, client):
        assert not settings.MOULIN_REQUIRE_2FA
        sign_in(client, "admin@moulin.demo")
        assert client.get(reverse("accounts:user_list")).status_code == 200

    def test_a_user_who_enrolled_is_asked_for_a_code_even_with_the_setting_off(self, client, demo_user):
        enrolled(demo_user("board"))
        sign_in(client, "board@moulin.demo")
        assert client.get(HOME)["Location"].startswith(reverse("accounts:verify"))

    def test_recovery_codes_are_renewed_from_the_account_page(self, client, demo_user):
        device, codes = enrolled(demo_user("board"))
        sign_in(client, "board@moulin.demo")
        client.post(reverse("accounts:verify"), {"token": code_for(device)})
        assert "10 recovery codes left" in client.get(reverse("accounts:profile")).content.decode()
        response = client.post(reverse("accounts:recovery_codes"))
        fresh = re.findall(r'<li class="col">(\w+)</li>', response.content.decode())
        assert len(fresh) == 10 and not set(fresh) & set(codes)


class TestPasswordReset:
    def reset_link(self, email):
        client = Client()
        response = client.post(reverse("accounts:password_reset"), {"email": email})
        assert response["Location"] == reverse("accounts:password_reset_done")
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
        return re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)

    def test_the_email_link_sets_a_new_password_once(self):
        link = self.reset_link("teamleader@moulin.demo")
        client = Client()
        form_url = client.get(link)["Location"]  # Django moves the token out of the address
        response = client.post(
            form_url, {"new_password1": "a-brand-new-pass-77", "new_password2": "a-brand-new-pass-77"}
        )
        assert response["Location"] == reverse("accounts:password_reset_complete")
        assert sign_in(Client(), "teamleader@moulin.demo", "a-brand-new-pass-77").status_code == 302
        assert login_rows(outcome="password_reset").filter(object_repr="teamleader@moulin.demo").exists()
        # the same link again: refused
        page = Client().get(link)
        assert page.status_code == 200 and 'data-testid="reset-link-invalid"' in page.content.decode()

    def test_an_unknown_address_is_not_revealed(self):
        response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
        assert response["Location"] == reverse("accounts:password_reset_done")
        assert mail.outbox == []

    def test_a_reset_lifts_the_lockout_of_the_account(self, client):
        fail(client, "teamleader@moulin.demo", settings.AXES_FAILURE_LIMIT, address="10.0.0.9")
        link = self.reset_link("teamleader@moulin.demo")
        reset = Client()
        form_url = reset.get(link)["Location"]
        reset.post(form_url, {"new_password1": "a-brand-new-pass-77", "new_password2": "a-brand-new-pass-77"})
        assert (
            sign_in(Client(), "teamleader@moulin.demo", "a-brand-new-pass-77", address="10.0.0.10").status_code == 302
        )

    def test_the_login_page_offers_the_reset(self, client):
        assert reverse("accounts:password_reset") in client.get(LOGIN).content.decode()


class TestFirstPassword:
    def test_an_account_created_by_an_administrator_chooses_its_own_password_first(self, client_as):
        client_as("admin").post(
            reverse("accounts:user_create"),
            {"email": "new@example.org", "full_name": "New Person", "language": "en", "is_active": "on",
             "password": "set-by-the-admin-42"},
        )  # fmt: skip
        user = User.objects.get(email="new@example.org")
        assert user.must_change_password
        client = Client()
        sign_in(client, "new@example.org", "set-by-the-admin-42")
        response = client.get(reverse("organisations:list"))
        assert response["Location"].startswith(reverse("accounts:password_change"))
        page = client.get(response["Location"]).content.decode()
        assert "Choose your own password" in page
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": "set-by-the-admin-42", "new_password1": "set-by-the-admin-42",
             "new_password2": "set-by-the-admin-42"},
        )  # fmt: skip
        assert "different from the one your administrator set" in response.content.decode()
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": "set-by-the-admin-42", "new_password1": "my-own-secret-pw-9",
             "new_password2": "my-own-secret-pw-9", "next": "/organisations/"},
        )  # fmt: skip
        assert response["Location"] == "/organisations/"
        user.refresh_from_db()
        assert not user.must_change_password and user.check_password("my-own-secret-pw-9")
        assert client.get(HOME).status_code == 200


class TestIdleTimeout:
    def test_a_role_reading_personal_data_is_signed_out_after_the_idle_time(self, client):
        sign_in(client, "coach@moulin.demo")
        assert client.get(HOME).status_code == 200
        idle = dt.timedelta(minutes=settings.MOULIN_IDLE_TIMEOUT_MINUTES + 1)
        with time_machine.travel(timezone.now() + idle):
            response = client.get(reverse("participants:list"))
            assert response.status_code == 302 and response["Location"].startswith(LOGIN)
            page = client.get(response["Location"]).content.decode()
            assert f"signed out after {settings.MOULIN_IDLE_TIMEOUT_MINUTES} minutes without activity" in page
            assert login_rows(outcome="idle_timeout").filter(actor__email="coach@moulin.demo").exists()

    def test_activity_keeps_the_session(self, client):
        sign_in(client, "coach@moulin.demo")
        step = dt.timedelta(minutes=settings.MOULIN_IDLE_TIMEOUT_MINUTES - 5)
        with time_machine.travel(timezone.now() + step):
            assert client.get(HOME).status_code == 200
        with time_machine.travel(timezone.now() + 2 * step):
            assert client.get(HOME).status_code == 200

    def test_a_role_without_personal_data_keeps_its_session(self, client):
        sign_in(client, "commune@moulin.demo")
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=settings.MOULIN_IDLE_TIMEOUT_MINUTES + 5)):
            assert client.get(HOME).status_code == 200


class TestPasswordBeforeExport:
    def test_an_export_of_personal_data_asks_for_the_password_again(self, client):
        sign_in(client, "coach@moulin.demo")
        export = reverse("participants:list") + "?export=csv"
        assert client.get(export)["Content-Type"].startswith("text/csv")  # the password was just typed
        later = dt.timedelta(minutes=settings.MOULIN_REAUTH_MINUTES + 1)
        with time_machine.travel(timezone.now() + later):
            response = client.get(export)
            assert response.status_code == 302 and response["Location"].startswith(
                reverse("accounts:confirm_password")
            )
            exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count()
            response = client.post(response["Location"], {"password": "wrong", "next": export})
            assert response.status_code == 422 and "This is not your password." in response.content.decode()
            assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == exports
            response = client.post(reverse("accounts:confirm_password"), {"password": PASSWORD, "next": export})
            assert response["Location"] == export
            assert client.get(export)["Content-Type"].startswith("text/csv")

    @pytest.mark.parametrize(
        ("url_name", "params", "kind"),
        [("billing:list", ("issued_from", "issued_until"), "csv"),
         ("billing:list", ("issued_from", "issued_until"), "xlsx"),
         ("billing:payment_list", ("date_from", "date_until"), "csv"),
         ("billing:credit_note_list", ("date_from", "date_until"), "xlsx")],
    )  # fmt: skip
    def test_the_accountants_exports_ask_for_the_password_again_then_give_the_period(
        self, client, url_name, params, kind
    ):
        """Invoices name the beneficiaries they bill: the finance officer's period exports go through the same
        confirmation, and the file that follows is the period's."""
        from urllib.parse import urlencode

        from moulin.billing.models import Invoice
        from tests.clock import TEST_TODAY

        first, last = TEST_TODAY - dt.timedelta(days=365), TEST_TODAY  # the year up to the test day
        sign_in(client, "finance@moulin.demo")
        period = dict(zip(params, (first.isoformat(), last.isoformat()), strict=True))
        export = reverse(url_name) + "?" + urlencode({**period, "export": kind})
        later = dt.timedelta(minutes=settings.MOULIN_REAUTH_MINUTES + 1)
        with time_machine.travel(timezone.now() + later):
            asked = client.get(export)
            assert asked.status_code == 302 and asked["Location"].startswith(reverse("accounts:confirm_password"))
            exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count()
            confirmed = client.post(reverse("accounts:confirm_password"), {"password": PASSWORD, "next": export})
            assert confirmed["Location"] == export
            response = client.get(export)
            assert response.status_code == 200
            assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == exports + 1
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if kind == "csv":
            assert response["Content-Type"].startswith("text/csv")
            lines = content.decode("utf-8-sig").splitlines()
        else:
            from io import BytesIO

            from openpyxl import load_workbook

            rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
            lines = [",".join(str(v) for v in row) for row in rows]
        assert len(lines) > 1  # a header and the period's rows
        if url_name == "billing:list":
            finance = User.objects.get(email="finance@moulin.demo")
            numbers = set(
                Invoice.objects.visible_to(finance)
                .numbered()
                .filter(issued_on__range=(first, last))
                .values_list("number", flat=True)
            )
            assert len(lines) - 1 == len(numbers) and all(n in "\n".join(lines) for n in list(numbers)[:20])

    def test_an_export_without_personal_data_does_not_ask(self, client):
        sign_in(client, "coach@moulin.demo")
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=settings.MOULIN_REAUTH_MINUTES + 1)):
            response = client.get(reverse("organisations:list") + "?export=csv")
            assert response.status_code == 200

    def test_the_confirmation_returns_only_to_this_site(self, client):
        sign_in(client, "coach@moulin.demo")
        response = client.post(
            reverse("accounts:confirm_password"), {"password": PASSWORD, "next": "https://evil.example/x"}
        )
        assert response["Location"] == HOME


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.BOARD_MEMBER])
def test_roles_outside_participants_records_need_no_second_factor(role, home_org):
    user = user_with_role(role, organisation=home_org)
    with override_settings(MOULIN_REQUIRE_2FA=True):
        assert not security.second_factor_required(user)


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, settings):
    settings.MOULIN_PROXY_COUNT = 1
    for n in range(settings.MOULIN_ADDRESS_FAILURE_LIMIT):
        # what the client writes itself (the left part) changes nothing
        client.post(LOGIN, {"username": f"x{n}@example.org", "password": "x"}, REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.5")  # fmt: skip
    locked = Client().post(LOGIN, {"username": "staff@moulin.demo", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1",
                           HTTP_X_FORWARDED_FOR="203.0.113.5")  # fmt: skip
    assert locked.status_code == 429
    other = Client().post(LOGIN, {"username": "staff@moulin.demo", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1",
                          HTTP_X_FORWARDED_FOR="198.51.100.7")  # fmt: skip
    assert other.status_code == 302


def test_an_administrator_removes_a_lost_authenticator(client_as, demo_user):
    staff = demo_user("staff")
    enrolled(staff)
    admin = client_as("admin")
    assert "Remove the app" in admin.get(reverse("accounts:user_detail", args=[staff.public_id])).content.decode()
    assert admin.post(reverse("accounts:user_remove_2fa", args=[staff.public_id])).status_code == 302
    assert not security.has_device(staff) and security.recovery_codes_left(staff) == 0
    assert client_as("manager").post(reverse("accounts:user_remove_2fa", args=[staff.public_id])).status_code == 404
