CREATE INDEX "access_events_client_ip" ON "access_events" USING btree ("client_ip");--> statement-breakpoint
-- Hand-edited: the two trigram indexes need pg_trgm. PostgreSQL has it in contrib (a trusted
-- extension since 13: the migration role may create it); PGlite loads no extension, so there
-- CREATE EXTENSION fails, the indexes are left out and path wildcards and free text scan the
-- day partitions of the range instead. Same migration on both engines, as always.
DO $$
BEGIN
  BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): access_events_path_trgm and access_events_user_agent_trgm are not created', SQLERRM;
    RETURN;
  END;
  CREATE INDEX "access_events_path_trgm" ON "access_events" USING gin ("path" gin_trgm_ops);
  CREATE INDEX "access_events_user_agent_trgm" ON "access_events" USING gin ("user_agent" gin_trgm_ops);
END $$;
