"""Where the store keeps its data: the SQLite default (WAL, busy timeout), URLs from the environment,
PostgreSQL URLs mapped to psycopg 3; and the package's doctests."""

from __future__ import annotations

import doctest
import importlib

import pytest

from classroom import open_store
from classroom.backend import REPO, database_url


def test_the_default_is_sqlite_in_the_data_dir_which_is_created(tmp_path, monkeypatch):
    monkeypatch.delenv("LOSSLAB_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOSSLAB_DATA_DIR", str(tmp_path / "new" / "dir"))
    assert database_url() == f"sqlite:///{tmp_path / 'new' / 'dir' / 'classroom.sqlite3'}"
    store = open_store()
    try:
        code, _ = store.create_class()
        assert (tmp_path / "new" / "dir" / "classroom.sqlite3").is_file()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.dispose()
    again = open_store()  # a second process's store finds the same class
    try:
        assert again.join(code, "client") == code
    finally:
        again.dispose()


def test_without_data_dir_the_file_is_in_the_repos_data_folder(monkeypatch):
    monkeypatch.delenv("LOSSLAB_DATABASE_URL", raising=False)
    monkeypatch.delenv("LOSSLAB_DATA_DIR", raising=False)
    assert database_url() == f"sqlite:///{REPO / 'data' / 'classroom.sqlite3'}"


def test_the_environment_url_wins_and_postgresql_urls_use_psycopg(tmp_path, monkeypatch):
    monkeypatch.setenv("LOSSLAB_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    assert database_url() == f"sqlite:///{tmp_path / 'env.sqlite3'}"
    assert database_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert database_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
    for bad in ("mysql://h/db", "sqlite://", "/etc/passwd", 42):
        with pytest.raises(ValueError, match="url must"):
            database_url(bad)


@pytest.mark.parametrize("module", ["classroom.checks", "classroom.backend", "classroom.store"])
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0


def test_without_postgresqls_binaries_the_reason_names_the_package(monkeypatch):
    from tests.classroom import postgres

    monkeypatch.setattr(postgres.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(postgres.shutil, "which", lambda name: None)
    assert postgres.find_postgres() == (None, postgres.MISSING)
    assert "apt-get install postgresql" in postgres.MISSING
