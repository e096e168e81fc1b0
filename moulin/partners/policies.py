from django.db.models import Q

from moulin.access.policy import NetworkReadPolicy, OrganisationOwnedPolicy


def _linked_to_orgs(prefix: str, org_ids) -> Q:
    """Partners (through ``prefix``) in a partnership with one of the organisations or their projects."""
    from moulin.partners.models import Partnership

    linked = Partnership.objects.filter(Q(organisation__in=org_ids) | Q(project__organisation__in=org_ids))
    return Q(**{f"{prefix}pk__in": linked.values("partner")})


def _linked_to_communes(prefix: str, commune_ids) -> Q:
    from moulin.partners.models import Partnership

    linked = Partnership.objects.filter(project__communes__in=commune_ids)
    return Q(**{f"{prefix}commune__in": commune_ids}) | Q(**{f"{prefix}pk__in": linked.values("partner")})


class PartnerPolicy(OrganisationOwnedPolicy):
    """Partners are the network's shared directory of outside bodies: network staff, the ministry and the
    member organisations read it all (to link partners to their projects); a commune officer reads the
    partners based in their commune or working on a project there. Network staff write; a manager
    adds partners and edits those linked to their organisation. The ministry officer sees counts only.
    A partner (and its contacts) belongs to no organisation: it is linked to them through partnerships."""

    organisation_path = None

    def rows(self, qs, scope):
        if scope.member_org_ids:
            return qs
        if scope.commune_ids:
            return qs.filter(_linked_to_communes("", scope.commune_ids))
        return qs.none()

    def can_list(self, scope):
        return super().can_list(scope) and not scope.aggregate_only

    def can_change(self, scope, obj):
        if scope.network_wide:
            return True
        managed = scope.managed_org_ids
        return bool(managed) and type(obj).objects.filter(_linked_to_orgs("", managed), pk=obj.pk).exists()

    def can_delete(self, scope, obj):
        return scope.network_wide

    def can_add(self, scope, *, under=None):
        return scope.network_wide or bool(scope.managed_org_ids)


class ContactPolicy(PartnerPolicy):
    """Contacts name people: organisation roles read the contacts of partners linked to their organisation,
    network staff all; commune and ministry officers never."""

    personal = True

    def rows(self, qs, scope):
        org_ids = scope.member_org_ids
        if org_ids:
            return qs.filter(_linked_to_orgs("partner__", org_ids))
        return qs.none()

    def can_change(self, scope, obj):
        return super().can_change(scope, obj.partner)

    def can_delete(self, scope, obj):
        return self.can_change(scope, obj)

    def can_add(self, scope, *, under=None):
        if under is None:
            return super().can_add(scope)
        return super().can_change(scope, under)


class PartnershipPolicy(NetworkReadPolicy):
    """Partnerships: read with the organisation or project they concern, and by the officer of a commune
    that project serves; written by network staff and by the manager of that organisation."""

    def rows(self, qs, scope):
        q = Q(pk__in=[])
        org_ids = scope.org_ids(*self.read_roles)
        if org_ids:
            q |= Q(organisation__in=org_ids) | Q(project__organisation__in=org_ids)
        if scope.commune_ids:
            served = qs.model.objects.filter(project__communes__in=scope.commune_ids).values("pk")
            q |= Q(pk__in=served) | Q(partner__commune__in=scope.commune_ids)
        return qs.filter(q)

    def organisation_id_of(self, obj):
        """A partnership belongs to its organisation, or (when it concerns a project) to the project's."""
        if obj.project_id:
            return obj.project.organisation_id
        return obj.organisation_id

    def can_add(self, scope, *, under=None):
        if scope.network_wide:
            return True
        managed = scope.managed_org_ids
        if under is None or under._meta.model_name == "partner":
            return bool(managed)
        if under._meta.model_name == "project":
            return under.organisation_id in managed
        if under._meta.model_name == "organisation":
            return under.pk in managed
        return False
