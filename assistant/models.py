"""Vosk model download and listing. The only code in Kindly that touches the network, and only when asked.

A download resumes from its `.part` file after an interruption, is checked for size and SHA-256, and is
unpacked into a temporary folder that is renamed into place only when complete, so a half-installed model
never exists under its real name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from assistant import datafile
from assistant.errors import ModelError, UsageError, did_you_mean
from assistant.resources import content

BLOCK = 1 << 16
TIMEOUT_S = 30
Progress = Callable[[int, int], None]
"""Called with (bytes so far, total bytes) as a download goes."""


@dataclass(frozen=True)
class ModelInfo:
    name: str
    url: str
    size: int
    sha256: str
    description: str = ""


def catalog(path: Path | None = None) -> tuple[str, dict[str, ModelInfo]]:
    """The default model name and every known model (KINDLY_MODEL_CATALOG may point at another catalog)."""
    path = path or Path(os.environ.get("KINDLY_MODEL_CATALOG") or content("models.yaml"))
    try:
        data = datafile.parse(path.read_text(encoding="utf-8"))
        models = {name: ModelInfo(name, m["url"], int(m["size"]), str(m["sha256"]).lower(), m.get("description", ""))
                  for name, m in data["models"].items()}
        return data["default"], models
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as error:
        raise UsageError(f"model catalog {path} cannot be read ({error})", "Fix the file or unset KINDLY_MODEL_CATALOG.") from None


def download(name: str | None, folder: Path, progress: Progress = lambda done, total: None) -> Path:
    """Fetch, verify and unpack a model into `folder/NAME`; returns its path."""
    default, models = catalog()
    name = name or default
    if name not in models:
        raise UsageError(f"unknown model '{name}'", did_you_mean(name, models) or f"Known models: {', '.join(models)}.")
    info = models[name]
    target = folder / name
    if target.is_dir():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f".{name}.zip.part"
    _fetch(info, part, progress)
    _verify(info, part)
    _unpack(part, folder, target)
    part.unlink()
    return target


def _fetch(info: ModelInfo, part: Path, progress: Progress) -> None:
    have = part.stat().st_size if part.exists() else 0
    if have > info.size:
        part.unlink()
        have = 0
    if have == info.size:
        return
    request = urllib.request.Request(info.url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            if have and response.status != 206:
                have = 0  # the server ignored the range: start again
            with open(part, "ab" if have else "wb") as out:
                done = have
                while block := response.read(BLOCK):
                    out.write(block)
                    done += len(block)
                    progress(done, info.size)
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        reason = getattr(error, "reason", error)
        raise ModelError(f"download of {info.name} from {info.url} failed ({reason})",
                         "Check the network and run the same command again: it resumes where it stopped.") from None


def _verify(info: ModelInfo, part: Path) -> None:
    size = part.stat().st_size
    if size != info.size:
        if size > info.size:
            part.unlink()
        raise ModelError(f"download of {info.name} has {size} bytes, expected {info.size}",
                         "Run the same command again to resume the download.")
    digest = hashlib.sha256()
    with open(part, "rb") as data:
        while block := data.read(1 << 20):
            digest.update(block)
    if digest.hexdigest() != info.sha256:
        part.unlink()
        raise ModelError(f"download of {info.name} is damaged (SHA-256 {digest.hexdigest()[:12]}… does not match)",
                         "The partial file was deleted; run the same command again.")


def _unpack(archive: Path, folder: Path, target: Path) -> None:
    from assistant.stt.vosk_engine import check_model

    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=folder))
    try:
        with zipfile.ZipFile(archive) as bundle:
            for member in bundle.namelist():
                if member.startswith("/") or ".." in Path(member).parts:
                    raise ModelError(f"model archive {archive.name} has an unsafe path: {member}", "Do not use this file.")
            bundle.extractall(staging)
        entries = [p for p in staging.iterdir()]
        root = entries[0] if len(entries) == 1 and entries[0].is_dir() else staging
        check_model(root)
        os.replace(root, target)
    except zipfile.BadZipFile:
        archive.unlink()
        raise ModelError(f"model archive {archive.name} is not a valid zip file", "Run the same command again.") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def installed(folder: Path) -> list[Path]:
    """Model folders in the data folder, oldest first."""
    return sorted((p for p in folder.glob("vosk-model-*") if p.is_dir()), key=lambda p: p.stat().st_mtime) if folder.is_dir() else []
