-- Hand-written: the actor keys of an access event, for its GIN index (db/schema/access-events.ts):
-- 's:' calling service, 't:' token, 'u:' user, 'i:' client IP (host form). Immutable, as an
-- index expression must be; NULL actors are left out.
CREATE FUNCTION "mw_event_actors"(src text, token text, usr text, ip inet) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_remove(array['s:' || src, 't:' || token, 'u:' || usr, 'i:' || host(ip)], NULL)
$$;
