"""The production settings pass Django's deployment checks with production-like values."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "szj.um.lublin.example",
    "DATABASE_URL": "postgres://szj:haslo@127.0.0.1:5432/szj",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PROD_ENV and k != "DEBUG"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_prod_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_prod_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_wsgi_and_celery_default_to_production_settings():
    # gunicorn imports config.wsgi through the qms package (which imports the Celery app): neither
    # may fall back to the development settings with their public key and DEBUG on.
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_SETTINGS_MODULE"}
    clean = {k: v for k, v in os.environ.items() if k not in PROD_ENV and k != "DEBUG"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.wsgi; from django.conf import settings; "
            "print(settings.SETTINGS_MODULE, settings.DEBUG)",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.split() == ["config.settings.prod", "False"], result.stderr
