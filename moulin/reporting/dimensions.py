"""The records a dashboard or report can be *for*, besides the whole network."""

from django.utils.translation import gettext_lazy as _

from moulin.organisations.models import Domain, Organisation
from moulin.projects.models import Project
from moulin.territory.models import Commune

DIMENSION_MODELS = {"organisation": Organisation, "commune": Commune, "project": Project, "domain": Domain}
DIMENSION_LABELS = {
    "network": _("The network"),
    "organisation": _("Organisation"),
    "commune": _("Commune"),
    "project": _("Project"),
    "domain": _("Domain"),
}


def name_of(obj) -> str:
    return getattr(obj, "display_name", None) or str(obj)
