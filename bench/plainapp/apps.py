from django.apps import AppConfig


class PlainAppConfig(AppConfig):
    name = "bench.plainapp"
    label = "alma_bench_plain"
    default_auto_field = "django.db.models.BigAutoField"
