"""Settings of the worker subprocess of test_worker_killed_mid_sync (the one SIGKILLed): the
test settings, Celery on the test's broker and queue, not eager, a short visibility timeout so
the killed worker's unacknowledged message is delivered again soon. While the file named by
ALMA_TEST_HOLD exists, a sync writes ALMA_TEST_STARTED and waits (inside its transaction)."""

import os

from tests.testapp.settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["ALMA_TEST_QUEUE"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1


def _hold_syncs():
    import time

    from alma_cms.translation import sync

    real = sync.sync_translations

    def held(*args, **kwargs):
        outcomes = real(*args, **kwargs)  # the work is done, not yet committed
        open(os.environ["ALMA_TEST_STARTED"], "w").close()
        while os.path.exists(os.environ["ALMA_TEST_HOLD"]):
            time.sleep(0.1)
        return outcomes

    sync.sync_translations = held


_hold_syncs()
