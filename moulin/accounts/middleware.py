from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from moulin.accounts import security


class UserLanguageMiddleware:
    """A signed-in user's saved interface language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        return response


def _redirect(request, url):
    """A redirect that also works for an htmx request (which would otherwise swap the target page in)."""
    if getattr(request, "htmx", False) or request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class IdleTimeoutMiddleware:
    """Ends the session of a user who reads personal data after ``MOULIN_IDLE_TIMEOUT_MINUTES`` without a request;
    the login page then says why."""

    #: the last-seen time is written at most this often (seconds), not on every request
    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            now = security.now_ts()
            last_seen = request.session.get(security.LAST_SEEN)
            limit = settings.MOULIN_IDLE_TIMEOUT_MINUTES * 60
            if last_seen is not None and now - last_seen > limit and security.reads_personal_data(user):
                security.audit_sign_in(
                    request, "idle_timeout", actor=user, minutes=settings.MOULIN_IDLE_TIMEOUT_MINUTES
                )
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity. Please sign in again.")
                    % {"minutes": settings.MOULIN_IDLE_TIMEOUT_MINUTES},
                )
                url = reverse("accounts:login")
                if request.method == "GET":
                    url += "?" + urlencode({"next": request.get_full_path()})
                return _redirect(request, url)
            if last_seen is None or now - last_seen > self.TOUCH_EVERY:
                request.session[security.LAST_SEEN] = now
        return self.get_response(request)


#: pages a signed-in user may open while a sign-in step is pending
STEP_VIEWS = {
    "accounts:verify",
    "accounts:enrol",
    "accounts:password_change",
    "accounts:logout",
    "accounts:login",
    "set_language",
}


def pending_step(request) -> str | None:
    """The sign-in step the user still owes, in this order: the code of an enrolled device, their own password
    (when an administrator set it), enrolling a device (when their role requires one)."""
    user = request.user
    if not user.is_authenticated:
        return None
    if not user.is_verified() and security.session_has_device(request):
        return "accounts:verify"
    if user.must_change_password:
        return "accounts:password_change"
    if not user.is_verified() and security.second_factor_required(user):
        return "accounts:enrol"
    return None


class SignInStepsMiddleware:
    """After the password, and before any other page: the second factor and the first own password.

    Every page goes through it, Django admin included. The JSON API does not ask for a code: a session that
    still owes a step is anonymous there (tokens work as before)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = pending_step(request)
        if step is None:
            return None
        if request.path.startswith("/api/"):
            request.user = AnonymousUser()
            return None
        match = request.resolver_match
        if match is not None and match.view_name in STEP_VIEWS:
            return None
        url = reverse(step)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            url += "?" + urlencode({"next": request.get_full_path()})
        if step == "accounts:password_change":
            messages.info(request, _("Please choose your own password before you go on."))
        return _redirect(request, url)
