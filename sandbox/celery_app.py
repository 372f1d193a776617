"""Celery app for the sandbox: `celery -A sandbox worker -l info`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")

app = Celery("sandbox")
# All CELERY_* Django settings configure Celery (broker, eager mode, ...).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
