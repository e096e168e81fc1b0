from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "moulin.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db import connections

        from moulin.core import search

        # the fold functions of accent-insensitive search, on connections opened before the signal was connected
        for connection in connections.all(initialized_only=True):
            if connection.vendor == "sqlite" and connection.connection is not None:
                search.register_sqlite_functions(None, connection)
