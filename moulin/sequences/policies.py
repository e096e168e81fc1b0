from moulin.access.policy import Policy


class CounterPolicy(Policy):
    """Counters are not shown to users: network administrators read them (to check a series); nobody edits
    them except through ``sequences.services``."""

    admin_reads_only = True

    def can_list(self, scope):
        return scope.is_admin

    def rows(self, qs, scope):
        return qs.none()

    def can_change(self, scope, obj):
        return False

    def can_add(self, scope, *, under=None):
        return False
