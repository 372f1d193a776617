"""Smoke tests: Django boots with alma_cms, and the service gating works."""

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection


def test_django_setup_with_alma_cms():
    django.setup()  # idempotent; pytest-django already did it
    assert apps.ready
    assert "alma_cms" in settings.INSTALLED_APPS
    assert apps.is_installed("alma_cms")
    assert apps.is_installed("alma_cms.pages")


@pytest.mark.django_db
def test_migrations_create_wagtail_root_page():
    from wagtail.models import Page

    assert Page.objects.filter(depth=1).exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_runs_on_postgres():
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert "PostgreSQL" in cursor.fetchone()[0]


@pytest.mark.celery
def test_redis_answers(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        assert client.ping()
    finally:
        client.close()
