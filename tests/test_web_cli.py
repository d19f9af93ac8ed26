"""``reseau web``: the command starts the server, says where it is, stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from reseau.cli import run


def start(args: list[str]) -> subprocess.Popen:
    env = os.environ | {"PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    return subprocess.Popen([sys.executable, "-m", "reseau", "web", "--no-browser", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def read_url(process: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if "http://" in line:
            return line[line.index("http://"):].split()[0]
        if process.poll() is not None:
            break
    process.kill()
    pytest.fail(f"no address printed; stderr: {process.stderr.read()}")


@pytest.mark.may_skip  # another platform, not a missing tool
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_web_serves_the_model_and_stops_on_ctrl_c(model_file, tmp_path):
    path = shutil.copy(model_file, tmp_path / "model.safetensors")
    process = start(["--port", "0", "--model", str(path)])
    try:
        url = read_url(process)
        assert url.startswith("http://127.0.0.1:") and "token" not in url  # this computer only: no token
        info = httpx.get(url + "api/model", timeout=30).json()
        assert info["ready"] and info["path"] == str(path)
        assert httpx.get(url, timeout=30).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Serveur arrêté" in err and "Traceback" not in err


@pytest.mark.may_skip  # another platform, not a missing tool
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_open_to_the_network_the_printed_address_carries_a_token(model_file, tmp_path):
    path = shutil.copy(model_file, tmp_path / "model.safetensors")
    process = start(["--port", "0", "--host", "0.0.0.0", "--model", str(path)])
    try:
        url = read_url(process)
        base, _, token = url.partition("?token=")
        assert base.startswith("http://127.0.0.1:") and len(token) >= 32
        assert httpx.get(base + "api/model", timeout=30).status_code == 401  # without the token
        assert httpx.get(base, timeout=30).status_code == 401 and "terminal" in httpx.get(base, timeout=30).text
        with httpx.Client(timeout=30) as browser:
            assert 'http-equiv="refresh"' in browser.get(url).text  # the address as printed: sets the cookie
            assert browser.get(base).status_code == 200  # then the page
            assert browser.get(base + "api/model").json()["ready"]
            evil = browser.get(base + "api/model", headers={"Host": "evil.example"})
            assert evil.status_code == 400 and evil.json()["key"] == "web.error.bad_host"
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "--host 0.0.0.0" in err and "jeton" in err and "Traceback" not in err


def test_a_busy_port_is_a_clear_message(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code = run(["web", "--no-browser", "--port", str(port), "--model", "/nonexistent/model.safetensors"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"Le port {port}" in err and "--port" in err and "Traceback" not in err


def test_an_impossible_port_and_a_corrupt_model(tmp_path, capsys):
    assert run(["web", "--no-browser", "--port", "70000"]) == 2
    assert "70000" in capsys.readouterr().err
    bad = tmp_path / "model.safetensors"
    bad.write_bytes(b"\x00" * 64)
    assert run(["web", "--no-browser", "--port", "0", "--model", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err
    assert bad.read_bytes() == b"\x00" * 64  # not replaced behind the user's back


def test_help_is_in_french_and_english():
    french = subprocess.run([sys.executable, "-m", "reseau", "web", "--help"], capture_output=True, text=True,
                            env=os.environ | {"COLUMNS": "200"})
    english = subprocess.run([sys.executable, "-m", "reseau", "--lang", "en", "web", "--help"],
                             capture_output=True, text=True, env=os.environ | {"COLUMNS": "200"})
    assert "--no-browser" in french.stdout and "navigateur" in french.stdout
    assert "Do not open the browser" in english.stdout
