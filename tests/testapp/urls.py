# Same URL layout as the sandbox; test-only routes can be appended here.
from sandbox.urls import api_router, urlpatterns

__all__ = ["api_router", "urlpatterns"]
