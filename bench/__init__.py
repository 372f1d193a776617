"""The API benchmark (``python bench/api.py``); see bench/README.md. Not part of the package."""
