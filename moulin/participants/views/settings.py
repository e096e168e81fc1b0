"""Reference data and settings of the pathway: employment measures, pathway settings."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from moulin.core.tables import Column
from moulin.core.views import AdminSettingsView, ScopedFormView, ScopedListView
from moulin.participants import forms
from moulin.participants.models import EmploymentMeasure, PathwaySettings
from moulin.participants.views.base import PEOPLE_CRUMB


class MeasureList(ScopedListView):
    model = EmploymentMeasure
    title = _("Employment measures")
    intro = _("The measures contracts are concluded under, with the maximum a worker may spend under each.")
    search_fields = ["code", "name", "name_local"]
    default_sort = "code"
    export_name = "employment-measures"
    columns = [
        Column("code", _("Code"), sort="code"),
        Column("name", _("Name"), "display_name", sort="name"),
        Column("name_local", _("Official name")),
        Column("max_months", _("Maximum (months)"), sort="max_months", align="text-end"),
        Column("is_active", _("In use")),
    ]

    def get_breadcrumbs(self):
        return [PEOPLE_CRUMB, (_("Employment measures"), "")]


class MeasureUpdate(ScopedFormView):
    model = EmploymentMeasure
    form_class = forms.MeasureForm

    def get_success_url(self):
        return reverse("participants:measure_list")

    def get_cancel_url(self):
        return reverse("participants:measure_list")

    def get_breadcrumbs(self):
        return [(_("Employment measures"), reverse("participants:measure_list")), (str(self.object), "")]


class PathwaySettingsView(AdminSettingsView):
    model = PathwaySettings
    form_class = forms.PathwaySettingsForm
    title = _("Pathway settings")
    refused_message = _("Only network administrators change the pathway settings.")
    list_url_name = "participants:list"
