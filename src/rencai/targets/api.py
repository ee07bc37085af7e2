"""HTTP API of this area; config.urls calls register_api(router) once."""

from rest_framework.routers import DefaultRouter


def register_api(router: DefaultRouter) -> None:
    """Register this area's viewsets on the one API router."""
