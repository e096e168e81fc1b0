"""``ScopedQuerySet``: every model's default queryset, which knows its policy; ``policy_for`` reaches it."""

from django.db import models
from django.utils.module_loading import import_string

from moulin.access.scope import scope_for


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows the policy of its model family.

    ``visible_to(user)`` is the only way pages, exports, PDFs and the API read rows:
    it applies the model's policy to the user's scope. The unscoped path is the
    plain manager and is for services, commands and tests.
    """

    policy_name: str = ""

    @classmethod
    def policy(cls):
        return _policy(cls.policy_name)

    def visible_to(self, user):
        return self.policy().visible(self, scope_for(user))

    def counted_for(self, user):
        """The rows behind the *counts* a user sees (the policy's ``counted`` rule). Never list these rows."""
        return self.policy().counted(self, scope_for(user))


_POLICIES: dict[str, object] = {}


def _policy(dotted: str):
    if dotted not in _POLICIES:
        _POLICIES[dotted] = import_string(dotted)()
    return _POLICIES[dotted]


def policy_for(model_or_obj):
    """The policy object of a model (class or instance)."""
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return model._default_manager.get_queryset().policy()
