# The catalogue only: enrolments, attendance, certificates and skills records are people's records, read
# through the application where every read is audited (see moulin/core/admin_site.py).
from moulin.core.admin_site import register_models
from moulin.training.models import Course, Session, Skill

register_models(Skill, Course, Session)
