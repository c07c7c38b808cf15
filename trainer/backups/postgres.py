"""PostgreSQL backups: `pg_dump --format=custom` of the app's schema, restored in one transaction.

The app's schema is the one its connections use: `public`, or the schema named by
`options=-csearch_path=...` in the database URL (the tests run in a schema of their own). pg_dump
reads it in one snapshot, like any transaction, while the app writes.

A restore empties that schema (every table, view, sequence, function and type of the app, not the
schema itself, which may belong to another role) and loads the archive in ONE transaction:
`pg_restore --no-owner --no-privileges` writes the SQL, `psql --single-transaction` runs it after the
emptying. A failure leaves the database as it was, and tables that a later migration added do not
survive next to the restored ones. Sequences (their current values) and the attended-hours triggers
come back with the data. A transaction left open on the app's tables makes the restore give up after
PG_LOCK_TIMEOUT rather than wait for ever.

The binaries come from TRAINER_PG_BIN_DIR, else /usr/lib/postgresql/<server major>/bin, else PATH,
else the newest /usr/lib/postgresql/*/bin. A pg_dump older than the server cannot read it: said
plainly, with the package to install.
"""

# ruff: noqa: S603 - the programs are pg_dump, pg_restore and psql of find_tools, run without a shell

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import URL, Engine

from trainer.backups.format import BackupError, check_core_tables

PG_LOCK_TIMEOUT = "30s"
TOOLS = ("pg_dump", "pg_restore", "psql")
TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ", re.MULTILINE)
TOC_SCHEMA = re.compile(r"^\d+; \d+ \d+ (SCHEMA - |COMMENT - SCHEMA )")
TOC_SOURCE = re.compile(r"^;\s+Dumped from database version: (\d+)", re.MULTILINE)
CLIENT_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")  # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
MAJOR = re.compile(r"\d+")


@dataclass(frozen=True)
class Tools:
    """The client programs to use, and the versions they were matched against."""

    bin_dir: Path
    client_major: int
    server_major: int
    server_version: str

    def __call__(self, name: str) -> str:
        return str(self.bin_dir / name)


def _major(version: str) -> int:
    match = MAJOR.search(version)
    return int(match.group()) if match else 0


def _client_major(pg_dump: Path) -> int:
    try:
        answer = subprocess.run([str(pg_dump), "--version"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise BackupError("no_pg_dump", f"Không chạy được {pg_dump}: {exc}.") from exc
    match = CLIENT_VERSION.search(answer.stdout)
    return int(match.group(1)) if match else 0


def find_tools(engine: Engine) -> Tools:
    """pg_dump, pg_restore and psql of one directory, able to read the server. Raises BackupError."""
    with engine.connect() as conn:
        server_version = conn.execute(text("SHOW server_version")).scalar_one()
    server_major = _major(server_version)
    configured = current_app.config.get("PG_BIN_DIR")
    if configured:
        candidates = [Path(configured)]
    else:
        on_path = shutil.which("pg_dump")
        candidates = [Path(f"/usr/lib/postgresql/{server_major}/bin"), *([Path(on_path).parent] if on_path else []),
                      *sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _major(p.parent.name),
                              reverse=True)]
    found = next((d for d in candidates if all((d / name).exists() for name in TOOLS)), None)
    if found is None:
        where = configured or "PATH, /usr/lib/postgresql/*/bin"
        raise BackupError("no_pg_dump", f"Không tìm thấy pg_dump, pg_restore và psql ({where}): cài gói "
                                        f"postgresql-client-{server_major} hoặc đặt TRAINER_PG_BIN_DIR.")
    client_major = _client_major(found / "pg_dump")
    if client_major < server_major:
        raise BackupError("pg_version_mismatch",
                          f"Máy chủ PostgreSQL là phiên bản {server_version}, còn pg_dump ở {found} là phiên bản "
                          f"{client_major}: pg_dump cũ hơn máy chủ không sao lưu, khôi phục được. Cài gói "
                          f"postgresql-client-{server_major} hoặc đặt TRAINER_PG_BIN_DIR.")
    return Tools(found, client_major, server_major, server_version)


def libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The connection string (keyword=value, without the password) and the environment for libpq's tools."""
    def quoted(value: object) -> str:
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

    params: dict[str, object] = {"host": url.host, "port": url.port, "dbname": url.database, "user": url.username}
    for key, value in url.query.items():  # options, sslmode...: libpq's own keywords
        params[key] = value[-1] if isinstance(value, tuple) else value
    conninfo = " ".join(f"{key}={quoted(value)}" for key, value in params.items() if value not in (None, ""))
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where `ps` would show it
    return conninfo, env


def app_schema(engine: Engine) -> str:
    """The schema the app's tables live in (the first of its search_path)."""
    with engine.connect() as conn:
        return conn.execute(text("SELECT current_schema()")).scalar_one()


def _run(args: list[str], env: dict[str, str], program: str) -> str:
    answer = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    if answer.returncode != 0:
        raise BackupError(f"{program.replace('_', '')}_failed",
                          f"{program} thất bại: {answer.stderr.strip()[-2000:]}")
    return answer.stdout


def contents(tools: Tools, archive: Path, env: dict[str, str]) -> tuple[str, set[str], str]:
    """The archive's schema, its tables and its table of contents, checked. Raises BackupError."""
    answer = subprocess.run([tools("pg_restore"), "--list", str(archive)], capture_output=True, text=True, env=env,
                            check=False)
    if answer.returncode != 0:
        raise BackupError("damaged_backup", f"pg_restore {tools.client_major} không đọc được {archive} (tệp hỏng, "
                                            f"hoặc do pg_dump mới hơn tạo ra): {answer.stderr.strip()[-1000:]}")
    entries = TOC_TABLE.findall(answer.stdout)
    schemas = {schema for schema, _ in entries}
    tables = {table for _, table in entries}
    check_core_tables(tables, archive, "postgresql")
    if len(schemas) != 1:
        raise BackupError("not_a_backup", f"{archive} chứa nhiều schema ({', '.join(sorted(schemas))}): không phải "
                                          "bản sao lưu do `flask backup` tạo.")
    return schemas.pop(), tables, answer.stdout


def backup(engine: Engine, target: Path) -> list[str]:
    """pg_dump the app's schema into `target`; notes for the operator. Raises BackupError."""
    tools = find_tools(engine)
    conninfo, env = libpq(engine.url)
    pattern = '"' + app_schema(engine).replace('"', '""') + '"'  # the name itself, not a pattern
    _run([tools("pg_dump"), "--format=custom", f"--schema={pattern}", "--lock-wait-timeout=60000",
          f"--file={target}", f"--dbname={conninfo}"], env, "pg_dump")
    contents(tools, target, env)
    if tools.client_major > tools.server_major:
        return [f"pg_dump {tools.client_major} đã sao lưu máy chủ PostgreSQL {tools.server_version}: khôi phục "
                f"tệp này cần pg_restore {tools.client_major} trở lên."]
    return []


# Empties the app's schema inside the restore's transaction (see the module). Every statement is
# written before the first runs: a name read after a CASCADE removed its object would be a number.
EMPTY_SCHEMA = """
SET client_min_messages = warning;
SET lock_timeout = '{lock_timeout}';
DO $trainer_restore$
DECLARE
    target oid := {schema}::regnamespace;
    statements text[];
    statement text;
BEGIN
    SELECT array_agg(format('DROP %s IF EXISTS %s CASCADE', kind, name) ORDER BY step) INTO statements FROM (
        SELECT 1 AS step, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                         WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                                         ELSE 'TABLE' END AS kind, c.oid::regclass::text AS name
        FROM pg_class AS c
        WHERE c.relnamespace = target AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = c.oid AND d.deptype IN ('e', 'i', 'a'))
        UNION ALL
        SELECT 2, CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
               p.oid::regprocedure::text
        FROM pg_proc AS p
        WHERE p.pronamespace = target
          AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = p.oid AND d.deptype = 'e')
        UNION ALL
        SELECT 3, CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype::text
        FROM pg_type AS t
        WHERE t.typnamespace = target AND t.typtype IN ('e', 'd', 'c', 'r')
          AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
          AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = t.oid AND d.deptype = 'e')
    ) AS objects;
    FOREACH statement IN ARRAY coalesce(statements, ARRAY[]::text[]) LOOP
        EXECUTE statement;
    END LOOP;
END
$trainer_restore$;
"""


def restore(engine: Engine, source: Path) -> tuple[set[str], list[str]]:
    """Replace the app's schema by the archive `source`: (the tables restored, notes). Raises BackupError."""
    tools = find_tools(engine)
    conninfo, env = libpq(engine.url)
    schema = app_schema(engine)
    saved_schema, tables, listing = contents(tools, source, env)
    if saved_schema != schema:
        raise BackupError("wrong_schema", f"{source} là bản sao lưu của schema “{saved_schema}”, còn ứng dụng dùng "
                                          f"schema “{schema}”: đặt search_path của ứng dụng cho khớp.")
    notes = []
    source_major = TOC_SOURCE.search(listing)
    if source_major and int(source_major.group(1)) != tools.server_major:
        notes.append(f"Bản sao lưu lấy từ máy chủ PostgreSQL {source_major.group(1)}, khôi phục vào "
                     f"{tools.server_version}.")
    handle, name = tempfile.mkstemp(prefix="trainer-restore-", suffix=".list")
    list_file = Path(name)
    with os.fdopen(handle, "w") as file:  # the schema itself is kept, its objects are replaced
        file.write("\n".join(line for line in listing.splitlines() if not TOC_SCHEMA.match(line)) + "\n")
    empty = EMPTY_SCHEMA.format(lock_timeout=PG_LOCK_TIMEOUT, schema="'" + schema.replace("'", "''") + "'")
    try:
        dump = subprocess.Popen([tools("pg_restore"), "--no-owner", "--no-privileges", f"--use-list={list_file}",
                                 "--file=-", str(source)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        load = subprocess.run([tools("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
                               f"--command={empty}", "--file=-", f"--dbname={conninfo}"],
                              stdin=dump.stdout, capture_output=True, text=True, env=env, check=False)
        assert dump.stdout is not None and dump.stderr is not None
        dump.stdout.close()
        with dump.stderr:
            dump_errors = dump.stderr.read().decode(errors="replace").strip()
        dump.wait()
    finally:
        list_file.unlink(missing_ok=True)
    # psql's failure first: when it stops (a lock it waited for too long), pg_restore, still writing into the
    # closed pipe, fails too, and says nothing of why.
    if load.returncode != 0:
        detail = load.stderr.strip()[-2000:]
        if "lock timeout" in detail:
            raise BackupError("database_busy", "Một kết nối khác đang giữ một giao dịch mở trên các bảng: dừng ứng "
                                               "dụng rồi khôi phục lại. Cơ sở dữ liệu không đổi.")
        raise BackupError("restore_failed", f"Khôi phục thất bại, cơ sở dữ liệu không đổi: {detail}")
    if dump.returncode != 0:
        raise BackupError("restore_failed", f"pg_restore thất bại, cơ sở dữ liệu không đổi: {dump_errors[-2000:]}")
    return tables, notes
