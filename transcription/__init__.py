"""Offline Whisper transcription of call recordings: roles from stereo, checks, exports.

    from transcription import Glossary, load_transcriber, to_srt

    transcriber = load_transcriber(model="base", cache_dir="instance/models")  # once per process
    transcript = transcriber.transcribe("call.ogg", agent_channel="left", progress=print)
    for segment in transcript.segments:  # in turn order
        print(segment.speaker, segment.start, segment.text, segment.suspect)

"base" and "tiny.en" come from installed PyPI weight packages; the first use of "base" joins its
two parts into `cache_dir` (145 MB, about a second) and the openai-whisper engine converts it
there once more (145 MB, a few seconds). Errors: AudioError (bad file: do not retry),
TranscriptionError (engine failure: may be retried), ModelNotAvailable (installation problem).
"""

from transcription.audio import decode_audio, is_dual_mono, load_audio, probe_audio
from transcription.engines import (
    ENGINES,
    FakeTranscriber,
    Transcriber,
    WhisperTranscriber,
    clear_cache,
    load_transcriber,
)
from transcription.errors import AudioError, ModelNotAvailable, TranscriptionError, VideoError
from transcription.exports import FORMATS, export, to_json, to_srt, to_txt, to_vtt
from transcription.glossary import apply_glossary
from transcription.models import PACKAGED_MODELS, default_cache_dir, resolve_model
from transcription.quality import mark_suspects, suspect_reason
from transcription.types import (
    AudioInfo,
    Glossary,
    ScreenText,
    Segment,
    Transcript,
    VideoInfo,
    VideoReading,
    Word,
)

__all__ = [
    "ENGINES",
    "FORMATS",
    "PACKAGED_MODELS",
    "AudioError",
    "AudioInfo",
    "FakeTranscriber",
    "Glossary",
    "ModelNotAvailable",
    "ScreenText",
    "Segment",
    "Transcriber",
    "Transcript",
    "TranscriptionError",
    "VideoError",
    "VideoInfo",
    "VideoReading",
    "WhisperTranscriber",
    "Word",
    "apply_glossary",
    "clear_cache",
    "decode_audio",
    "default_cache_dir",
    "export",
    "is_dual_mono",
    "load_audio",
    "load_transcriber",
    "mark_suspects",
    "probe_audio",
    "resolve_model",
    "suspect_reason",
    "to_json",
    "to_srt",
    "to_txt",
    "to_vtt",
]
