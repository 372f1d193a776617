"""Wagtail API v2 endpoints for alma-cms (see docs/api.md)."""
