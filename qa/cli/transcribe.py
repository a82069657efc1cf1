"""``qa transcribe PATH...``: batch transcription for operators, in-process or by the workers."""

from __future__ import annotations

import glob
import os
import time
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from qa.cli.database import require_database
from qa.extensions import db
from qa.models import Call, Finding, TranscriptionJob, TranscriptSegment
from qa.services.calls.intake import AUDIO_SUFFIXES, RecordingMetadata, recording_metadata, take_in
from qa.services.calls.job_worker import load_configured_transcriber
from qa.services.calls.jobs import enqueue_transcription
from qa.services.calls.listing import find_lead
from qa.services.calls.transcripts import export_body, stored_transcript
from qa.services.errors import ServiceError
from qa.settings import settings
from transcription import ENGINES, FORMATS, Transcript

TERMINAL = ("done", "failed", "cancelled")


@dataclass
class FileResult:
    path: Path
    status: str = "pending"  # transcribed, skipped, queued, failed, cancelled
    reason: str = ""
    call_id: int | None = None
    job_id: int | None = None
    duration: float = 0.0


def expand_paths(args: tuple[str, ...]) -> tuple[list[Path], list[FileResult]]:
    """Files named, audio files in folders (recursively) and glob matches, each once, in order."""
    found: list[Path] = []
    missing: list[FileResult] = []
    for arg in args:
        path = Path(arg).expanduser()
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES
                    and not p.name.startswith(".")
                )
            )
        elif path.exists():
            found.append(path)
        elif glob.has_magic(arg):
            matches = sorted(Path(m) for m in glob.glob(os.path.expanduser(arg), recursive=True))
            files = [m for m in matches if m.is_file()]
            if not files:
                missing.append(FileResult(path, "failed", "no file matches this pattern"))
            found.extend(files)
        else:
            missing.append(FileResult(path, "failed", "no such file or folder"))
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path.resolve(), None)
    return list(unique), missing


@click.command("transcribe")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--enqueue",
    is_flag=True,
    help="Hand the files to running workers (`qa worker`) instead of transcribing here.",
)
@click.option(
    "--follow/--no-follow",
    default=True,
    show_default=True,
    help="With --enqueue: show the workers' progress until every file is finished.",
)
@click.option("--force", is_flag=True, help="Transcribe again files that are already transcribed.")
@click.option(
    "--engine", type=click.Choice(ENGINES), help="Speech engine [default: WHISPER_ENGINE]."
)
@click.option("--model", help="Whisper model name or folder [default: WHISPER_MODEL].")
@click.option("--language", help="Language code (ru, en...); detected when not given.")
@click.option(
    "--agent-channel",
    type=click.Choice(["left", "right", "none"]),
    default="left",
    show_default=True,
    help="Stereo channel of the agent; none: mono, speakers unknown.",
)
@click.option("--phone", help="Customer phone of every recording (links calls to leads).")
@click.option(
    "--called-at",
    help="Call time of every recording (ISO or DD.MM.YYYY HH:MM; company time zone unless given).",
)
@click.option("--lead", "lead_ref", help="Lead of every recording: CRM id or number.")
@click.option(
    "--export",
    "export_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one file per recording and format into this folder.",
)
@click.option(
    "--format",
    "formats",
    default="json",
    show_default=True,
    help=f"Export formats, comma-separated: {','.join(FORMATS)}.",
)
@with_appcontext
def transcribe_command(
    paths: tuple[str, ...],
    enqueue: bool,
    follow: bool,
    force: bool,
    engine: str | None,
    model: str | None,
    language: str | None,
    agent_channel: str,
    phone: str | None,
    called_at: str | None,
    lead_ref: str | None,
    export_dir: Path | None,
    formats: str,
) -> None:
    """Transcribe recordings: files, folders (searched recursively) and glob patterns.

    Each recording is stored as a call in the database, so the web app shows it with its
    transcript and objection findings, in-process as well as with --enqueue. Recordings already
    transcribed (the same audio, by sha256) are skipped unless --force. A bad file is reported
    and the others go on; the exit status is 1 when any file failed.
    """
    require_database()
    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = sorted(set(chosen) - set(FORMATS))
    if unknown or not chosen:
        raise click.BadParameter(
            f"choose from {', '.join(FORMATS)} (got {formats!r})", param_hint="--format"
        )
    if enqueue and export_dir is not None and not follow:
        raise click.UsageError("--export with --enqueue needs --follow (the default).")
    files, results = expand_paths(paths)
    if not files and not results:
        raise click.UsageError("No audio files found in the given paths.")
    try:
        lead_id = find_lead(lead_ref).id if lead_ref else None
        meta = recording_metadata(
            agent_channel=agent_channel,
            language=language,
            phone=phone,
            called_at=called_at,
            lead_id=lead_id,
        )
    except ServiceError as exc:
        raise click.UsageError(str(exc)) from exc
    options = {k: v for k, v in (("engine", engine), ("model", model)) if v}
    console = Console(stderr=True)
    batch = Batch(console, options, force, meta, export_dir, chosen)
    try:
        if enqueue:
            results += batch.enqueue(files, follow)
        else:
            results += batch.run_here(files)
    except KeyboardInterrupt:
        console.print("[yellow]Interrupted.[/]")
        results += batch.results
        _summary(results, batch)
        raise SystemExit(130) from None
    _summary(results, batch)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        click.echo(f"{len(failed)} of {len(results)} file(s) failed:", err=True)
        for result in failed:
            click.echo(f"  {result.path}: {result.reason}", err=True)
        raise SystemExit(1)


class Batch:
    """One run of the command over a list of files."""

    def __init__(
        self,
        console: Console,
        options: dict[str, str],
        force: bool,
        meta: RecordingMetadata,
        export_dir: Path | None,
        formats: list[str],
    ) -> None:
        self.console = console
        self.options = options
        self.force = force
        self.meta = meta
        self.export_dir = export_dir
        self.formats = formats
        self.results: list[FileResult] = []
        self._export_names: set[str] = set()

    # -- shared steps --------------------------------------------------------------------------

    def _take_in(self, files: list[Path]) -> list[FileResult]:
        """Store each file as a call (hashed and probed once); the same audio reuses its call."""
        results = []
        for path in files:
            result = FileResult(path)
            results.append(result)
            try:
                with open(path, "rb") as handle:
                    intake = take_in(handle, path.name, self.meta, duplicate="reuse", queue=False)
                db.session.commit()
            except (ServiceError, OSError) as exc:
                db.session.rollback()
                result.status, result.reason = "failed", str(exc)
                continue
            call = intake.call
            result.call_id, result.duration = call.id, call.duration or 0.0
            if not intake.created and call.status == "transcribed" and not self.force:
                result.status = "skipped"
                result.reason = f"already transcribed as call #{call.id}"
        return results

    def _queue(self, result: FileResult, *, dispatch: bool) -> bool:
        """Queue the stored call's transcription; False when it cannot be queued."""
        call = db.session.get(Call, result.call_id)
        try:
            if call is None:
                raise ServiceError(f"call #{result.call_id} is gone")
            job = enqueue_transcription(
                call,
                force=True,
                options=self.options,
                dispatch=dispatch,
                max_attempts=None if dispatch else 1,
            )
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            result.status, result.reason = "failed", str(exc)
            return False
        result.job_id = job.id
        return True

    def _export(self, result: FileResult, transcript: Transcript | None = None) -> None:
        if self.export_dir is None or result.call_id is None:
            return
        if transcript is None:
            call = db.session.get(Call, result.call_id)
            if call is None or not call.segments:
                return
            transcript = stored_transcript(call)
        self.export_dir.mkdir(parents=True, exist_ok=True)
        stem = result.path.stem
        if stem in self._export_names:
            stem = f"{stem}-call{result.call_id}"
        self._export_names.add(stem)
        for fmt in self.formats:
            target = self.export_dir / f"{stem}.{fmt}"
            body = export_body(result.call_id, transcript, fmt, result.path.name)
            target.write_text(body, encoding="utf-8")

    def _progress(self) -> Progress:
        return Progress(
            SpinnerColumn(),
            TextColumn("{task.description}", style="bold"),
            BarColumn(),
            TextColumn("{task.fields[files]} files"),
            TextColumn("{task.completed:.1f}/{task.total:.1f} audio min"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
        )

    # -- in-process ----------------------------------------------------------------------------

    def run_here(self, files: list[Path]) -> list[FileResult]:
        """Transcribe one file after another with the model loaded once."""
        from qa.services.calls.job_runner import run_transcription_job

        try:
            transcriber = load_configured_transcriber(settings(), self.options)
        except Exception as exc:
            raise click.ClickException(f"The speech model cannot be loaded: {exc}") from exc
        self.results = self._take_in(files)
        todo = [r for r in self.results if r.status in ("pending", "skipped")]
        total_minutes = sum(r.duration for r in todo) / 60
        with self._progress() as bar:
            task = bar.add_task("", total=max(total_minutes, 0.01), files=f"0/{len(todo)}")
            done_minutes = 0.0
            for index, result in enumerate(todo):
                minutes = result.duration / 60
                bar.update(task, description=result.path.name[:40])
                if result.status == "pending" and self._queue(result, dispatch=False):
                    assert result.job_id is not None  # noqa: S101 - set by _queue

                    def show(fraction: float, base: float = done_minutes,
                             span: float = minutes) -> None:
                        bar.update(task, completed=base + span * fraction)

                    # A context of its own: the job commits in its own session.
                    with current_app.app_context():
                        outcome = run_transcription_job(
                            result.job_id,
                            transcriber=transcriber,
                            progress=show,
                            requeue_on_interrupt=False,
                        )
                    if outcome.status == "done":
                        result.status = "transcribed"
                        self._export(result, outcome.transcript)
                    else:
                        result.status = "failed" if outcome.status == "failed" else outcome.status
                        result.reason = outcome.error or outcome.status
                elif result.status == "skipped":
                    self._export(result)
                done_minutes += minutes
                bar.update(task, completed=done_minutes, files=f"{index + 1}/{len(todo)}")
        return self.results

    # -- by the workers ------------------------------------------------------------------------

    def enqueue(self, files: list[Path], follow: bool) -> list[FileResult]:
        """Queue every file, then (with follow) show the workers' progress until all finish."""
        self.results = self._take_in(files)
        for result in self.results:
            if result.status == "pending" and self._queue(result, dispatch=True):
                result.status = "queued"
        queued = [r for r in self.results if r.status == "queued"]
        if queued and follow:
            self._follow(queued)
        for result in self.results:
            if result.status in ("transcribed", "skipped"):
                self._export(result)
        return self.results

    def _follow(self, queued: list[FileResult]) -> None:
        self.console.print(
            f"Queued {len(queued)} file(s); following the workers (Ctrl-C stops following, "
            "the jobs go on)."
        )
        by_job = {r.job_id: r for r in queued}
        total_minutes = sum(r.duration for r in queued) / 60
        with self._progress() as bar:
            task = bar.add_task("workers", total=max(total_minutes, 0.01), files=f"0/{len(queued)}")
            while True:
                jobs = db.session.scalars(
                    select(TranscriptionJob).where(TranscriptionJob.id.in_(list(by_job)))
                ).all()
                completed = 0.0
                finished = 0
                for job in jobs:
                    result = by_job[job.id]
                    share = 1.0 if job.status in TERMINAL else (job.progress or 0.0)
                    completed += share * result.duration / 60
                    if job.status in TERMINAL:
                        finished += 1
                        result.status = {"done": "transcribed"}.get(job.status, job.status)
                        result.reason = "" if job.status == "done" else (job.error or "")
                db.session.rollback()  # see the workers' next commits
                bar.update(task, completed=completed, files=f"{finished}/{len(queued)}")
                if finished == len(queued):
                    return
                time.sleep(settings().transcribe_poll_seconds)


def _summary(results: list[FileResult], batch: Batch) -> None:
    """A table of every file: status, call, language, audio length, segments, findings."""
    ids = [r.call_id for r in results if r.call_id is not None]
    calls = {c.id: c for c in db.session.scalars(select(Call).where(Call.id.in_(ids)))}
    segments = _counts(TranscriptSegment.call_id, ids)
    findings = _counts(Finding.call_id, ids)
    table = Table(title="qa transcribe", show_lines=False)
    for name in ("File", "Status", "Call", "Lang", "Audio", "Segments", "Findings", "Note"):
        table.add_column(name, overflow="fold")
    styles = {"transcribed": "green", "skipped": "cyan", "failed": "red", "queued": "yellow"}
    for result in results:
        call = calls.get(result.call_id) if result.call_id is not None else None
        seconds = (call.duration if call and call.duration else None) or result.duration
        table.add_row(
            str(result.path),
            f"[{styles.get(result.status, 'white')}]{result.status}[/]",
            f"#{result.call_id}" if result.call_id else "",
            (call.language or "") if call else "",
            f"{int(seconds // 60)}:{int(seconds % 60):02d}" if seconds else "",
            str(segments.get(call.id, 0)) if call else "",
            str(findings.get(call.id, 0)) if call else "",
            result.reason,
        )
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)  # a log file or a pipe: do not wrap at 80 columns
    console.print(table)
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    click.echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    if batch.export_dir is not None:
        click.echo(f"Exports in {batch.export_dir}")


def _counts(column: InstrumentedAttribute[int], ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column))
    return {call_id: n for call_id, n in rows}
