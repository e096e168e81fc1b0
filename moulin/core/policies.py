from moulin.access.policy import Policy


class AuditEventPolicy(Policy):
    """The audit log is read by network administrators only; nobody edits it."""

    personal = True

    def can_list(self, scope):
        return scope.is_admin

    def visible(self, qs, scope):
        return qs if scope.is_admin else qs.none()

    def can_change(self, scope, obj):
        return False

    def can_add(self, scope, parent=None):
        return False
