from django.apps import AppConfig
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, gettext_lazy as _

DJANGO_BLANK_LABEL = "- Select an option -"


def blank_choice_label() -> str:
    """The empty choice of a select: Django's label where its catalog translates it, our own catalog's next, and a
    language-neutral dash rather than English in a French or German form."""
    text = gettext(DJANGO_BLANK_LABEL)
    if text == DJANGO_BLANK_LABEL and not (get_language() or "en").startswith("en"):
        return "—"
    return text


class CoreConfig(AppConfig):
    name = "moulin.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db import connections
        from django.db.models import fields

        from moulin.core import dataversion, search

        fields.BLANK_CHOICE_LABEL = lazy(blank_choice_label, str)()
        # the fold functions of accent-insensitive search, on connections opened before the signal was connected
        for connection in connections.all(initialized_only=True):
            if connection.vendor == "sqlite" and connection.connection is not None:
                search.register_sqlite_functions(None, connection)
        for connection in connections.all(initialized_only=True):
            dataversion.install(connection=connection)
