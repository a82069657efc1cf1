"""Typed settings that services and tasks read, built once per app from its config.

``app.config`` stays the place settings come from (defaults, instance ``config.py``, ``QA_*``
variables, test settings); this turns the keys the back end uses into one frozen value with
the right types, so no module repeats a default or a conversion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from transcription import ENGINES

SETTINGS_KEY = "qa.settings"
# The canned engine of the transcription library; selectable only when the app is TESTING.
FAKE_ENGINE = "fake"


@dataclass(frozen=True)
class Settings:
    """What services, tasks and the worker need from the config."""

    testing: bool
    recordings_dir: str
    max_recording_bytes: int
    max_recording_seconds: float
    max_video_bytes: int
    max_video_seconds: float
    whisper_engine: str
    whisper_model: str
    whisper_device: str
    whisper_compute_type: str
    whisper_threads: int
    whisper_beam_size: int
    whisper_vad: bool
    whisper_batch_size: int
    model_cache_dir: str | None
    job_lease_seconds: int
    job_max_attempts: int
    job_retry_delay: int
    job_max_lost_leases: int
    job_sweep_seconds: float
    transcribe_poll_seconds: float
    # Test-only: pause a job at this phase (see qa.services.calls.fault_points).
    fault_pause_at: str | None
    fault_pause_seconds: float
    fault_marker_dir: str | None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        testing = bool(config.get("TESTING"))
        return cls(
            testing=testing,
            recordings_dir=str(config["RECORDINGS_DIR"]),
            max_recording_bytes=int(config["MAX_RECORDING_BYTES"]),
            max_recording_seconds=float(config["MAX_RECORDING_SECONDS"]),
            max_video_bytes=int(config.get("MAX_VIDEO_BYTES", 200 * 1024 * 1024)),
            max_video_seconds=float(config.get("MAX_VIDEO_SECONDS", 300)),
            whisper_engine=str(config["WHISPER_ENGINE"]),
            whisper_model=str(config["WHISPER_MODEL"]),
            whisper_device=str(config["WHISPER_DEVICE"]),
            whisper_compute_type=str(config["WHISPER_COMPUTE_TYPE"]),
            whisper_threads=int(config["WHISPER_THREADS"]),
            whisper_beam_size=int(config["WHISPER_BEAM_SIZE"]),
            whisper_vad=bool(config["WHISPER_VAD"]),
            whisper_batch_size=int(config["WHISPER_BATCH_SIZE"]),
            model_cache_dir=str(config.get("MODEL_CACHE_DIR") or "") or None,
            job_lease_seconds=int(config["JOB_LEASE_SECONDS"]),
            job_max_attempts=int(config["JOB_MAX_ATTEMPTS"]),
            job_retry_delay=int(config["JOB_RETRY_DELAY"]),
            job_max_lost_leases=int(config["JOB_MAX_LOST_LEASES"]),
            job_sweep_seconds=float(config["JOB_SWEEP_SECONDS"]),
            transcribe_poll_seconds=float(config["TRANSCRIBE_POLL_SECONDS"]),
            fault_pause_at=(str(config.get("FAULT_PAUSE_AT") or "") or None) if testing else None,
            fault_pause_seconds=float(config.get("FAULT_PAUSE_SECONDS") or 3600),
            fault_marker_dir=str(config.get("FAULT_MARKER_DIR") or "") or None,
        )

    @property
    def engines(self) -> tuple[str, ...]:
        """Engines a job may name: the Whisper engines, plus the canned one under test."""
        return (*ENGINES, FAKE_ENGINE) if self.testing else ENGINES


def settings(app: Flask | None = None) -> Settings:
    """The app's settings, built on first use (set config keys before the app serves)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    built = app.extensions.get(SETTINGS_KEY)
    if built is None:
        built = app.extensions[SETTINGS_KEY] = Settings.from_config(app.config)
    return built
