"""The domains of activity of the network (reference data)."""

from django.utils.translation import gettext_noop

from moulin.organisations.models import Domain

DOMAINS = [
    ("environment", gettext_noop("Environment")),
    ("community-care", gettext_noop("Community care and social cohesion")),
    ("ict", gettext_noop("New communication technologies")),
    ("education-training", gettext_noop("Education and training")),
    ("culture-tourism", gettext_noop("Culture and tourism")),
]


def load_domains() -> int:
    for position, (code, name) in enumerate(DOMAINS):
        Domain.objects.update_or_create(code=code, defaults={"name": name, "position": position})
    return len(DOMAINS)
