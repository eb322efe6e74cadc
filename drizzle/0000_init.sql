CREATE TABLE "sign_in_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"email" text NOT NULL,
	"ip" text NOT NULL,
	"success" boolean NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"role" text NOT NULL,
	"password_hash" text,
	"auth_provider" text DEFAULT 'credentials' NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	"sessions_valid_after" timestamp with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('viewer', 'analyst', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "proxies" (
	"id" text PRIMARY KEY NOT NULL,
	"token_id" text NOT NULL,
	"service" text,
	"cluster" text,
	"node" text,
	"version" text,
	"policy_revision" text,
	"interval_s" integer DEFAULT 30 NOT NULL,
	"counters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"last_heartbeat_at" timestamp with time zone,
	"last_event_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "proxy_minute_stats" (
	"proxy_id" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"events" integer NOT NULL,
	CONSTRAINT "proxy_minute_stats_proxy_id_minute_pk" PRIMARY KEY("proxy_id","minute")
);
--> statement-breakpoint
CREATE TABLE "proxy_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "proxy_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE SEQUENCE "access_events_id_seq" CACHE 100;
--> statement-breakpoint
-- Hand-edited: access events are range-partitioned by day on "ts"; daily partitions are
-- created ahead (and on demand for backfills) and dropped by the retention job,
-- see server/maintenance/partitions.ts.
CREATE TABLE "access_events" (
	"id" bigint DEFAULT nextval('access_events_id_seq') NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"proxy_id" text NOT NULL,
	"request_id" text NOT NULL,
	"source" text NOT NULL,
	"cluster" text,
	"namespace" text,
	"src_service" text NOT NULL,
	"dst_service" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"route" text NOT NULL,
	"query" text,
	"status" smallint NOT NULL,
	"response_flags" text,
	"duration_ms" double precision,
	"bytes_in" bigint,
	"bytes_out" bigint,
	"client_ip" "inet",
	"server_address" text,
	"user_agent" text,
	"protocol" text,
	"token_id" text,
	"user_id" text,
	"mtls" boolean,
	"sensitive" jsonb,
	"sample" text,
	CONSTRAINT "access_events_ts_proxy_id_request_id_pk" PRIMARY KEY("ts","proxy_id","request_id")
) PARTITION BY RANGE ("ts");
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"actor_id" text,
	"actor_email" text,
	"actor_role" text,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"source_ip" text,
	"request_id" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "edge_hour" (
	"bucket" timestamp with time zone NOT NULL,
	"src_service" text NOT NULL,
	"dst_service" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"client_errors" integer DEFAULT 0 NOT NULL,
	"mtls" integer DEFAULT 0 NOT NULL,
	"bytes_in" bigint DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	"latency" integer[] NOT NULL,
	"latency_sum_ms" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "edge_hour_bucket_src_service_dst_service_pk" PRIMARY KEY("bucket","src_service","dst_service")
);
--> statement-breakpoint
CREATE TABLE "edge_minute" (
	"bucket" timestamp with time zone NOT NULL,
	"src_service" text NOT NULL,
	"dst_service" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"client_errors" integer DEFAULT 0 NOT NULL,
	"mtls" integer DEFAULT 0 NOT NULL,
	"bytes_in" bigint DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	"latency" integer[] NOT NULL,
	"latency_sum_ms" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "edge_minute_bucket_src_service_dst_service_pk" PRIMARY KEY("bucket","src_service","dst_service")
);
--> statement-breakpoint
CREATE TABLE "edge_route_hour" (
	"bucket" timestamp with time zone NOT NULL,
	"src_service" text NOT NULL,
	"dst_service" text NOT NULL,
	"method" text NOT NULL,
	"route" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"client_errors" integer DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "edge_route_hour_bucket_src_service_dst_service_method_route_pk" PRIMARY KEY("bucket","src_service","dst_service","method","route")
);
--> statement-breakpoint
CREATE TABLE "edge_route_minute" (
	"bucket" timestamp with time zone NOT NULL,
	"src_service" text NOT NULL,
	"dst_service" text NOT NULL,
	"method" text NOT NULL,
	"route" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"client_errors" integer DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "edge_route_minute_bucket_src_service_dst_service_method_route_pk" PRIMARY KEY("bucket","src_service","dst_service","method","route")
);
--> statement-breakpoint
CREATE TABLE "sensitive_edge_hour" (
	"bucket" timestamp with time zone NOT NULL,
	"src_service" text NOT NULL,
	"dst_service" text NOT NULL,
	"data_class" text NOT NULL,
	"direction" text NOT NULL,
	"matches" integer DEFAULT 0 NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sensitive_edge_hour_bucket_src_service_dst_service_data_class_direction_pk" PRIMARY KEY("bucket","src_service","dst_service","data_class","direction")
);
--> statement-breakpoint
CREATE TABLE "sensitive_edge_minute" (
	"bucket" timestamp with time zone NOT NULL,
	"src_service" text NOT NULL,
	"dst_service" text NOT NULL,
	"data_class" text NOT NULL,
	"direction" text NOT NULL,
	"matches" integer DEFAULT 0 NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sensitive_edge_minute_bucket_src_service_dst_service_data_class_direction_pk" PRIMARY KEY("bucket","src_service","dst_service","data_class","direction")
);
--> statement-breakpoint
CREATE TABLE "sensitive_token_hour" (
	"bucket" timestamp with time zone NOT NULL,
	"token_id" text NOT NULL,
	"data_class" text NOT NULL,
	"direction" text NOT NULL,
	"matches" integer DEFAULT 0 NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sensitive_token_hour_bucket_token_id_data_class_direction_pk" PRIMARY KEY("bucket","token_id","data_class","direction")
);
--> statement-breakpoint
CREATE TABLE "sensitive_token_minute" (
	"bucket" timestamp with time zone NOT NULL,
	"token_id" text NOT NULL,
	"data_class" text NOT NULL,
	"direction" text NOT NULL,
	"matches" integer DEFAULT 0 NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sensitive_token_minute_bucket_token_id_data_class_direction_pk" PRIMARY KEY("bucket","token_id","data_class","direction")
);
--> statement-breakpoint
CREATE TABLE "service_hour" (
	"bucket" timestamp with time zone NOT NULL,
	"service" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"client_errors" integer DEFAULT 0 NOT NULL,
	"bytes_in" bigint DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	"latency" integer[] NOT NULL,
	"latency_sum_ms" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "service_hour_bucket_service_pk" PRIMARY KEY("bucket","service")
);
--> statement-breakpoint
CREATE TABLE "service_minute" (
	"bucket" timestamp with time zone NOT NULL,
	"service" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"client_errors" integer DEFAULT 0 NOT NULL,
	"bytes_in" bigint DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	"latency" integer[] NOT NULL,
	"latency_sum_ms" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "service_minute_bucket_service_pk" PRIMARY KEY("bucket","service")
);
--> statement-breakpoint
CREATE TABLE "token_hour" (
	"bucket" timestamp with time zone NOT NULL,
	"token_id" text NOT NULL,
	"src_service" text NOT NULL,
	"dst_service" text NOT NULL,
	"method" text NOT NULL,
	"route" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"client_errors" integer DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "token_hour_bucket_token_id_src_service_dst_service_method_route_pk" PRIMARY KEY("bucket","token_id","src_service","dst_service","method","route")
);
--> statement-breakpoint
CREATE TABLE "token_minute" (
	"bucket" timestamp with time zone NOT NULL,
	"token_id" text NOT NULL,
	"src_service" text NOT NULL,
	"dst_service" text NOT NULL,
	"method" text NOT NULL,
	"route" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"client_errors" integer DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "token_minute_bucket_token_id_src_service_dst_service_method_route_pk" PRIMARY KEY("bucket","token_id","src_service","dst_service","method","route")
);
--> statement-breakpoint
CREATE INDEX "sign_in_attempts_email_ts" ON "sign_in_attempts" USING btree ("email","ts");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_ip_ts" ON "sign_in_attempts" USING btree ("ip","ts");--> statement-breakpoint
CREATE INDEX "proxies_last_seen" ON "proxies" USING btree ("last_seen_at");--> statement-breakpoint
CREATE INDEX "proxy_minute_stats_minute" ON "proxy_minute_stats" USING btree ("minute");--> statement-breakpoint
CREATE INDEX "access_events_dst_ts" ON "access_events" USING btree ("dst_service","ts");--> statement-breakpoint
CREATE INDEX "access_events_error_ts" ON "access_events" USING btree ("status","ts") WHERE "access_events"."status" >= 400;--> statement-breakpoint
CREATE INDEX "access_events_token_ts" ON "access_events" USING btree ("token_id","ts") WHERE "access_events"."token_id" is not null;--> statement-breakpoint
CREATE INDEX "access_events_user_ts" ON "access_events" USING btree ("user_id","ts") WHERE "access_events"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "access_events_ip_ts" ON "access_events" USING btree ("client_ip","ts") WHERE "access_events"."client_ip" is not null;--> statement-breakpoint
CREATE INDEX "audit_log_ts" ON "audit_log" USING btree ("ts");--> statement-breakpoint
CREATE INDEX "audit_log_action_ts" ON "audit_log" USING btree ("action","ts");--> statement-breakpoint
CREATE INDEX "audit_log_actor_ts" ON "audit_log" USING btree ("actor_email","ts");--> statement-breakpoint
CREATE INDEX "edge_hour_dst" ON "edge_hour" USING btree ("dst_service","bucket");--> statement-breakpoint
CREATE INDEX "edge_hour_src" ON "edge_hour" USING btree ("src_service","bucket");--> statement-breakpoint
CREATE INDEX "edge_minute_dst" ON "edge_minute" USING btree ("dst_service","bucket");--> statement-breakpoint
CREATE INDEX "edge_minute_src" ON "edge_minute" USING btree ("src_service","bucket");--> statement-breakpoint
CREATE INDEX "edge_route_hour_edge" ON "edge_route_hour" USING btree ("dst_service","src_service","bucket");--> statement-breakpoint
CREATE INDEX "edge_route_minute_edge" ON "edge_route_minute" USING btree ("dst_service","src_service","bucket");--> statement-breakpoint
CREATE INDEX "sensitive_edge_hour_class" ON "sensitive_edge_hour" USING btree ("data_class","bucket");--> statement-breakpoint
CREATE INDEX "sensitive_edge_minute_class" ON "sensitive_edge_minute" USING btree ("data_class","bucket");--> statement-breakpoint
CREATE INDEX "sensitive_token_hour_token" ON "sensitive_token_hour" USING btree ("token_id","bucket");--> statement-breakpoint
CREATE INDEX "sensitive_token_hour_class" ON "sensitive_token_hour" USING btree ("data_class","bucket");--> statement-breakpoint
CREATE INDEX "sensitive_token_minute_token" ON "sensitive_token_minute" USING btree ("token_id","bucket");--> statement-breakpoint
CREATE INDEX "sensitive_token_minute_class" ON "sensitive_token_minute" USING btree ("data_class","bucket");--> statement-breakpoint
CREATE INDEX "service_hour_service" ON "service_hour" USING btree ("service","bucket");--> statement-breakpoint
CREATE INDEX "service_minute_service" ON "service_minute" USING btree ("service","bucket");--> statement-breakpoint
CREATE INDEX "token_hour_token" ON "token_hour" USING btree ("token_id","bucket");--> statement-breakpoint
CREATE INDEX "token_hour_edge" ON "token_hour" USING btree ("dst_service","src_service","bucket");--> statement-breakpoint
CREATE INDEX "token_minute_token" ON "token_minute" USING btree ("token_id","bucket");--> statement-breakpoint
CREATE INDEX "token_minute_edge" ON "token_minute" USING btree ("dst_service","src_service","bucket");--> statement-breakpoint
-- Hand-edited: the audit log is append-only; tampering needs a superuser to drop this trigger,
-- and the hash chain (server/audit/verify.ts) still reports it.
CREATE FUNCTION "audit_log_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_refuse_change"();
--> statement-breakpoint
-- Hand-edited: element-wise sum of two int arrays, for merging latency histograms in rollups.
CREATE FUNCTION "mw_add_int_arrays"(a int[], b int[]) RETURNS int[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i), '{}')
  FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;