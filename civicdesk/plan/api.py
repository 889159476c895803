"""JSON API routes of the plan app (mounted under /api/v1/plan/)."""

from ninja import Router

router = Router(tags=["plan"])
