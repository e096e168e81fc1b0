from django.conf import settings

from moulin.access.scope import scope_for
from moulin.core.navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    scope = scope_for(user)
    return {
        "menu": menu_for(scope) if scope.authenticated else [],
        "scope": scope,
        "LANGUAGES": settings.LANGUAGES,
    }
