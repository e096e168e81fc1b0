"""Sign-in protection in one place: who must use a second factor and who is signed out when idle (both derived
from the participants' policy), the brute-force counting of django-axes, and the audit rows of every sign-in.

See docs/decisions/0006-sign-in-protection.md.
"""

import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_failure_limit
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for

log = logging.getLogger(__name__)

#: session keys
AUTHENTICATED_AT = "moulin_authenticated_at"  # when the password was last typed (epoch seconds)
LAST_SEEN = "moulin_last_seen"  # last request of the session (epoch seconds)
HAS_DEVICE = "moulin_has_device"  # whether the user had a confirmed device when the session began


def _participant_policy():
    return policy_for(apps.get_model("participants", "Participant"))


def reads_participant_records(user) -> bool:
    """Administrators, network staff, managers and coaches: whoever reads the full record of at least some
    participants (the policy's ``lists_full``). These roles must sign in with a second factor."""
    scope = scope_for(user)
    return scope.is_admin or _participant_policy().lists_full(scope)


def reads_personal_data(user) -> bool:
    """Whoever reads any participant (a team leader reads the minimal record of their team): these sessions end
    after ``MOULIN_IDLE_TIMEOUT_MINUTES`` without activity."""
    scope = scope_for(user)
    return reads_participant_records(user) or _participant_policy().can_list(scope)


def second_factor_required(user) -> bool:
    """A second factor is asked of every user who enrolled a device, and demanded (enrolment) of the roles
    reading participants' records when ``MOULIN_REQUIRE_2FA`` is on."""
    return bool(settings.MOULIN_REQUIRE_2FA) and reads_participant_records(user)


def has_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_has_device(request) -> bool:
    """``has_device`` read once per session (at sign-in, or on enrolment), not on every request."""
    flag = request.session.get(HAS_DEVICE)
    if flag is None:
        flag = request.session[HAS_DEVICE] = has_device(request.user)
    return flag


def now_ts() -> float:
    return timezone.now().timestamp()


# --- brute force (django-axes) -------------------------------------------------------------------------------


def attempted_username(request, credentials) -> str | None:
    """The account an attempt is counted against: the email as typed, trimmed and lower-cased (the login form
    does the same), so that "Anna@X.lu" and "anna@x.lu " are one account."""
    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return value.strip().lower() if isinstance(value, str) else value


class SignInAttemptsHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits: an account is locked after ``AXES_FAILURE_LIMIT`` failures, an
    address after ``MOULIN_ADDRESS_FAILURE_LIMIT`` (a whole office may sign in from one address). The address
    count is scaled onto the account limit, which is the one axes compares with."""

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for qs in self.get_user_attempts(request, credentials)
        )
        limit = get_failure_limit(request, credentials)
        return max(by_account, by_address * limit // settings.MOULIN_ADDRESS_FAILURE_LIMIT)


def is_locked(user) -> bool:
    """Whether the account is locked out now (address lockouts are handled in Django admin)."""
    attempts = AccessAttempt.objects.filter(username=user.email.lower())
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
    return failures >= settings.AXES_FAILURE_LIMIT


def unlock(user) -> int:
    """Forget the account's failed attempts (from every address). Returns the number of records removed."""
    from axes.utils import reset

    return reset(username=user.email.lower())


# --- audit ---------------------------------------------------------------------------------------------------


def client_ip(request) -> str | None:
    """The client's address (AXES_CLIENT_IP_CALLABLE): behind ``MOULIN_PROXY_COUNT`` trusted proxies, the entry of
    X-Forwarded-For the farthest trusted proxy added (what the client wrote before it is not trusted)."""
    count = settings.MOULIN_PROXY_COUNT
    if count:
        hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def client_address(request) -> str:
    if request is None:
        return ""
    return get_client_ip_address(request) or ""


def audit_sign_in(request, outcome: str, *, actor=None, target=None, username: str = "", **extra) -> None:
    """One LOGIN row of the audit log. ``outcome`` is success, failure, locked_out, second_factor,
    second_factor_failure, password_confirmed, idle_timeout, password_reset or unlocked; ``target`` is the
    account concerned (known or not), ``actor`` who acted (nobody for a failed sign-in)."""
    from moulin.core.models import AuditEvent

    target = target or actor
    AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=AuditEvent.Action.LOGIN,
        object_type="accounts.user",
        object_id=str(target.pk) if target is not None else "",
        object_repr=(username or (target.email if target is not None else ""))[:255],
        detail={"outcome": outcome, "address": client_address(request), **extra},
    )


def on_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[AUTHENTICATED_AT] = now_ts()
        request.session[LAST_SEEN] = now_ts()
        request.session[HAS_DEVICE] = has_device(user)
    audit_sign_in(request, "success", actor=user)
    # a successful sign-in forgets the account's own failures, never the address's
    AccessAttempt.objects.filter(username=user.email.lower()).delete()


def on_login_failed(sender, credentials, request=None, **kwargs):
    """Runs after axes' own receiver (axes comes first in INSTALLED_APPS), which flags a locked-out attempt."""
    username = attempted_username(request, credentials) or ""
    User = apps.get_model("accounts", "User")  # noqa: N806
    target = User.objects.filter(email=username).first() if username else None
    outcome = "locked_out" if getattr(request, "axes_locked_out", False) else "failure"
    audit_sign_in(request, outcome, target=target, username=username)


# --- second factor (django-otp: TOTP + static recovery codes) --------------------------------------------------


def pending_totp_device(user):
    """The authenticator app being set up: kept unconfirmed until a first code proves it works, so that the QR
    code stays the same if the page is reloaded."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def qr_data_uri(data: str) -> str:
    """The QR code as an SVG data URI, made here (no outside service sees the secret)."""
    import segno

    return segno.make(data, error="m").svg_data_uri(scale=5, border=2)


def readable_secret(device) -> str:
    """The key in base32, in groups of four, for typing it into an app by hand."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes; each works once. Returns them in clear (they are shown once)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.MOULIN_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_enrolment(request, device) -> list[str]:
    """The first code was right: the app becomes the user's device (replacing any older one), the session counts
    as verified, and new recovery codes are made."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    otp_login(request, device)
    request.session[HAS_DEVICE] = True
    return new_recovery_codes(device.user)


def remove_devices(user) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def recovery_codes_left(user) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def is_recovery_device(device) -> bool:
    from django_otp.plugins.otp_static.models import StaticDevice

    return isinstance(device, StaticDevice)


def verify_code(user, token: str):
    """Check a code against the user's app, then against their recovery codes (a recovery code is then used up).
    Returns ``(device, None)`` or ``(None, message)``; repeated wrong codes slow down (django-otp throttling)."""
    from django.db import transaction
    from django.utils.translation import gettext as _, ngettext
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # the app shows digits; recovery codes are letters and digits: each kind is checked against its own device,
    # so that a recovery code does not count as a wrong app code
    model = TOTPDevice if token.isdigit() and len(token) <= 6 else StaticDevice
    with transaction.atomic():
        wait_until = None
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            allowed, detail = device.verify_is_allowed()
            if not allowed:
                until = (detail or {}).get("locked_until") or timezone.now()
                wait_until = max(wait_until or until, until)
                continue
            if device.verify_token(token.lower()):
                return device, None
    if wait_until is not None:
        seconds = max(1, int((wait_until - timezone.now()).total_seconds() + 0.999))
        message = ngettext(
            "Too many wrong codes: wait %(seconds)s second, then try again.",
            "Too many wrong codes: wait %(seconds)s seconds, then try again.",
            seconds,
        )
        return None, message % {"seconds": seconds}
    return None, _("This code is not right (or was already used).")
