"""Wagtail's tasks (django-tasks) run on Celery, sent after commit (docs/search.md)."""
