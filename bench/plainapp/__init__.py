"""Bench-only app: a plain Wagtail page type for the stock-API comparison in bench/api.py.

Only bench/settings.py installs it; it is not part of the sandbox, the test suite or the
package.
"""
