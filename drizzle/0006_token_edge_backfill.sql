-- Hand-written: token_edge_hour is token_hour without the route, so what an existing database
-- already rolled up is its sum (from now on the compaction job computes it from token_minute).
-- Inserted in the order the job writes, so a destination's rows of an hour share pages; then
-- analysed, so the first views are planned on real counts.
INSERT INTO "token_edge_hour" (bucket, dst_service, src_service, token_id, requests, errors)
  SELECT bucket, dst_service, src_service, token_id, sum(requests), sum(errors)
  FROM "token_hour" GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
--> statement-breakpoint
ANALYZE "token_edge_hour";
