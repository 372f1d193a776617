"""The test settings without the test app, so no ``alma_cms_register_blocks`` hook is active.

Used by the migration check that must be clean both with and without site blocks.
"""

from .settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "tests.testapp"]  # noqa: F405
