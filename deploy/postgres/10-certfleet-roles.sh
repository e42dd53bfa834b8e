#!/bin/sh
# Runs once, when the postgres container initialises an empty volume (docker-entrypoint-initdb.d).
# POSTGRES_USER (certfleet) owns the database and runs the migrations (the `migrate` service);
# certfleet_app is the role the API connects as: it reads and writes data but owns nothing, so it
# cannot alter tables or disable the audit log's append-only trigger (docs/deployment.md).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_role="${CERTFLEET_DB_APP_ROLE:-certfleet_app}" \
  -v app_password="$CERTFLEET_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
SQL
