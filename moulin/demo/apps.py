from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "moulin.demo"
    verbose_name = "Demo network"
