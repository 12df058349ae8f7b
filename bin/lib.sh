# Shared setup for bin/demo, bin/test and bin/setup. Sourced, not run.
#
# Everything here is idempotent: a second run finds the virtualenv, the
# PostgreSQL cluster and the system packages in place and only checks them.
#
# Environment overrides:
#   ODOO_SRC          Odoo 18.0 source tree (with odoo-bin); else an importable
#                     `odoo`, else /opt/odoo, else the official 18.0 source is
#                     downloaded into .data/odoo-src
#   SAFETY_VENV       virtualenv to use (default .venv)
#   SAFETY_DATA       data folder (default .data): PostgreSQL cluster, filestore, logs
#   SAFETY_PG_PORT    port of the embedded PostgreSQL cluster (default 54329)
#   SAFETY_NO_APT=1   never call apt-get; only say what is missing

set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${SAFETY_VENV:-$PROJECT_DIR/.venv}
DATA_DIR=${SAFETY_DATA:-$PROJECT_DIR/.data}
PG_PORT=${SAFETY_PG_PORT:-54329}
# The embedded cluster's folder (data, socket, logs): $DATA_DIR, or outside it (pg_location)
PG_HOME=$DATA_DIR
PG_DATA=$PG_HOME/pgdata
PG_RUN=$PG_HOME/pgrun
PG_LOG=$PG_HOME/postgresql.log
PG_OUTSIDE=/var/lib/school-safety
DB_ROLE=odoo
ODOO_CONF=$PROJECT_DIR/odoo.conf
ODOO_BRANCH_URL=https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz

suite_addons() {
    # Sets SUITE_ADDONS (comma-separated, as Odoo's -i/-u take them) and SUITE_ADDON_LIST
    # (array): the suite's addons, every folder of addons/ holding an installable
    # __manifest__.py, each after the suite's addons it depends on (read from the manifests'
    # depends). A new addon folder needs no change in bin/. Also SUITE_HOSTS: the host
    # modules, what they depend on outside the suite (hr, portal, ...), sorted. Run by
    # setup_all, once the virtualenv's Python is there.
    local listed
    listed=$("$VENV/bin/python" - "$PROJECT_DIR/addons" <<'PY'
import ast
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
depends = {}
for manifest in sorted(root.glob("*/__manifest__.py")):
    data = ast.literal_eval(manifest.read_text(encoding="utf-8"))
    if data.get("installable", True):
        depends[manifest.parent.name] = data.get("depends", [])
ordered = []


def visit(name, path):
    if name in ordered:
        return
    if name in path:
        sys.exit("dependency cycle between the addons: " + " -> ".join(path[path.index(name):] + [name]))
    for dep in depends[name]:
        if dep in depends:
            visit(dep, path + [name])
    ordered.append(name)


for name in depends:
    visit(name, [])
if not ordered:
    sys.exit(f"no addon (folder with a __manifest__.py) in {root}")
print(",".join(ordered))
print(",".join(sorted({dep for deps in depends.values() for dep in deps} - set(depends))))
PY
) || die "could not list the suite's addons in $PROJECT_DIR/addons"
    SUITE_ADDONS=${listed%%$'\n'*} SUITE_HOSTS=${listed#*$'\n'}
    IFS=, read -r -a SUITE_ADDON_LIST <<< "$SUITE_ADDONS"
}

say() { printf '\033[1m[safety]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[safety] error:\033[0m %s\n' "$*" >&2; exit 1; }

conf_value() {
    # conf_value KEY -> value of KEY in odoo.conf's [options] (empty if unset)
    sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$ODOO_CONF" | tail -n 1 | tr -d '\r'
}

embedded_db() {
    local v
    v=$(conf_value embedded_postgresql)
    [ -z "$v" ] || [ "$v" = "True" ] || [ "$v" = "true" ] || [ "$v" = "1" ]
}

apt_install() {
    # apt_install PKG... : install Debian packages when allowed, else explain.
    if [ "${SAFETY_NO_APT:-0}" = 1 ] || [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        die "missing system packages: $*. Install them (Debian: apt-get install $*) and run again."
    fi
    say "installing Debian packages: $*"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >"$DATA_DIR/apt.log" 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$DATA_DIR/apt.log" 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$DATA_DIR/apt.log" 2>&1 \
            || die "apt-get install $* failed, see $DATA_DIR/apt.log"
    fi
}

find_pg_bin() {
    local d
    for d in "${SAFETY_PG_BIN:-}" /usr/lib/postgresql/15/bin /usr/lib/postgresql/16/bin /usr/lib/postgresql/17/bin; do
        [ -n "$d" ] && [ -x "$d/postgres" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    return 1
}

ensure_system_packages() {
    mkdir -p "$DATA_DIR"
    local missing=()
    if embedded_db && ! find_pg_bin >/dev/null; then missing+=(postgresql-15); fi
    command -v psql >/dev/null || missing+=(postgresql-client-15)
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing+=(chromium)
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)
    fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)
    if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
}

find_odoo() {
    # Sets ODOO_ROOT to a directory holding the `odoo` package (and odoo-bin).
    if [ -n "${ODOO_SRC:-}" ]; then
        [ -d "$ODOO_SRC/odoo/addons/base" ] || die "ODOO_SRC=$ODOO_SRC does not hold an Odoo source tree"
        ODOO_ROOT=$ODOO_SRC; return
    fi
    local importable
    importable=$(python3 -c 'import os, odoo; print(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))))' 2>/dev/null || true)
    if [ -n "$importable" ] && [ -d "$importable/odoo/addons/base" ]; then ODOO_ROOT=$importable; return; fi
    if [ -d /opt/odoo/odoo/addons/base ]; then ODOO_ROOT=/opt/odoo; return; fi
    if [ -d "$DATA_DIR/odoo-src/odoo/addons/base" ]; then ODOO_ROOT=$DATA_DIR/odoo-src; return; fi
    say "no Odoo 18.0 found (ODOO_SRC, importable odoo, /opt/odoo): downloading the official 18.0 source"
    mkdir -p "$DATA_DIR/odoo-src.part"
    curl -fsSL "$ODOO_BRANCH_URL" | tar -xz -C "$DATA_DIR/odoo-src.part" --strip-components=1 \
        || die "could not download Odoo 18.0 from $ODOO_BRANCH_URL; set ODOO_SRC to an Odoo 18.0 source tree"
    mv "$DATA_DIR/odoo-src.part" "$DATA_DIR/odoo-src"
    ODOO_ROOT=$DATA_DIR/odoo-src
}

ensure_venv() {
    find_odoo
    grep -q "^version_info = (18, 0" "$ODOO_ROOT/odoo/release.py" || die "$ODOO_ROOT is not Odoo 18.0"
    [ -x "$VENV/bin/python" ] || { say "creating virtualenv $VENV"; python3 -m venv "$VENV"; }
    local site stamp want
    site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    # Odoo itself is made importable with a .pth file: it is not a package on any index.
    echo "$ODOO_ROOT" > "$site/odoo-src.pth"
    # Runtime setuptools: gevent 22.10 (Odoo's websocket worker with --workers) asks
    # pkg_resources for zope.interface, which only setuptools >= 75.8 finds under the
    # normalised names new wheels install (80 and later warn on every import of it).
    # Building old sdists still needs < 75 (below).
    local runtime_setuptools='setuptools>=75.8.2,<80'
    want=$( (cat "$ODOO_ROOT/requirements.txt" "$PROJECT_DIR/requirements.txt"; echo "$runtime_setuptools") | sha256sum | cut -c1-16)
    stamp=$VENV/.safety-requirements
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "installing Python requirements into $VENV (Odoo's, without python-ldap, and the project's)"
        local tmp
        tmp=$(mktemp -d)
        # Some of Odoo's pinned sdists still import pkg_resources while building.
        echo 'setuptools<75' > "$tmp/constraints.txt"
        grep -v -i '^python-ldap' "$ODOO_ROOT/requirements.txt" > "$tmp/odoo-requirements.txt"
        # The OCA addons declare a dependency on the `odoo` distribution, which no index
        # serves: they go in without dependencies, the rest with them.
        grep -v '^odoo-addon-' "$PROJECT_DIR/requirements.txt" > "$tmp/project-requirements.txt"
        grep '^odoo-addon-' "$PROJECT_DIR/requirements.txt" > "$tmp/oca-requirements.txt" || true
        PIP_CONSTRAINT="$tmp/constraints.txt" "$VENV/bin/pip" install -q --disable-pip-version-check \
            -r "$tmp/odoo-requirements.txt" -r "$tmp/project-requirements.txt" \
            2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2) \
            || die "pip install failed"
        "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r "$tmp/oca-requirements.txt" \
            2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2) \
            || die "pip install of the OCA addons failed"
        "$VENV/bin/pip" install -q --disable-pip-version-check "$runtime_setuptools" \
            2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2) \
            || die "pip install of $runtime_setuptools failed"
        rm -rf "$tmp"
        echo "$want" > "$stamp"
    fi
    "$VENV/bin/python" -c 'import odoo.release as r; assert r.version_info[:2] == (18, 0)' \
        || die "the virtualenv cannot import Odoo 18.0 from $ODOO_ROOT"
    OCA_ADDONS=$site/odoo/addons
    ADDONS_PATH=$PROJECT_DIR/addons,$OCA_ADDONS,$ODOO_ROOT/odoo/addons,$ODOO_ROOT/addons
}

pg_as_owner() {
    # Run a PostgreSQL server binary as the cluster owner (PostgreSQL refuses root).
    if [ "$(id -u)" = 0 ]; then
        # from /: the caller's folder may be closed to that user (pg_ctl would complain)
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    else
        "$@"
    fi
}

ensure_pg_user() {
    PG_OS_USER=$(id -un)
    if [ "$(id -u)" = 0 ]; then
        PG_OS_USER=${SAFETY_PG_OS_USER:-postgres}
        id "$PG_OS_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OS_USER"
    fi
}

pg_location() {
    # Sets PG_HOME, PG_DATA, PG_RUN and PG_LOG: where the embedded cluster lives.
    #
    # Run as root, the server runs as $PG_OS_USER, which must be able to enter every
    # folder above its data, socket and log. A clone in a folder closed to it (Debian's
    # /root is 0700) is out of its reach. Opening that folder (chmod of the user's home)
    # would open everything in it, so the cluster goes instead to a folder of its own,
    # owned by $PG_OS_USER, outside the clone: $PG_OUTSIDE/<hash of the real path of
    # $DATA_DIR>/, one per data folder, found again by the next run through the same hash.
    # Root's clients (psql, Odoo) reach its socket there. Clusters of earlier runs keep
    # being used where they are; a non-root user runs the server itself and always
    # reaches its own data folder.
    mkdir -p "$DATA_DIR"
    local real outside
    real=$(cd "$DATA_DIR" && pwd -P)
    PG_HOME=$real
    if [ "$(id -u)" = 0 ]; then
        outside=$PG_OUTSIDE/$(printf '%s' "$real" | sha256sum | cut -c1-12)
        if [ -s "$real/pgdata/PG_VERSION" ]; then
            runuser -u "$PG_OS_USER" -- test -x "$real" \
                || die "the $PG_OS_USER user cannot enter $DATA_DIR, which holds the PostgreSQL cluster of an earlier run: move $real/pgdata to $outside/pgdata (owned by $PG_OS_USER) and run again"
        elif [ -s "$outside/pgdata/PG_VERSION" ] || ! runuser -u "$PG_OS_USER" -- test -x "$(dirname "$real")"; then
            install -d -m 0755 "$PG_OUTSIDE"
            install -d -m 0700 -o "$PG_OS_USER" "$outside"
            echo "$real" > "$outside/data-dir"  # whose cluster this is, for whoever looks here
            # empty folders a run of an earlier version failed to initialise
            rmdir "$real/pgdata" "$real/pgrun" 2>/dev/null || true
            PG_HOME=$outside
            if runuser -u "$PG_OS_USER" -- test -x "$(dirname "$real")"; then
                say "the PostgreSQL cluster of $DATA_DIR lives in $outside (made there when the $PG_OS_USER user could not enter $DATA_DIR)"
            else
                say "the $PG_OS_USER user cannot enter $DATA_DIR (a folder above it is closed to it): its PostgreSQL cluster lives in $outside"
            fi
        fi
    fi
    PG_DATA=$PG_HOME/pgdata PG_RUN=$PG_HOME/pgrun PG_LOG=$PG_HOME/postgresql.log
}

start_postgres() {
    # start_postgres [--no-fsync] : the embedded cluster (own data folder, own port, Unix
    # socket only), started unless it already runs.
    #
    # It holds every database of the data folder, the demo's among them, so it is started
    # crash-safe. Only runs whose databases are thrown away (bin/test, bin/bench) pass
    # --no-fsync: fsync, synchronous_commit and full_page_writes off, much faster, but an
    # OS crash or power loss while it runs can corrupt the whole cluster. A cluster already
    # running is used as it is, never restarted: it may be serving someone else's run.
    local no_fsync=0
    case "${1:-}" in
        --no-fsync) no_fsync=1 ;;
        "") ;;
        *) die "start_postgres: unknown option $1" ;;
    esac
    embedded_db || { DB_ARGS=(); say "using the database server configured in odoo.conf"; return; }
    local bin
    bin=$(find_pg_bin) || die "PostgreSQL server binaries not found (Debian: apt-get install postgresql-15)"
    ensure_pg_user
    pg_location
    mkdir -p "$PG_RUN"
    if [ "$(id -u)" = 0 ]; then chown "$PG_OS_USER" "$PG_HOME" "$PG_RUN"; fi
    if [ ! -s "$PG_DATA/PG_VERSION" ]; then
        say "creating the embedded PostgreSQL cluster in $PG_DATA"
        rm -rf "$PG_DATA"
        mkdir -p "$PG_DATA"
        [ "$(id -u)" = 0 ] && chown "$PG_OS_USER" "$PG_DATA"
        pg_as_owner "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_HOME/initdb.log" 2>&1 \
            || die "initdb failed, see $PG_HOME/initdb.log"
    fi
    if ! pg_as_owner "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        local opts="-c listen_addresses='' -c unix_socket_directories='$PG_RUN' -p $PG_PORT -c max_connections=200 -c shared_buffers=512MB"
        [ "$no_fsync" = 1 ] && opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        [ "$(id -u)" = 0 ] && touch "$PG_LOG" && chown "$PG_OS_USER" "$PG_LOG"
        pg_as_owner "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start -o "$opts" \
            >/dev/null || die "PostgreSQL did not start, see $PG_LOG"
        PG_STARTED_HERE=1 PG_STARTED_NO_FSYNC=$no_fsync
    else
        local fsync
        fsync=$(psql -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres -tAq -c 'SHOW fsync' 2>/dev/null || true)
        if [ "$no_fsync" = 0 ] && [ "$fsync" = off ]; then
            say "the PostgreSQL cluster of $DATA_DIR already runs with fsync off (started by a test or benchmark run still going): left as it is (it stops when that run ends: start again then to have it crash-safe)"
        elif [ "$no_fsync" = 1 ] && [ "$fsync" = on ]; then
            say "the PostgreSQL cluster of $DATA_DIR already runs crash-safe (fsync on, e.g. for bin/demo): used as it is, which is slower"
        fi
    fi
    psql -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres -tAq -c \
        "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_ROLE') THEN CREATE ROLE $DB_ROLE LOGIN CREATEDB; END IF; END\$\$;" \
        || die "could not create the database role $DB_ROLE"
    DB_ARGS=(--db_host "$PG_RUN" --db_port "$PG_PORT" --db_user "$DB_ROLE")
    export PGHOST=$PG_RUN PGPORT=$PG_PORT PGUSER=$DB_ROLE
}

stop_postgres() {
    # Stop the embedded cluster if this script started it.
    if [ "${PG_STARTED_HERE:-0}" = 1 ]; then
        local bin
        bin=$(find_pg_bin)
        pg_as_owner "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
        # without fsync, its last writes may still be only in the OS cache: flush them, so
        # that the next (crash-safe) start does not find the cluster torn by a later crash
        if [ "${PG_STARTED_NO_FSYNC:-0}" = 1 ]; then sync -f "$PG_DATA" 2>/dev/null || sync; fi
        PG_STARTED_HERE=0
    fi
}

setup_all() {
    # setup_all [--no-fsync] : everything a command needs; --no-fsync: see start_postgres
    mkdir -p "$DATA_DIR"
    ensure_system_packages
    ensure_venv
    suite_addons
    runtime_conf
    start_postgres "$@"
}

runtime_conf() {
    # The configuration Odoo runs with: odoo.conf plus this installation's own random master
    # password (odoo.conf ships none: Odoo's default would be "admin"). Made again on each run,
    # so edits to odoo.conf apply; only the owner reads either file.
    local secret=$DATA_DIR/master-password
    mkdir -p "$DATA_DIR"
    if [ ! -s "$secret" ]; then
        (umask 077; "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(24))' > "$secret")
    fi
    RUNTIME_CONF=$DATA_DIR/odoo.conf
    (umask 077; { cat "$ODOO_CONF"; echo; echo "admin_passwd = $(cat "$secret")"; } > "$RUNTIME_CONF")
}

odoo_cmd() {
    # odoo_cmd ARGS... : run Odoo from the virtualenv with the project's configuration.
    odoo_entry -m odoo -- "$@"
}

odoo_entry() {
    # odoo_entry ENTRY... -- ARGS... : odoo_cmd through another entry point than `-m odoo`
    # (a script taking Odoo's server arguments after its own, such as bin/host_tests.py).
    local entry=()
    while [ "$1" != -- ]; do entry+=("$1"); shift; done
    shift
    [ -n "${RUNTIME_CONF:-}" ] || runtime_conf
    TZ=UTC "$VENV/bin/python" "${entry[@]}" -c "$RUNTIME_CONF" --addons-path "$ADDONS_PATH" \
        --data-dir "$DATA_DIR/filestore" "${DB_ARGS[@]}" "$@"
}
