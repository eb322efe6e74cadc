-- Meshward on PostgreSQL with two roles (README "Database roles"). Run once, as a superuser
-- (or a role with CREATEROLE and CREATEDB), in the database Meshward will use:
--
--   psql -v ON_ERROR_STOP=1 -d meshward -f docs/sql/roles.sql
--
-- meshward_owner  owns the schema; runs `npm run meshward -- migrate` before each upgrade.
--                 Its credentials stay with whoever deploys, never with the running console.
-- meshward_app    the console's runtime role (MESHWARD_MIGRATE=off): reads and writes data,
--                 appends to audit_log, no DDL, no UPDATE/DELETE/TRUNCATE on audit_log, and —
--                 not owning audit_log — cannot disable or drop its append-only triggers.
--
-- Then give both a password (ALTER ROLE … PASSWORD), run the migrations as meshward_owner,
-- and docs/sql/grants.sql as meshward_owner after every migration.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'meshward_owner') THEN
    CREATE ROLE meshward_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'meshward_app') THEN
    CREATE ROLE meshward_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
  END IF;
END $$;

-- The owner creates the schema's objects (and the `drizzle` schema that records migrations).
DO $$ BEGIN EXECUTE format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO meshward_owner', current_database()); END $$;
DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO meshward_app', current_database()); END $$;
DO $$ BEGIN EXECUTE format('REVOKE CREATE, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); END $$;
ALTER SCHEMA public OWNER TO meshward_owner;
-- Nobody else creates objects in it (PostgreSQL before 15 let every role do so).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
