"""What running replicas behind nginx needs, without starting them (tests/browser/test_replicas_browser.py
does): the configuration made from deploy/nginx.conf.template, the launcher's checks, and a fresh
session that a reconnecting browser reaches after its replica died."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from deploy import classroom
from deploy.classroom import COMPOSE_CONF, COMPOSE_SERVERS, Classroom, render, upload_limit_mb

REPO = Path(__file__).resolve().parents[2]
SERVERS = ["127.0.0.1:8081", "127.0.0.1:8082"]


def test_the_compose_configuration_is_the_template_filled_in():
    assert COMPOSE_CONF.read_text() == render("80", COMPOSE_SERVERS), (
        "deploy/nginx.conf is out of date: run `python -m deploy.classroom --compose`"
    )


def test_every_replica_is_an_upstream_with_passive_health_checks():
    conf = render("127.0.0.1:8080", SERVERS, max_fails=2, fail_timeout_s=7)
    assert re.findall(r"server (\S+) max_fails=2 fail_timeout=7s;", conf) == SERVERS
    assert "listen 127.0.0.1:8080;" in conf
    assert "proxy_next_upstream error timeout" in conf
    assert "@" not in re.sub(r"#.*", "", conf)  # every placeholder filled


def test_browsers_stick_by_a_route_cookie_not_by_address():
    conf = re.sub(r"#.*", "", render("8080", SERVERS))
    assert "ip_hash" not in conf
    assert "hash $losslab_route consistent;" in conf
    assert re.search(r'map \$cookie_losslab_route \$losslab_route \{\s*""\s+\$request_id;', conf)
    assert "add_header Set-Cookie $losslab_set_route;" in conf


def test_the_websocket_is_upgraded_and_kept_open():
    conf = render("8080", SERVERS)
    stream = conf.split("location = /_stcore/stream {", 1)[1].split("}", 1)[0]
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $connection_upgrade;" in stream
    assert "proxy_read_timeout 1d;" in stream
    # nginx inherits no proxy_set_header into a location that sets its own: the WebSocket, where
    # the app reads the browser's address and host, must set them again.
    for header in ("Host $http_host", "X-Forwarded-For $proxy_add_x_forwarded_for", "X-Real-IP $remote_addr"):
        assert f"proxy_set_header {header};" in stream


def test_the_upload_limit_is_the_apps(tmp_path):
    assert f"client_max_body_size {upload_limit_mb()}m;" in render("8080", SERVERS)
    config = tmp_path / "config.toml"
    config.write_text("[server]\nmaxUploadSize = 3\n")
    assert upload_limit_mb(config) == 3
    config.write_text("[client]\n")
    assert upload_limit_mb(config) == 200  # Streamlit's default


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="at least one replica"):
        render("8080", [])
    with pytest.raises(ValueError, match="replicas must be between 1 and 16"):
        Classroom(0)
    with pytest.raises(ValueError, match="port must leave room"):
        Classroom(2, 80)


@pytest.mark.skipif(shutil.which("nginx", path="/usr/sbin:/usr/bin") is None, reason="nginx is not installed")
def test_nginx_accepts_the_generated_configuration(tmp_path):
    (tmp_path / "losslab.conf").write_text(render("127.0.0.1:18999", SERVERS))
    (tmp_path / "nginx.conf").write_text(classroom.MAIN_CONF.format(run=tmp_path))
    cmd = [
        classroom.find_nginx(),
        "-t",
        "-e",
        "stderr",
        "-p",
        str(tmp_path),
        "-c",
        str(tmp_path / "nginx.conf"),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_without_nginx_the_launcher_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setattr(classroom, "find_nginx", lambda: None)
    assert classroom.main(["--replicas", "2", "--port", "18990"]) == 1
    assert "apt-get install nginx" in capsys.readouterr().err


def test_replicas_share_the_cookie_secret_and_the_store(monkeypatch):
    monkeypatch.delenv("LOSSLAB_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOSSLAB_COOKIE_SECRET", "the-same-everywhere")
    monkeypatch.setenv("LOSSLAB_DATA_DIR", "some/dir")
    env = Classroom(2, 18990).env()
    assert env["STREAMLIT_SERVER_COOKIE_SECRET"] == "the-same-everywhere"
    assert env["LOSSLAB_DATA_DIR"] == str((Path.cwd() / "some/dir").resolve())
    monkeypatch.delenv("LOSSLAB_COOKIE_SECRET")
    assert len(Classroom(2, 18990).secret) == 64  # a fresh secret per run, for all its replicas


# ---- a replica died: its browser reconnects to a fresh session ----------------------------------------


def losses_session(**params: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page("app_pages/losses.py")
    return at


def svm_loss(at: AppTest) -> str:
    return at.metric[0].value


def test_a_fresh_session_takes_the_widget_values_a_reconnecting_browser_sends():
    """The browser's toggle click reaches a session that has never run (its own died): the click
    counts, the other widgets keep what they showed, and the URL follows."""
    dead = losses_session(margin="2").run()
    dead.toggle(key="losses.squared").set_value(True)
    sent = dead._tree.get_widget_states()  # what the browser sends with the click

    fresh = losses_session(margin="2")
    fresh._run(widget_state=sent)  # AppTest's own entry for a run carrying widget values
    assert not fresh.exception
    assert fresh.toggle(key="losses.squared").value is True
    assert fresh.slider(key="losses.margin").value == 2.0
    assert fresh.query_params["squared"] == "1"
    assert fresh.query_params["margin"] == "2"
    assert svm_loss(fresh) == svm_loss(losses_session(margin="2", squared="1").run())
    assert svm_loss(fresh) != svm_loss(losses_session(margin="2").run())


def test_a_fresh_session_without_widget_values_still_reads_the_url():
    at = losses_session(margin="2", squared="1").run()
    assert at.toggle(key="losses.squared").value is True
    assert at.slider(key="losses.margin").value == 2.0
