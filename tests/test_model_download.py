"""`kindly model download` against a local HTTP server: progress, verification, resume, clean-up."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import threading
import zipfile
from pathlib import Path
from typing import Iterator

import pytest

from assistant import models
from assistant.errors import ModelError
from tests.conftest import run_kindly

NAME = "vosk-model-test-0.1"


def _model_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name, body in {"am/final.mdl": b"m" * 50_000, "conf/mfcc.conf": b"--use-energy=false\n", "graph/HCLG.fst": b"g" * 50_000}.items():
            bundle.writestr(f"{NAME}/{name}", body)
    return buffer.getvalue()


class _Server(http.server.BaseHTTPRequestHandler):
    payload = b""
    cut_after: int | None = None
    ranges_seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        start = 0
        header = self.headers.get("Range")
        if header:
            self.ranges_seen.append(header)
            start = int(header.split("=")[1].split("-")[0])
            self.send_response(206)
        else:
            self.send_response(200)
        body = self.payload[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.cut_after is not None and not header:
            self.wfile.write(body[: self.cut_after])
            self.wfile.flush()
            self.connection.close()
            return
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Server]]:
    handler = type("Handler", (_Server,), {"payload": _model_zip(), "cut_after": None, "ranges_seen": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    catalog = tmp_path / "models.yaml"
    payload = handler.payload
    catalog.write_text(json.dumps({"default": NAME, "models": {NAME: {
        "url": f"http://127.0.0.1:{httpd.server_address[1]}/{NAME}.zip", "size": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(), "description": "test"}}}))
    monkeypatch.setenv("KINDLY_MODEL_CATALOG", str(catalog))
    handler.catalog = catalog  # type: ignore[attr-defined]
    yield handler
    httpd.shutdown()
    httpd.server_close()


def test_download_verifies_unpacks_and_lists(server: type[_Server], tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"KINDLY_MODEL_CATALOG": str(server.catalog), "KINDLY_DATA_DIR": str(data)}  # type: ignore[attr-defined]
    result = run_kindly("model", "download", env=env)
    assert result.returncode == 0, result.stderr
    assert "100%" in result.stderr.decode()
    target = data / "models" / NAME
    assert (target / "am" / "final.mdl").is_file() and not list((data / "models").glob(".*"))
    listing = run_kindly("model", "list", env=env).stdout.decode()
    assert NAME in listing and "vosk" in listing


def test_interrupted_download_resumes(server: type[_Server], tmp_path: Path) -> None:
    server.cut_after = 40_000
    folder = tmp_path / "models"
    with pytest.raises(ModelError, match="(?i)run the same command again"):
        models.download(None, folder)
    part = folder / f".{NAME}.zip.part"
    assert part.is_file() and part.stat().st_size == 40_000
    server.cut_after = None
    path = models.download(None, folder)
    assert server.ranges_seen == ["bytes=40000-"]
    assert (path / "graph" / "HCLG.fst").is_file() and not part.exists()


def test_damaged_download_is_deleted_and_reported(server: type[_Server], tmp_path: Path) -> None:
    server.payload = server.payload[:-10] + b"XXXXXXXXXX"
    folder = tmp_path / "models"
    with pytest.raises(ModelError, match="SHA-256"):
        models.download(None, folder)
    assert not list(folder.glob("*")) and not list(folder.glob(".*"))


def test_unknown_model_name_suggests_one(server: type[_Server], tmp_path: Path) -> None:
    result = run_kindly("model", "download", "vosk-model-tset-0.1", env={"KINDLY_MODEL_CATALOG": str(server.catalog), "KINDLY_DATA_DIR": str(tmp_path)})  # type: ignore[attr-defined]
    assert result.returncode == 2 and f"did you mean '{NAME}'" in result.stderr.decode().lower()
