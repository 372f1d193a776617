from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Test-only models and fixtures."""

    name = "tests.testapp"
    label = "alma_testapp"
    default_auto_field = "django.db.models.BigAutoField"
