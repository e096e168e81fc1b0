from django.apps import apps

from moulin.core.admin_site import register_models

register_models(*apps.get_app_config("territory").get_models())
