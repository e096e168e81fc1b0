from moulin.access.policy import Policy


class AnnualReportPolicy(Policy):
    """A report is read by whoever asked for it (and by the administrators); anyone signed in may ask for one of a
    scope they may see (checked by ``services.request_report``). Nobody edits a report."""

    organisation_path = None

    def visible(self, qs, scope):
        if not scope.authenticated:
            return qs.none()
        if scope.is_admin:
            return qs
        return self.rows(qs, scope)

    def rows(self, qs, scope):
        return qs.filter(requested_by_id=scope.user_id)

    def can_list(self, scope):
        return scope.authenticated

    def can_add(self, scope, *, under=None):
        return scope.authenticated

    def can_change(self, scope, obj):
        return False
