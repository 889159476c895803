"""Checks on uploaded documents: the real content type from the first bytes (PDF, JPEG, PNG only) and size.

The file name and the browser's declared type are ignored: a program renamed ``receipt.pdf`` starts
with ``MZ`` (Windows) or ``\\x7fELF`` (Linux), not ``%PDF-``, and is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {"application/pdf", "image/jpeg", "image/png"}
_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
_EXECUTABLES = [
    (b"MZ", gettext_lazy("Windows program")),
    (b"\x7fELF", gettext_lazy("Linux program")),
    (b"#!", gettext_lazy("script")),
    (b"PK\x03\x04", gettext_lazy("ZIP archive")),
]
# PDF features that run code or launch programs when the file is opened.
_PDF_ACTIVE = (b"/JavaScript", b"/JS ", b"/JS(", b"/Launch", b"/EmbeddedFile")


class UploadRejectedError(ValueError):
    """The message names the file and says why; safe to show."""


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "APPLICATIONS_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def upload_check(upload: UploadedFile) -> CheckedUpload:
    """Return the detected type, size and hash of ``upload``; raise UploadRejectedError otherwise."""
    name = upload.name or _("(no name)")
    limit = max_upload_bytes()
    size = upload.size or 0
    if size == 0:
        raise UploadRejectedError(_("“%(name)s” is empty.") % {"name": name})
    if size > limit:
        raise UploadRejectedError(
            _("“%(name)s” is %(size)s MB; files may be at most %(limit)s MB.")
            % {"name": name, "size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    head = b""
    active = False
    tail = b""
    for chunk in upload.chunks():
        if not head:
            head = chunk[:16]
        digest.update(chunk)
        window = tail + chunk
        active = active or any(marker in window for marker in _PDF_ACTIVE)
        tail = chunk[-16:]
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        what = next((label for signature, label in _EXECUTABLES if head.startswith(signature)), None)
        if what is not None:
            raise UploadRejectedError(
                _("“%(name)s” is not a PDF, JPEG or PNG file: its content is a %(what)s.")
                % {"name": name, "what": what}
            )
        raise UploadRejectedError(_("“%(name)s” is not a PDF, JPEG or PNG file.") % {"name": name})
    if content_type == "application/pdf" and active:
        raise UploadRejectedError(
            _("“%(name)s” contains scripts or embedded files, which are not accepted. Please print it to a plain PDF.")
            % {"name": name}
        )
    return CheckedUpload(content_type=content_type, size=size, sha256=digest.hexdigest())
