from moulin.access.policy import Policy


class AuditEventPolicy(Policy):
    """The audit log is read by network administrators only; nobody edits it."""

    personal = True
    admin_reads_only = True

    def can_list(self, scope):
        return scope.is_admin

    def rows(self, qs, scope):
        return qs.none()

    def can_change(self, scope, obj):
        return False

    def can_add(self, scope, *, under=None):
        return False
