"""Ledger entries (hash-chained, append-only) and the personal-data access log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a ledger entry."""


class LedgerEntry(models.Model):
    """One entry of a named ledger.

    `entry_hash` = SHA-256(previous entry's hash + canonical JSON of this entry's content), so an
    edit, a deletion or a reordering breaks the chain from that entry on.
    """

    ledger = models.CharField(_("ledger"), max_length=40)
    sequence = models.PositiveBigIntegerField(_("sequence"))
    recorded_at = models.DateTimeField(_("recorded at"))
    branch_code = models.CharField(_("branch"), max_length=8, blank=True)
    actor = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    payload = models.JSONField(_("payload"), default=dict)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["ledger", "sequence"]
        constraints = [models.UniqueConstraint(fields=["ledger", "sequence"], name="ledger_sequence_unique")]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"{self.ledger}#{self.sequence} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("ledger entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("ledger entries cannot be deleted")


class LedgerHead(models.Model):
    """The last sequence and hash of each ledger; its row lock serialises writers."""

    ledger = models.CharField(max_length=40, unique=True)
    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.ledger} head #{self.sequence}"


class AccessLogEntry(models.Model):
    """Who looked at which personal record, when and why."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_log")
    accessed_at = models.DateTimeField(_("accessed at"), auto_now_add=True, db_index=True)
    record_type = models.CharField(_("record type"), max_length=60)
    record_id = models.CharField(_("record"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=200)
    query = models.CharField(_("search terms"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-accessed_at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]
        verbose_name = _("access-log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.staff} viewed {self.record_type}:{self.record_id}"
