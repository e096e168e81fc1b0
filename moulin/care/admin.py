# The catalogue only: beneficiaries, requests, interventions and surveys concern people and are read through the
# application, where every read is audited (see moulin/core/admin_site.py).
from moulin.care.models import CareSettings, ServiceType, SocialTariff, WorkKind
from moulin.core.admin_site import register_models

register_models(ServiceType, WorkKind, SocialTariff, CareSettings)
