from django import forms
from django.utils.translation import gettext_lazy as _

from moulin.core.forms import FilterForm, ModelForm
from moulin.territory.models import Canton, Commune


class CommuneForm(ModelForm):
    class Meta:
        model = Commune
        fields = ["code", "name", "canton", "population", "population_year", "has_city_status"]


class CommuneFilterForm(FilterForm):
    canton = forms.ModelChoiceField(label=_("Canton"), queryset=Canton.objects.all())
    covered = forms.ChoiceField(label=_("Coverage"), choices=[("yes", _("Covered")), ("no", _("Not covered"))])
    lookups = {"canton": "canton"}

    def filter_covered(self, qs, value):
        return qs.filter(is_covered=(value == "yes"))
