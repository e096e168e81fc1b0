from django import forms
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import policy_for
from moulin.core.forms import FilterForm, ModelForm
from moulin.organisations.forms import OrganisationFilterMixin
from moulin.organisations.models import Organisation
from moulin.partners.enums import PartnerKind, PartnerLevel
from moulin.partners.models import Contact, Partner, Partnership
from moulin.territory.models import Commune


class PartnerForm(ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "level", "commune", "address", "email", "phone", "website", "notes", "is_active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ContactForm(ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "function", "email", "phone"]


class PartnershipForm(ModelForm):
    """A partnership recorded from the partner's page: with an organisation or one of its projects."""

    class Meta:
        model = Partnership
        fields = ["organisation", "project", "role", "since", "until"]
        widgets = {"since": forms.DateInput, "until": forms.DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Project = Partnership._meta.get_field("project").related_model  # noqa: N806  (projects sit above partners)

        if self.request is not None:
            orgs = policy_for(Partnership).organisations_for_add(self.request.user.scope)
        else:
            orgs = Organisation.objects.none()
        self.fields["organisation"].queryset = orgs
        self.fields["project"].queryset = Project.objects.select_related("organisation").filter(organisation__in=orgs)
        self.fields["organisation"].help_text = _("Either an organisation…")
        self.fields["project"].help_text = _("…or one of its projects.")


class ProjectPartnershipForm(ModelForm):
    """A partner added to a project from the project's page."""

    class Meta:
        model = Partnership
        fields = ["partner", "role", "since", "until"]
        widgets = {"since": forms.DateInput, "until": forms.DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True) | Partner.objects.filter(
            pk=self.instance.partner_id or 0
        )


class PartnerFilterForm(OrganisationFilterMixin, FilterForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=PartnerLevel.choices)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.all())
    organisation = forms.ModelChoiceField(label=_("Partner of"), queryset=Organisation.objects.none())
    lookups = {"kind": "kind", "level": "level", "commune": "commune"}

    def filter_organisation(self, qs, org):
        linked = Partnership.objects.filter(organisation=org) | Partnership.objects.filter(project__organisation=org)
        return qs.filter(pk__in=linked.values("partner"))
