import sys

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language


@login_not_required
def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


@login_not_required
def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return render(request, "errors/403.html", {"message": message}, status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def server_error(request):
    """Rendered without the request's context: the menu and the user need the database, which may be the
    very thing that failed. A database that does not answer is a 503 (try again later), not a bug."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(
            render_to_string("errors/503.html", {"LANGUAGE_CODE": get_language() or "en"}), status=503
        )
        response["Retry-After"] = "60"
        return response
    return HttpResponse(render_to_string("errors/500.html"), status=500)
