"""The two speech engines behind one small interface; each is imported only when used."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from transcription.convert import convert_to_openai_checkpoint
from transcription.errors import ModelNotAvailable
from transcription.models import ResolvedModel, install_hint
from transcription.types import Segment, Word

Mono = npt.NDArray[np.float32]
SAMPLE_RATE = 16_000
# Fallback temperatures and candidates are the same for both engines so their outputs compare.
TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
BEST_OF = 5
# The batched pipeline decodes windows of up to SHORT_WINDOW seconds of speech and pads each
# batch's encoder input only to its longest window rounded up to FIT_WINDOW seconds, not to
# Whisper's 30 s: the encoder's attention grows with the square of its input.
SHORT_WINDOW = 15.0
FIT_WINDOW: float | None = 5.0
# Silence kept after a short window's speech: speech that runs to the very end of the encoder
# input is read twice by Whisper ("that is too expensive ... that is too expensive ...").
FIT_TAIL = 2.0
FRAMES_PER_SECOND = 100
FULL_FRAMES = 3000


class Backend(Protocol):
    """One loaded engine: detects language and transcribes one channel of 16 kHz samples."""

    engine: str
    english_only: bool
    batched: bool  # decodes independent clips in batches (so channels can share a batch)
    window: float  # seconds of speech per clip (the clips are cut to it)
    settings: dict[str, object]

    def detect_language(self, audio: Mono) -> tuple[str, float]: ...

    def transcribe_channel(
        self,
        audio: Mono,
        *,
        language: str,
        beam_size: int,
        prompt: str | None,
        clips: list[dict[str, float]],
        progress: Callable[[float], None],
    ) -> list[Segment]: ...


class FasterWhisperBackend:
    """CTranslate2 engine; with batch_size > 1 it decodes VAD chunks in batches."""

    engine = "faster-whisper"

    def __init__(
        self,
        resolved: ResolvedModel,
        *,
        device: str,
        compute_type: str,
        cpu_threads: int,
        cache_dir: Path,
        batch_size: int,
        window: float = SHORT_WINDOW,
        fit_window: float | None = FIT_WINDOW,
    ) -> None:
        from faster_whisper import WhisperModel

        try:
            self.model = WhisperModel(
                str(resolved.path or resolved.name),
                device=device,
                compute_type=compute_type,
                cpu_threads=cpu_threads,
                download_root=str(cache_dir / "faster-whisper"),
            )
        except ValueError as exc:
            if resolved.path is not None:
                raise  # a bad device or compute type: the caller's mistake, said as is
            raise ModelNotAvailable(
                f"Unknown Whisper model '{resolved.name}' ({exc}); {install_hint(resolved.name)}."
            ) from exc
        except Exception as exc:  # hub and network errors come in many types
            if resolved.path is not None:
                raise ModelNotAvailable(f"Cannot load {resolved.path}: {exc}") from exc
            raise ModelNotAvailable(
                f"Whisper model '{resolved.name}' is not installed and could not be downloaded "
                f"({type(exc).__name__}: is this machine offline?); {install_hint(resolved.name)}."
            ) from exc
        self.pipeline = _fitted_pipeline(self.model, fit_window, window) if batch_size > 1 else None
        self.batched = self.pipeline is not None
        self.batch_size = batch_size
        # Sequential decoding reads 30 s at a time whatever the clips, so it keeps full windows.
        self.window = window if self.batched else FULL_FRAMES / FRAMES_PER_SECOND
        fit_window = fit_window if self.batched else None
        self.english_only = not self.model.model.is_multilingual
        self.settings: dict[str, object] = {
            "device": device,
            "compute_type": compute_type,
            "cpu_threads": cpu_threads,
            "batch_size": batch_size if batch_size > 1 else None,
            "window": self.window,
            "fit_window": fit_window,
        }

    def detect_language(self, audio: Mono) -> tuple[str, float]:
        """Language of the first 30 s of the (speech-only) audio."""
        language, probability, _ = self.model.detect_language(audio=audio)
        return str(language), float(probability)

    def transcribe_channel(
        self,
        audio: Mono,
        *,
        language: str,
        beam_size: int,
        prompt: str | None,
        clips: list[dict[str, float]],
        progress: Callable[[float], None],
    ) -> list[Segment]:
        """Segments with word timestamps for speech-only audio; progress by segment end."""
        duration = len(audio) / SAMPLE_RATE
        options: dict[str, Any] = {
            "language": language,
            "beam_size": beam_size,
            "best_of": BEST_OF,
            "word_timestamps": True,
            "hotwords": prompt,
            "vad_filter": False,  # done beforehand, the same way for both engines
        }
        if self.pipeline is not None:
            # One clip per window, each decoded independently in a batch.
            segments, _ = self.pipeline.transcribe(
                audio,
                batch_size=self.batch_size,
                temperature=TEMPERATURES[0],
                clip_timestamps=clips,
                **options,
            )
        else:
            segments, _ = self.model.transcribe(
                audio, temperature=list(TEMPERATURES), condition_on_previous_text=False, **options
            )
        out = []
        for seg in segments:
            words = tuple(
                Word(float(w.start), float(w.end), str(w.word), float(w.probability))
                for w in seg.words or ()
            )
            out.append(
                Segment(
                    speaker="unknown",
                    start=float(seg.start),
                    end=max(float(seg.end), float(seg.start)),
                    text=str(seg.text).strip(),
                    words=words,
                    avg_logprob=float(seg.avg_logprob),
                    no_speech_prob=float(seg.no_speech_prob),
                )
            )
            if duration:
                progress(min(float(seg.end) / duration, 1.0))
        return out


class OpenAIWhisperBackend:
    """openai-whisper (PyTorch), the reference, on weights converted from the CTranslate2 model."""

    engine = "openai-whisper"
    batched = False
    window = FULL_FRAMES / FRAMES_PER_SECOND  # sequential: Whisper's own 30 s windows

    def __init__(
        self, resolved: ResolvedModel, *, device: str, cpu_threads: int, cache_dir: Path
    ) -> None:
        try:
            import torch
            import whisper
        except ImportError as exc:
            raise ModelNotAvailable(
                "The openai-whisper engine needs torch and openai-whisper: pip install "
                "torch==2.13.0, then pip install --no-deps openai-whisper==20250625 numba "
                "llvmlite tiktoken more-itertools tqdm."
            ) from exc
        from whisper.model import ModelDimensions, Whisper

        self.device = device
        self.cpu_threads = cpu_threads
        torch.set_num_threads(cpu_threads)
        model: Any
        if resolved.path is not None and resolved.path.suffix == ".pt":
            checkpoint_path = resolved.path
        elif resolved.path is not None:
            key = resolved.sha256[:16] if resolved.sha256 else f"{resolved.path.stat().st_ino}"
            checkpoint_path = convert_to_openai_checkpoint(
                resolved.path, cache_dir / "openai-whisper" / f"{resolved.name}-{key}.pt"
            )
        else:
            try:
                model = whisper.load_model(
                    resolved.name, device=device, download_root=str(cache_dir / "openai-whisper")
                )
            except RuntimeError as exc:
                raise ModelNotAvailable(f"{exc}; {install_hint(resolved.name)}.") from exc
            except Exception as exc:
                raise ModelNotAvailable(
                    f"Whisper model '{resolved.name}' is not installed and could not be "
                    f"downloaded ({type(exc).__name__}: is this machine offline?); "
                    f"{install_hint(resolved.name)}."
                ) from exc
            checkpoint_path = None
        if checkpoint_path is not None:
            checkpoint = torch.load(checkpoint_path, map_location=device, weights_only=True)
            model = Whisper(ModelDimensions(**checkpoint["dims"]))
            model.load_state_dict(checkpoint["model_state_dict"])
            heads = checkpoint.get("alignment_heads")
            if heads:
                mask = torch.zeros(
                    model.dims.n_text_layer, model.dims.n_text_head, dtype=torch.bool
                )
                for layer, head in heads:
                    mask[layer, head] = True
                model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)
            model = model.to(device)
        self.model = model.eval()
        self.english_only = not self.model.is_multilingual
        self.settings: dict[str, object] = {
            "device": device,
            "compute_type": "float16" if device.startswith("cuda") else "float32",
            "cpu_threads": cpu_threads,
            "batch_size": None,
        }

    def detect_language(self, audio: Mono) -> tuple[str, float]:
        """Language of the first 30 s of the (speech-only) audio."""
        import torch
        import whisper

        torch.set_num_threads(self.cpu_threads)
        mel = whisper.log_mel_spectrogram(
            whisper.pad_or_trim(audio), n_mels=self.model.dims.n_mels, device=self.device
        )
        with torch.no_grad():
            _, probs = self.model.detect_language(mel)
        language = max(probs, key=probs.get)
        return str(language), float(probs[language])

    def transcribe_channel(
        self,
        audio: Mono,
        *,
        language: str,
        beam_size: int,
        prompt: str | None,
        clips: list[dict[str, float]],
        progress: Callable[[float], None],
    ) -> list[Segment]:
        """Segments with word timestamps for speech-only audio (sequential, like openai-whisper)."""
        import torch
        import whisper

        torch.set_num_threads(self.cpu_threads)
        result = whisper.transcribe(
            self.model,
            audio,
            language=language,
            beam_size=beam_size,
            best_of=BEST_OF,
            temperature=TEMPERATURES,
            word_timestamps=True,
            condition_on_previous_text=False,
            initial_prompt=prompt,
            carry_initial_prompt=prompt is not None,
            fp16=self.device.startswith("cuda"),
            verbose=None,
        )
        out = []
        for seg in result["segments"]:
            words = tuple(
                Word(float(w["start"]), float(w["end"]), str(w["word"]), float(w["probability"]))
                for w in seg.get("words") or ()
            )
            start = words[0].start if words else float(seg["start"])
            end = words[-1].end if words else float(seg["end"])
            out.append(
                Segment(
                    speaker="unknown",
                    start=start,
                    end=max(end, start),
                    text=str(seg["text"]).strip(),
                    words=words,
                    avg_logprob=float(seg["avg_logprob"]),
                    no_speech_prob=float(seg["no_speech_prob"]),
                )
            )
        progress(1.0)
        return out


def _fitted_pipeline(model: Any, step: float | None, window: float) -> Any:
    """faster-whisper's BatchedInferencePipeline, with the encoder input cut to the content."""
    from faster_whisper import BatchedInferencePipeline

    class FittedPipeline(BatchedInferencePipeline):  # type: ignore[misc]
        def forward(self, features: Any, tokenizer: Any, chunks_metadata: Any, options: Any) -> Any:
            durations = [m["duration"] for m in chunks_metadata]
            frames = fitted_frames(durations, self.step, self.window)
            if frames < features.shape[-1]:
                # The features arrive zero-padded to 30 s; only the padding is cut off.
                features = np.ascontiguousarray(features[..., :frames])
            return super().forward(features, tokenizer, chunks_metadata, options)

    pipeline = FittedPipeline(model)
    pipeline.step = step
    pipeline.window = window
    return pipeline


def fitted_frames(durations: list[float], step: float | None, window: float = 30.0) -> int:
    """Encoder frames for one batch: its longest window and FIT_TAIL, rounded up to `step` s.

    At most `window` seconds (a full window keeps the silence VAD left around its speech).
    """
    if not step or not durations:
        return FULL_FRAMES
    longest = max(durations)
    seconds = math.ceil((longest + FIT_TAIL) / step - 1e-9) * step
    seconds = max(min(seconds, window), math.ceil(longest - 1e-9))  # alignment reads whole seconds
    return int(min(FULL_FRAMES, round(seconds * FRAMES_PER_SECOND)))
