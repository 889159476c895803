"""JSON API routes of the applications app (mounted under /api/v1/applications/)."""

from ninja import Router

router = Router(tags=["applications"])
