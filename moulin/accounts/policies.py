from moulin.access.policy import Policy


class UserPolicy(Policy):
    """Users: network administrators manage everyone; every user reads their own account."""

    personal = True
    admin_reads_only = True

    def can_list(self, scope):
        return scope.is_admin

    def rows(self, qs, scope):
        return qs.filter(pk=scope.user_id)

    def can_change(self, scope, obj):
        return scope.is_admin

    def can_add(self, scope, *, under=None):
        return scope.is_admin


class RoleAssignmentPolicy(Policy):
    personal = True
    admin_reads_only = True

    def rows(self, qs, scope):
        return qs.filter(user_id=scope.user_id)

    def can_change(self, scope, obj):
        return scope.is_admin

    def can_add(self, scope, *, under=None):
        return scope.is_admin
