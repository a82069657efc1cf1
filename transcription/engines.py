"""The Transcriber interface, the shared pipeline around both engines, and the model cache."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from transcription.audio import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_SECONDS,
    SAMPLE_RATE,
    load_audio,
    probe_audio,
    to_mono,
)
from transcription.backends import (
    FIT_WINDOW,
    SHORT_WINDOW,
    Backend,
    FasterWhisperBackend,
    OpenAIWhisperBackend,
)
from transcription.errors import AudioError, ModelNotAvailable, TranscriptionError
from transcription.glossary import apply_glossary
from transcription.models import default_cache_dir, resolve_model
from transcription.quality import mark_suspects, without_unplaced_repeat
from transcription.speech import WINDOW as FULL_WINDOW
from transcription.speech import SpeechLayout, join_layouts, layout_speech, shift
from transcription.turns import MAX_WORD_GAP, assign, merge_channels, resegment, roles_for
from transcription.types import Glossary, Segment, Transcript

ENGINES = ("faster-whisper", "openai-whisper")
MIN_WINDOW = 5.0  # a chunk must still fit: the window less speech.CHUNK_MARGIN
UNDETERMINED = "und"  # ISO 639 code for a recording with no speech to identify
AgentChannel = Literal["left", "right"] | None
Progress = Callable[[float], None]


class Transcriber(Protocol):
    """Anything that turns a recording into a Transcript."""

    engine: str
    model: str

    def transcribe(
        self,
        audio: str | Path,
        *,
        language: str | None = None,
        agent_channel: AgentChannel = "left",
        beam_size: int = 5,
        vad: bool = True,
        glossary: Glossary | None = None,
        progress: Progress | None = None,
    ) -> Transcript:
        """Transcribe one file; progress gets fractions 0..1 and may raise to cancel."""
        ...


class _ProgressRaised(Exception):
    """Carries an exception raised by the caller's progress callback past the engine wrapper."""


class WhisperTranscriber:
    """Decode, find each channel's speech, run the engine, then merge, correct and check."""

    def __init__(
        self,
        backend: Backend,
        model: str,
        *,
        model_source: str,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_seconds: float = DEFAULT_MAX_SECONDS,
        max_word_gap: float = MAX_WORD_GAP,
    ) -> None:
        self.backend = backend
        self.engine = backend.engine
        self.model = model
        self.model_source = model_source
        self.max_bytes = max_bytes
        self.max_seconds = max_seconds
        self.max_word_gap = max_word_gap
        self._lock = threading.Lock()  # one engine call at a time per loaded model

    def transcribe(
        self,
        audio: str | Path,
        *,
        language: str | None = None,
        agent_channel: AgentChannel = "left",
        beam_size: int = 5,
        vad: bool = True,
        glossary: Glossary | None = None,
        progress: Progress | None = None,
    ) -> Transcript:
        """Transcribe one file; progress gets fractions 0..1 and may raise to cancel."""
        roles_for(agent_channel, stereo=True)  # validates the value before any work
        if beam_size < 1:
            raise ValueError(f"beam_size must be at least 1, not {beam_size}")
        if self.backend.english_only and language not in (None, "en"):
            raise ValueError(
                f"model {self.model} is English-only; it cannot transcribe {language!r}"
            )
        info, samples = load_audio(audio, max_bytes=self.max_bytes, max_seconds=self.max_seconds)
        stereo = samples.shape[0] == 2 and not info.dual_mono
        tracks = [samples[0], samples[1]] if stereo else [to_mono(samples)[0]]
        roles = roles_for(agent_channel, stereo)
        report = _Reporter(progress, [len(t) for t in tracks])
        try:
            with self._lock:
                window = self.backend.window
                layouts = [layout_speech(track, vad=vad, window=window) for track in tracks]
                lang, lang_prob = self._language(language, tracks, layouts, vad)
                raw = self._decode(layouts, lang, beam_size, glossary, report)
                per_channel: list[list[Segment]] = []
                for index, (layout, segments) in enumerate(zip(layouts, raw, strict=True)):
                    placed = [without_unplaced_repeat(s) for s in segments]
                    restored = resegment([layout.restore(s) for s in placed], self.max_word_gap)
                    fixed = [apply_glossary(s, glossary) for s in restored]
                    per_channel.append(assign(fixed, roles[index], index if stereo else None))
            report.done()
        except _ProgressRaised as exc:
            raise exc.__cause__ from None  # type: ignore[misc]
        except (AudioError, ModelNotAvailable, MemoryError):
            raise
        except Exception as exc:
            raise TranscriptionError(
                f"{self.engine} failed on {Path(audio).name}: {type(exc).__name__}: {exc}"
            ) from exc
        return Transcript(
            language=lang,
            language_probability=round(lang_prob, 4),
            duration=info.duration,
            channels=info.channels,
            dual_mono=info.dual_mono,
            segments=mark_suspects(merge_channels(per_channel)),
            engine=self.engine,
            model=self.model,
            settings={
                **self.backend.settings,
                "language": language,
                "agent_channel": agent_channel if stereo else None,
                "beam_size": beam_size,
                "vad": vad,
                "condition_on_previous_text": False,
                "word_timestamps": True,
                "max_word_gap": self.max_word_gap,
                "hotwords": list(glossary.hotwords) if glossary else [],
                "replacements": len(glossary.replacements) if glossary else 0,
                "model_source": self.model_source,
            },
        )

    def _decode(
        self,
        layouts: Sequence[SpeechLayout],
        language: str,
        beam_size: int,
        glossary: Glossary | None,
        report: _Reporter,
    ) -> list[list[Segment]]:
        """Raw segments per channel, in each layout's own (speech-only) time."""
        out: list[list[Segment]] = [[] for _ in layouts]
        live = [i for i, layout in enumerate(layouts) if not layout.empty]
        prompt = glossary.prompt if glossary else None
        if self.backend.batched and len(live) > 1:
            # Both sides of the call in one batch: fuller batches, one pass over the model.
            audio, clips, starts = join_layouts([layouts[i] for i in live], self.backend.window)
            decoded = self.backend.transcribe_channel(
                audio,
                language=language,
                beam_size=beam_size,
                prompt=prompt,
                clips=clips,
                progress=report.overall(),
            )
            for seg in decoded:
                k = bisect.bisect_right(starts, (seg.start + seg.end) / 2) - 1
                out[live[max(k, 0)]].append(shift(seg, starts[max(k, 0)]))
            return out
        for i in live:
            out[i] = self.backend.transcribe_channel(
                layouts[i].audio,
                language=language,
                beam_size=beam_size,
                prompt=prompt,
                clips=layouts[i].windows(self.backend.window),
                progress=report.channel(i),
            )
        return out

    def _language(
        self,
        language: str | None,
        tracks: Sequence[np.ndarray],
        layouts: Sequence[SpeechLayout],
        vad: bool,
    ) -> tuple[str, float]:
        if self.backend.english_only:
            return "en", 1.0
        if language is not None:
            return language, 1.0
        if all(layout.empty for layout in layouts):
            return UNDETERMINED, 0.0
        if vad:
            # Speech of both parties, each channel's joined speech in turn, so both are heard.
            share = int(SAMPLE_RATE * 30 / len(layouts))
            speech = np.concatenate([layout.audio[:share] for layout in layouts])
        else:
            speech = np.stack(tracks).mean(axis=0).astype(np.float32)
        return self.backend.detect_language(speech)


class _Reporter:
    """Turns per-channel fractions into one monotonic overall fraction for the caller."""

    def __init__(self, callback: Progress | None, lengths: Sequence[int]) -> None:
        self.callback = callback
        total = float(sum(lengths)) or 1.0
        self.weights = [n / total for n in lengths]
        self.last = 0.0

    def channel(self, index: int) -> Progress:
        base = sum(self.weights[:index])

        def report(fraction: float) -> None:
            self._send(base + self.weights[index] * max(0.0, min(fraction, 1.0)))

        return report

    def overall(self) -> Progress:
        return self._send

    def done(self) -> None:
        self._send(1.0)

    def _send(self, value: float) -> None:
        if self.callback is None or value < self.last:
            return
        self.last = value
        try:
            self.callback(round(value, 4))
        except Exception as exc:
            raise _ProgressRaised() from exc


class FakeTranscriber:
    """Canned transcripts for web tests that assert nothing about speech (audio is still probed)."""

    engine = "fake"
    model = "fake"

    def __init__(self, segments: Sequence[Segment] = (), language: str = "ru") -> None:
        self.segments = tuple(segments) or (
            Segment(
                "agent",
                0.5,
                2.5,
                "Здравствуйте, компания «Мебельный дом», меня зовут Анна.",
                channel=0,
            ),
            Segment("customer", 3.0, 5.0, "Это слишком дорого, у конкурентов дешевле.", channel=1),
        )
        self.language = language

    def transcribe(
        self,
        audio: str | Path,
        *,
        language: str | None = None,
        agent_channel: AgentChannel = "left",
        beam_size: int = 5,
        vad: bool = True,
        glossary: Glossary | None = None,
        progress: Progress | None = None,
    ) -> Transcript:
        """Return the canned segments for any readable recording."""
        info = probe_audio(audio)
        if progress is not None:
            progress(1.0)
        return Transcript(
            language=language or self.language,
            language_probability=1.0,
            duration=info.duration,
            channels=info.channels,
            dual_mono=info.dual_mono,
            segments=tuple(apply_glossary(s, glossary) for s in self.segments),
            engine=self.engine,
            model=self.model,
            settings={"agent_channel": agent_channel, "beam_size": beam_size, "vad": vad},
        )


_loaded: dict[tuple[object, ...], WhisperTranscriber] = {}
_loading = threading.Lock()


def load_transcriber(
    engine: str = "faster-whisper",
    model: str = "base",
    *,
    device: str = "cpu",
    compute_type: str = "int8",
    cpu_threads: int = 2,
    cache_dir: str | Path | None = None,
    batch_size: int = 8,
    window: float = SHORT_WINDOW,
    fit_window: float | None = FIT_WINDOW,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> WhisperTranscriber:
    """Load (once per process and settings) a Whisper engine ready to transcribe files.

    Args:
        engine: "faster-whisper" (default) or "openai-whisper" (reference; float32 on CPU).
        model: "base", "tiny.en" (from installed weight packages), a CTranslate2 model folder,
            or another Whisper name that the engine downloads when online.
        cache_dir: where packaged weights are joined and converted once (~145 MB for base,
            plus ~145 MB for openai-whisper); default ~/.cache/qa-review/whisper.
        batch_size: faster-whisper's batched pipeline when > 1; 1 runs it sequentially.
        window: seconds of speech per window of the batched pipeline (at most 30, Whisper's
            own; 30 restores full windows). 15 s windows halve the encoder's work for the same
            accuracy on telephone speech (benchmarks/README-transcription.md).
        fit_window: the batched pipeline pads each batch's encoder input only to its longest
            window rounded up to this many seconds; None pads to 30 s as Whisper does.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if cpu_threads < 1:
        raise ValueError(f"cpu_threads must be at least 1, not {cpu_threads}")
    if not MIN_WINDOW <= window <= FULL_WINDOW:
        raise ValueError(f"window must be {MIN_WINDOW:g}-{FULL_WINDOW:g} s, not {window!r}")
    if fit_window is not None and not 1 <= fit_window <= FULL_WINDOW:
        raise ValueError(f"fit_window must be None or 1-{FULL_WINDOW:g} s, not {fit_window!r}")
    cache = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    key: tuple[object, ...] = (engine, model, device, compute_type, cpu_threads, str(cache))
    key += (batch_size, window, fit_window)
    with _loading:
        if key in _loaded:
            loaded = _loaded[key]
            return _with_limits(loaded, max_bytes, max_seconds)
        resolved = resolve_model(model, cache)
        backend: Backend
        if engine == "faster-whisper":
            backend = FasterWhisperBackend(
                resolved,
                device=device,
                compute_type=compute_type,
                cpu_threads=cpu_threads,
                cache_dir=cache,
                batch_size=batch_size,
                window=window,
                fit_window=fit_window,
            )
        else:
            backend = OpenAIWhisperBackend(
                resolved, device=device, cpu_threads=cpu_threads, cache_dir=cache
            )
        loaded = WhisperTranscriber(backend, model, model_source=resolved.source)
        _loaded[key] = loaded
    return _with_limits(loaded, max_bytes, max_seconds)


def _with_limits(
    loaded: WhisperTranscriber, max_bytes: int, max_seconds: float
) -> WhisperTranscriber:
    """A transcriber sharing the cached engine (and its lock) with its own audio limits."""
    if (loaded.max_bytes, loaded.max_seconds) == (max_bytes, max_seconds):
        return loaded
    clone = WhisperTranscriber(
        loaded.backend,
        loaded.model,
        model_source=loaded.model_source,
        max_bytes=max_bytes,
        max_seconds=max_seconds,
        max_word_gap=loaded.max_word_gap,
    )
    clone._lock = loaded._lock
    return clone


def clear_cache() -> None:
    """Forget every loaded model (frees memory once no transcriber is referenced)."""
    with _loading:
        _loaded.clear()
