"""The settings every test app starts from, so fixtures and tests that build their own app agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def app_settings(tmp_path: Path, database_url: str, **overrides: Any) -> dict[str, Any]:
    """Settings for a test app on ``database_url`` with recordings under ``tmp_path``."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RECORDINGS_DIR": str(tmp_path / "recordings"),
        # Ad videos under test are a few hundred KB; a 21 MB upload stands for one too large.
        "MAX_VIDEO_BYTES": 5 * 1024 * 1024,
        "RATELIMIT_ENABLED": False,
        # Hashing strength is not under test here; scrypt makes every login cost ~0.3 s.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Requests without Accept-Language read the English source strings.
        "BABEL_DEFAULT_LOCALE": "en",
        **overrides,
    }
