ALTER TABLE "audit_log" ADD COLUMN "key_id" text;--> statement-breakpoint
-- Hand-written (issue 9, database roles): the console's runtime role needs no DDL. The daily
-- partitions of access_events are created and dropped through these two functions, which run
-- with the rights of the role that ran the migrations (SECURITY DEFINER) and can do nothing
-- but that: the partition's name and bounds are computed from a date, never taken from the
-- caller. See docs/sql/ and README "Database roles".
CREATE FUNCTION "meshward_create_event_partition"(day date) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF access_events FOR VALUES FROM (%L) TO (%L)',
    'access_events_p' || to_char(day, 'YYYYMMDD'), (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
END $$;
--> statement-breakpoint
CREATE FUNCTION "meshward_drop_event_partition"(day date) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  EXECUTE format('DROP TABLE IF EXISTS %I', 'access_events_p' || to_char(day, 'YYYYMMDD'));
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "meshward_create_event_partition"(date) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "meshward_drop_event_partition"(date) FROM PUBLIC;
