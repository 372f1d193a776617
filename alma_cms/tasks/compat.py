"""Which Tasks framework is there: the ``django_tasks`` backport or Django 6's ``django.tasks``.

Wagtail 8 imports ``django_tasks`` on every Django version (django-tasks 0.12 does not
re-export ``django.tasks`` on Django 6: the two have separate ``Task`` classes reading the same
``TASKS`` setting), so alma's backend subclasses ``django_tasks``' base class when it is
installed and ``django.tasks``' otherwise (Wagtail 7.4 on Django 6). It accepts tasks of either
framework and answers each with that framework's ``TaskResult``.
"""

from importlib import import_module
from importlib.util import find_spec
from types import SimpleNamespace


def _framework(package):
    base = import_module(f"{package}.base")
    backends_base = import_module(f"{package}.backends.base")
    exceptions = import_module(f"{package}.exceptions")
    return SimpleNamespace(
        package=package,
        BaseTaskBackend=backends_base.BaseTaskBackend,
        Task=base.Task,
        TaskResult=base.TaskResult,
        TaskResultStatus=base.TaskResultStatus,
        TaskContext=base.TaskContext,
        # django_tasks: InvalidTaskError; Django 6: InvalidTask.
        InvalidTaskError=getattr(exceptions, "InvalidTaskError", None) or exceptions.InvalidTask,
        signals=import_module(f"{package}.signals"),
    )


def _available(package):
    try:
        return find_spec(package) is not None
    except ImportError:  # "django.tasks" when Django has no tasks package (5.2)
        return False


FRAMEWORKS = [_framework(name) for name in ("django_tasks", "django.tasks") if _available(name)]

# The framework alma's backend is built on (Wagtail 8's); None: neither is installed.
PRIMARY = FRAMEWORKS[0] if FRAMEWORKS else None


def framework_of(task):
    """The framework ``task`` (a ``Task`` instance) belongs to; ``PRIMARY`` if neither."""
    for framework in FRAMEWORKS:
        if isinstance(task, framework.Task):
            return framework
    return PRIMARY
