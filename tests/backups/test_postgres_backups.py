"""PostgreSQL specifics of `flask backup` / `flask restore` (trainer.backups.postgres): the client
tools and their version, the app's schema, the password kept off the command line, a restore that
gives up (changing nothing) while another transaction holds the tables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.engine import make_url

from tests.factories import Factories
from trainer.backups import postgres
from trainer.backups.format import BackupError
from trainer.courses.models import Course
from trainer.extensions import db

postgres_only = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL only")


def test_the_password_stays_off_the_command_line():
    url = make_url("postgresql+psycopg://trainer:s3cr%27et@db.example.vn:6543/trainer"
                   "?options=-csearch_path%3Dapp%20-cstatement_timeout%3D0&sslmode=require")
    conninfo, env = postgres.libpq(url)
    assert conninfo == ("host='db.example.vn' port='6543' dbname='trainer' user='trainer' "
                        "options='-csearch_path=app -cstatement_timeout=0' sslmode='require'")
    assert "s3cr" not in conninfo and env["PGPASSWORD"] == "s3cr'et"


def _fake_tools(directory: Path, version: str) -> Path:
    directory.mkdir()
    for name in postgres.TOOLS:
        tool = directory / name
        tool.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
        tool.chmod(0o755)
    return directory


@postgres_only
def test_a_pg_dump_older_than_the_server_is_named_with_both_versions(app, runner, tmp_path):
    server = db.session.execute(text("SHOW server_version")).scalar_one().split()[0]
    major = server.split(".")[0]
    app.config["PG_BIN_DIR"] = str(_fake_tools(tmp_path / "old", "9.6.24"))
    result = runner.invoke(args=["backup", "-o", str(tmp_path / "x.dump")])
    assert result.exit_code == 1
    assert f"Máy chủ PostgreSQL là phiên bản {server}" in result.output and "phiên bản 9" in result.output
    assert f"postgresql-client-{major}" in result.output
    assert not list(tmp_path.glob("*.dump")) and not list(tmp_path.glob(".x.dump*"))  # nothing half-written


@postgres_only
def test_missing_tools_are_named(app, runner, tmp_path):
    (tmp_path / "empty").mkdir()
    app.config["PG_BIN_DIR"] = str(tmp_path / "empty")
    result = runner.invoke(args=["backup", "-o", str(tmp_path / "x.dump")])
    assert result.exit_code == 1 and "Không tìm thấy pg_dump, pg_restore và psql" in result.output


@postgres_only
def test_the_tools_match_the_server(app):
    tools = postgres.find_tools(db.engine)
    assert tools.client_major >= tools.server_major
    assert all((tools.bin_dir / name).exists() for name in postgres.TOOLS)


@postgres_only
def test_a_backup_of_another_schema_is_refused(app, runner, f: Factories, tmp_path):
    f.tree()
    db.session.commit()
    backup = tmp_path / "trainer.dump"
    assert runner.invoke(args=["backup", "-o", str(backup)]).exit_code == 0
    url = make_url(os.environ["TEST_DATABASE_URL"])
    other = create_engine(url.update_query_dict({"options": "-csearch_path=trainer_other_schema"}))
    try:
        with other.begin() as conn:
            conn.execute(text("CREATE SCHEMA IF NOT EXISTS trainer_other_schema"))
        with pytest.raises(BackupError) as refused:
            postgres.restore(other, backup)
        assert refused.value.code == "wrong_schema" and "trainer_other_schema" in refused.value.message
    finally:
        with other.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS trainer_other_schema CASCADE"))
        other.dispose()


@postgres_only
def test_a_restore_gives_up_while_another_transaction_holds_the_tables(app, runner, f: Factories, tmp_path,
                                                                        monkeypatch):
    f.course(f.tree()["district"], title="Trước sao lưu")
    db.session.commit()
    backup = tmp_path / "trainer.dump"
    assert runner.invoke(args=["backup", "-o", str(backup)]).exit_code == 0
    db.session.execute(update(Course).values(title="Sau sao lưu"))
    db.session.commit()
    monkeypatch.setattr(postgres, "PG_LOCK_TIMEOUT", "200ms")
    with db.engine.connect() as holder:
        holder.execute(select(Course.id))  # an open transaction reading the table: a lock the restore waits for
        db.session.remove()
        result = runner.invoke(args=["restore", str(backup), "--yes"])
        holder.rollback()
    assert result.exit_code == 1 and "dừng ứng dụng" in result.output
    assert db.session.scalar(select(Course.title)) == "Sau sao lưu"  # unchanged
