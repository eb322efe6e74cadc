-- The runtime role's rights (README "Database roles"). Run as meshward_owner after every
-- `npm run meshward -- migrate` (idempotent: new tables get their grants, nothing else changes):
--
--   psql -v ON_ERROR_STOP=1 -d meshward -U meshward_owner -f docs/sql/grants.sql
GRANT USAGE ON SCHEMA public TO meshward_app;
-- which migrations the database has: the console checks it at start (MESHWARD_MIGRATE=off)
GRANT USAGE ON SCHEMA drizzle TO meshward_app;
GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO meshward_app;
-- data: read and write rows, no DDL (no CREATE on the schema, owns nothing)
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO meshward_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO meshward_app;
-- the audit log: read and append, never change or remove
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM meshward_app;
-- daily event partitions are created and dropped only through these (SECURITY DEFINER) functions
GRANT EXECUTE ON FUNCTION meshward_create_event_partition(date), meshward_drop_event_partition(date) TO meshward_app;
