from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "moulin.accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from moulin.accounts import security

        user_logged_in.connect(security.on_logged_in, dispatch_uid="moulin_sign_in_audit")
        user_login_failed.connect(security.on_login_failed, dispatch_uid="moulin_sign_in_failed_audit")
