"""Settings of the worker subprocesses of test_worker_killed_mid_sync (the one SIGKILLed and
the one started after it): the test settings, Celery on the test's broker and queue, not eager,
a short visibility timeout so the killed worker's unacknowledged message is delivered again
soon. While the file named by ALMA_TEST_HOLD exists, a sync writes ALMA_TEST_STARTED and waits
(inside its transaction)."""

import os

from tests.testapp.settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["ALMA_TEST_QUEUE"]
# kombu's Redis transport puts back unacknowledged messages older than visibility_timeout when
# a worker's event loop starts (on_poll_init) and then every unacked_restore_interval seconds,
# scanning on every unacked_restore_throttle-th call (defaults 10 and 10: about 100 s). The
# solo pool runs in that event loop too (Celery's Hub step: Redis is asynchronous). 1 and 1:
# the new worker finds the killed worker's message within a second of it becoming visible.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1


def _hold_syncs(**kwargs):
    import time

    from alma_cms.translation import sync  # after django.setup(): it imports models

    real = sync.sync_translations

    def held(*args, **kwargs):
        outcomes = real(*args, **kwargs)  # the work is done, not yet committed
        open(os.environ["ALMA_TEST_STARTED"], "w").close()
        while os.path.exists(os.environ["ALMA_TEST_HOLD"]):
            time.sleep(0.1)
        return outcomes

    sync.sync_translations = held


# Connected here, run once the worker has set Django up (celery's Django fixup).
from celery.signals import worker_ready  # noqa: E402

worker_ready.connect(_hold_syncs, weak=False)
