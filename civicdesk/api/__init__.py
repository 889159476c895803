"""The JSON API's root (django-ninja, OpenAPI 3 at /api/v1/openapi.json). Apps add their routers here."""
