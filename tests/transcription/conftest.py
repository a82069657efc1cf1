"""Real engines and real recordings for the transcription tests; each model loads once."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from tests.conftest import require_or_skip
from transcription import Transcriber, Transcript, load_transcriber

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
ASTERISK_SOUNDS = Path("/usr/share/asterisk/sounds")
ASTERISK_DOCS = Path("/usr/share/doc")


def norm(text: str) -> str:
    """Lower case, ё as е, punctuation dropped: for comparing what was said."""
    text = text.lower().replace("ё", "е")
    return " ".join(re.findall(r"[\w']+", text))


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh cache, so the first load joins (and converts) the packaged weights for real."""
    return tmp_path_factory.mktemp("whisper-cache")


@pytest.fixture(scope="session")
def fw(model_cache: Path) -> Transcriber:
    """faster-whisper base in the default configuration."""
    return load_transcriber(cache_dir=model_cache)


@pytest.fixture(scope="session")
def ow(model_cache: Path) -> Transcriber:
    """openai-whisper on the same base weights, converted from the CTranslate2 model.

    One thread: PyTorch's many small decoder ops stall on a second thread when the cores are busy.
    """
    return load_transcriber("openai-whisper", cache_dir=model_cache, cpu_threads=1)


@pytest.fixture(scope="session")
def dual_mono_call(fw: Transcriber) -> Transcript:
    """The dual-mono FLAC (Russian), language detected."""
    return fw.transcribe(AUDIO / "ru_dual_mono.flac")


@pytest.fixture(scope="session")
def ru_call(fw: Transcriber) -> Transcript:
    """The Russian stereo sales call (Opus), agent on the left, language detected."""
    return fw.transcribe(AUDIO / "ru_call_stereo.ogg")


@pytest.fixture(scope="session")
def en_call(fw: Transcriber) -> Transcript:
    """The English stereo sales call (MP3), agent on the left, language detected."""
    return fw.transcribe(AUDIO / "en_call_stereo.mp3")


def asterisk_prompts(language: str) -> dict[Path, str]:
    """Asterisk's recorded prompts for a language: wav path -> reference transcript."""
    sounds = ASTERISK_SOUNDS / language
    index = ASTERISK_DOCS / f"asterisk-core-sounds-{language}" / f"core-sounds-{language}.txt.gz"
    require_or_skip(
        sounds.is_dir() and index.is_file(),
        f"Asterisk prompts are not installed (apt-get install asterisk-core-sounds-{language} "
        f"asterisk-core-sounds-{language}-wav)",
    )
    prompts = {}
    with gzip.open(index, "rt", encoding="utf-8") as fh:
        lines = fh.readlines()
    for line in lines:
        name, sep, text = line.partition(":")
        wav = sounds / f"{name.strip()}.wav"
        if sep and not line.startswith(";") and "[" not in text and wav.is_file():
            prompts[wav] = text.strip()
    return prompts
