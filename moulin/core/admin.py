from moulin.core.admin_site import register_models
from moulin.core.models import AuditEvent, NetworkSettings

register_models(NetworkSettings)
register_models(AuditEvent, read_only=(AuditEvent,))
