from moulin.access.policy import Policy


class OpsPolicy(Policy):
    """Scheduled jobs and their runs: the network administrators read them; nobody edits them by hand."""

    admin_reads_only = True

    def rows(self, qs, scope):
        return qs.none()

    def can_list(self, scope):
        return scope.is_admin

    def can_change(self, scope, obj):
        return False

    def can_add(self, scope, parent=None):
        return False
