from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for the sandbox (home of the `alma_load_demo` command)."""

    name = "sandbox.demo"
    label = "alma_demo"
    verbose_name = "ALMA demo"
    default_auto_field = "django.db.models.BigAutoField"
