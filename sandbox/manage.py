#!/usr/bin/env python
"""Sandbox manage.py; runs from anywhere, e.g. `python sandbox/manage.py migrate`."""

import os
import sys
from pathlib import Path

# Replace this script's own directory (sys.path[0]) with the repo root, which holds
# both `alma_cms` and `sandbox`; otherwise modules in sandbox/ could shadow top-level
# packages (a sandbox/celery.py would hide `celery`).
sys.path[0] = str(Path(__file__).resolve().parent.parent)

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
