"""JSON API routes of the notifications app (mounted under /api/v1/notifications/)."""

from ninja import Router

router = Router(tags=["notifications"])
