"""Production mode refuses to start half-configured, and `check --deploy` is clean when configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "p7V!x2k#Q9sL0mZr4tW8yB1nC6dF3gH5jK7lM9pR2sT4vX6zA8bD0eG2iJ4oU6qY",
    "ALLOWED_HOSTS": "civicdesk.example.gov.tw",
    "DATABASE_URL": "sqlite:////tmp/civicdesk-deploy-check.sqlite3",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_production_mode() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"DJANGO_ENV=production needs these environment variables: {missing}" in result.stderr


def test_production_requires_the_second_factor() -> None:
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.STAFF_OTP_REQUIRED, settings.DEBUG)",
        env=PRODUCTION_ENV,
    )
    assert result.stdout.strip().splitlines()[-1] == "True False", result.stderr


def test_production_reads_the_smtp_relay_from_email_url() -> None:
    env = {**PRODUCTION_ENV, "EMAIL_URL": "smtp+tls://notices:secret@relay.example.gov.tw:587"}
    code = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS)"
    )
    result = _manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.strip().splitlines()[-1] == (
        "django.core.mail.backends.smtp.EmailBackend relay.example.gov.tw 587 notices True"
    ), result.stderr


def test_development_writes_mail_to_files_under_var(tmp_path: Path) -> None:
    code = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH)"
    result = _manage("shell", "--no-imports", "-c", code, env={"CIVICDESK_VAR_DIR": str(tmp_path)})
    assert result.stdout.strip().splitlines()[-1] == (
        f"django.core.mail.backends.filebased.EmailBackend {tmp_path / 'mail'}"
    ), result.stderr
