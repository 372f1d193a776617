"""A Celery app whose broker refuses connections, made current for a test (tests of what a
send does when the broker is down: tests/tasks/test_broker_down.py,
tests/translation/test_broker_down.py)."""

import pytest
from celery import Celery
from celery.app import _state

# Port 1 on the loopback: nothing listens, the connection is refused at once.
UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(monkeypatch):
    # Celery's broker_url gives CELERY_BROKER_URL from the environment precedence (CI sets it).
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    previous_current, previous_default = _state.get_current_app(), _state.default_app
    app = Celery("alma-tests-broker-down", set_as_current=False)
    app.conf.update(
        broker_url=UNREACHABLE,
        task_always_eager=False,
        # One attempt: Celery's default publish retries would take seconds per send.
        task_publish_retry=False,
        broker_connection_timeout=1,
    )
    app.set_current()
    app.set_default()
    try:
        yield app
    finally:
        previous_current.set_current()
        _state.default_app = previous_default
