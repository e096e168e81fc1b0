from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from moulin.access.policy import ADD
from moulin.access.querysets import policy_for
from moulin.core.tables import Column
from moulin.core.views import ScopedDeleteView, ScopedDetailView, ScopedFormView, ScopedListView, figures_for_rows
from moulin.partners import forms
from moulin.partners.models import Contact, Partner, Partnership


class PartnerList(ScopedListView):
    model = Partner
    title = _("Partners")
    intro = _("Outside bodies the network works with, at local, national and international level.")
    filter_form_class = forms.PartnerFilterForm
    search_fields = ["name", "commune__name", "notes"]
    default_sort = "name"
    export_name = "partners"
    create_url_name = "partners:create"
    select_related = ["commune"]
    columns = [
        Column("name", _("Name"), sort="name", link=True),
        Column("kind", _("Kind"), sort="kind"),
        Column("level", _("Level"), sort="level"),
        Column("commune", _("Commune"), "commune.name", sort="commune__name"),
        Column("n_partnerships", _("Partnerships"), sort="n_partnerships", align="text-end"),
        Column("email", _("Email"), export=True),
    ]

    def get_queryset(self):
        qs = super().get_queryset()
        # sorting on the count needs it in the statement; otherwise the page's rows get it in one grouped query
        return qs.annotate(n_partnerships=Count("partnerships")) if self.sorted_on({"n_partnerships"}) else qs

    def prepare_rows(self, objects) -> None:
        figures_for_rows(objects, ("n_partnerships",), lambda pks: (
            Partnership.objects.filter(partner__in=pks).order_by().values("partner").annotate(n=Count("pk"))
            .values_list("partner", "n")
        ))  # fmt: skip

    def get_breadcrumbs(self):
        return [(_("Partners"), "")]


class PartnerDetail(ScopedDetailView):
    model = Partner
    template_name = "partners/partner_detail.html"

    def get_context(self, partner):
        user = self.request.user
        scope = user.scope
        partnerships = (
            Partnership.objects.visible_to(user)
            .filter(partner=partner)
            .select_related("organisation", "project__organisation")
            .order_by("-since", "pk")
        )
        return {
            "object": partner,
            "partner": partner,
            "contacts": Contact.objects.visible_to(user).filter(partner=partner),
            "contacts_count": partner.contacts.count(),
            "contacts_visible": policy_for(Contact).can_list(scope),
            "partnerships": partnerships,
            "needs": partner.needs_raised.visible_to(user).select_related("commune"),
            "can_add_contact": policy_for(Contact).can(scope, ADD, partner),
            "can_add_partnership": policy_for(Partnership).can(scope, ADD, partner),
        }


class PartnerCreate(ScopedFormView):
    model = Partner
    form_class = forms.PartnerForm
    creating = True
    crumb_label = _("New partner")


class PartnerUpdate(ScopedFormView):
    model = Partner
    form_class = forms.PartnerForm


class PartnerDelete(ScopedDeleteView):
    model = Partner


class UnderPartnerCreate(ScopedFormView):
    creating = True
    parent_model = Partner
    parent_lookup = "pk"
    parent_url_kwarg = "pk"


class ContactCreate(UnderPartnerCreate):
    model = Contact
    form_class = forms.ContactForm


class PartnershipCreate(UnderPartnerCreate):
    model = Partnership
    form_class = forms.PartnershipForm


class ContactUpdate(ScopedFormView):
    model = Contact
    form_class = forms.ContactForm


class ContactDelete(ScopedDeleteView):
    model = Contact


class PartnershipUpdate(ScopedFormView):
    model = Partnership
    form_class = forms.PartnershipForm

    def prepare(self):
        super().prepare()
        if self.object.project_id:
            self.form_class = forms.ProjectPartnershipForm


class PartnershipDelete(ScopedDeleteView):
    model = Partnership
