# Only the network's settings for pathways are in the Django admin. People's records are read through the
# application alone, where every read is audited (GDPR): see moulin/core/admin_site.py.
from moulin.core.admin_site import register_models
from moulin.participants.models import EmploymentMeasure, PathwaySettings

register_models(EmploymentMeasure, PathwaySettings)
