from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "moulin.training"
    verbose_name = _("Training")

    def ready(self):
        from moulin.core import home, navigation
        from moulin.core.navigation import NavItem
        from moulin.training.models import Course

        def everyone(scope):
            return scope.authenticated

        def persons(scope):
            from moulin.access.querysets import policy_for
            from moulin.training.models import Enrolment

            return policy_for(Enrolment).can_list(scope)

        for item in (
            NavItem("people", _("Training courses"), "training:course_list", "mortarboard", everyone),
            NavItem("people", _("Training sessions"), "training:session_list", "calendar-week", everyone),
            NavItem("people", _("Enrolments"), "training:enrolment_list", "person-check", persons),
            NavItem("people", _("Skills"), "training:skill_list", "stars", everyone),
        ):
            navigation.register(item)
        home.SEARCHABLE.append((_("Training courses"), Course, ["title", "code"]))

        from moulin.core.dashboard import HOME_PANELS
        from moulin.training import hooks, panels

        hooks.register()
        if panels.attendance_today not in HOME_PANELS:
            HOME_PANELS.append(panels.attendance_today)
