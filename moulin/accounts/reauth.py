"""Ask for the password again before a bulk export of personal data (the hook ``MOULIN_BEFORE_EXPORT`` of
``ScopedListView``): a session whose password is older than ``MOULIN_REAUTH_MINUTES`` is sent to the
confirmation page, which returns to the export."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from moulin.accounts import security


def password_is_recent(request) -> bool:
    typed_at = request.session.get(security.AUTHENTICATED_AT)
    return typed_at is not None and security.now_ts() - typed_at <= settings.MOULIN_REAUTH_MINUTES * 60


def confirm_password_first(request, policy):
    """None when the export may go on; otherwise the redirect to the password confirmation."""
    if not getattr(policy, "personal", False) or password_is_recent(request):
        return None
    url = reverse("accounts:confirm_password") + "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(url)
