"""Living with Kindly at home: settings file and layers, doctor on a machine without audio, the systemd unit."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from assistant import service, settings
from assistant.errors import UsageError
from tests.conftest import run_kindly


def test_settings_layers_in_order_of_precedence(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('break_minutes = 30\ncountry = "UK"\nvoice = "calm"\n')
    env = {"KINDLY_BREAK_MINUTES": "25", "KINDLY_COUNTRY": "CA"}
    merged = settings.load({"country": "US"}, env, config)
    assert (merged.break_minutes, merged.country, merged.voice, merged.engine) == (25, "US", "calm", "auto")


@pytest.mark.parametrize(
    ("values", "words"),
    [({"engine": "wisper"}, "setting 'engine'"), ({"listen_mode": "wak"}, "Did you mean 'wake'"),
     ({"break_minutes": "soon"}, "must be a int"), ({"wake_sensitivity": "2"}, "from 0 to 1"),
     ({"breathing_pattern": "squar"}, "box")],
)
def test_bad_values_name_the_setting_and_the_allowed_values(values: dict, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        settings.load(values, {}, Path("/nonexistent"))


def test_unknown_key_in_the_file_suggests_the_right_one(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("brake_minutes = 30\n")
    with pytest.raises(UsageError, match="Did you mean 'break_minutes'"):
        settings.load({}, {}, config)


def test_config_init_writes_a_commented_owner_only_file_that_loads(tmp_path: Path) -> None:
    config = tmp_path / "kindly" / "config.toml"
    env = {"KINDLY_CONFIG": str(config)}
    assert run_kindly("config", "init", env=env).returncode == 0
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    text = config.read_text()
    assert "# Default length of a cooldown break" in text and 'listen_mode = "wake"' in text
    assert settings.load({}, {}, config) == settings.Settings()
    again = run_kindly("config", "init", env=env)
    assert again.returncode == 2 and "--force" in again.stderr.decode()
    shown = run_kindly("config", "show", "--break-minutes", "40", env={**env, "KINDLY_COUNTRY": "UK"}).stdout.decode()
    assert "break_minutes = 40    # from command line" in shown and "country = 'GB'    # from KINDLY_COUNTRY" in shown
    assert "# support numbers in use: the United Kingdom (GB), from KINDLY_COUNTRY" in shown


def test_doctor_says_there_is_no_audio_device_and_exits_1(tmp_path: Path) -> None:
    result = run_kindly("doctor", env={"KINDLY_DATA_DIR": str(tmp_path), "KINDLY_CONFIG": str(tmp_path / "none.toml")}, timeout=180)
    out = result.stdout.decode()
    assert result.returncode == 1, out + result.stderr.decode()
    assert "✗ no microphone found" in out and "✗ no speaker found" in out
    assert "✓ speech engine" in out and "✓ database" in out and "✓ voice" in out and "✓ Python" in out
    assert b"Traceback" not in result.stderr


def test_service_unit_starts_at_boot_restarts_and_logs_to_the_journal(tmp_path: Path) -> None:
    text = service.unit_text("/home/pi/kindly/.venv/bin/python")
    assert "ExecStart=/home/pi/kindly/.venv/bin/python -m assistant listen" in text
    assert "Restart=on-failure" in text and "WantedBy=default.target" in text
    assert "StandardOutput" not in text  # stdout and stderr go to the journal by default
    unit = tmp_path / "kindly.service"
    unit.write_text(text.replace("/home/pi/kindly/.venv/bin/python", shutil.which("python3") or "/usr/bin/python3"))
    analyze = shutil.which("systemd-analyze")
    if analyze:  # it prints "kindly.service:LINE: …" for every line it cannot parse
        result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True)
        assert result.returncode == 0 and f"{unit}:" not in result.stderr, result.stderr


def test_service_install_and_uninstall_write_and_remove_the_user_unit(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path), "KINDLY_NO_SYSTEMCTL": "1"}
    assert run_kindly("service", "install", env=env).returncode == 0
    unit = tmp_path / "systemd" / "user" / "kindly.service"
    assert "-m assistant listen" in unit.read_text()
    assert run_kindly("service", "status", env=env).returncode == 0
    assert run_kindly("service", "uninstall", env=env).returncode == 0 and not unit.exists()
    assert run_kindly("service", "status", env=env).returncode == 1
