from moulin.access.policy import Policy


class UserPolicy(Policy):
    """Users: network administrators manage everyone; every user reads their own account."""

    personal = True

    def can_list(self, scope):
        return scope.is_admin

    def visible(self, qs, scope):
        if not scope.authenticated:
            return qs.none()
        if scope.is_admin:
            return qs
        return qs.filter(pk=scope.user_id)

    def can_change(self, scope, obj):
        return scope.is_admin

    def can_add(self, scope, parent=None):
        return scope.is_admin


class RoleAssignmentPolicy(Policy):
    personal = True

    def visible(self, qs, scope):
        if not scope.authenticated:
            return qs.none()
        if scope.is_admin:
            return qs
        return qs.filter(user_id=scope.user_id)

    def can_change(self, scope, obj):
        return scope.is_admin

    def can_add(self, scope, parent=None):
        return scope.is_admin
