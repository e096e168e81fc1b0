from moulin.access.policy import Policy


class CounterPolicy(Policy):
    """Counters are not shown to users: network administrators read them (to check a series); nobody edits
    them except through ``sequences.services``."""

    def can_list(self, scope):
        return scope.is_admin

    def visible(self, qs, scope):
        return qs if scope.is_admin else qs.none()

    def can_change(self, scope, obj):
        return False

    def can_add(self, scope, parent=None):
        return False
