CREATE TABLE "token_edge_hour" (
	"bucket" timestamp with time zone NOT NULL,
	"dst_service" text NOT NULL,
	"src_service" text NOT NULL,
	"token_id" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "token_edge_hour_dst_service_bucket_src_service_token_id_pk" PRIMARY KEY("dst_service","bucket","src_service","token_id")
);
--> statement-breakpoint
DROP INDEX "access_events_token_ts";--> statement-breakpoint
DROP INDEX "access_events_user_ts";--> statement-breakpoint
DROP INDEX "access_events_ip_ts";--> statement-breakpoint
DROP INDEX "edge_route_hour_edge";--> statement-breakpoint
DROP INDEX "edge_route_minute_edge";--> statement-breakpoint
DROP INDEX "token_hour_token";--> statement-breakpoint
DROP INDEX "token_hour_edge";--> statement-breakpoint
DROP INDEX "token_minute_token";--> statement-breakpoint
DROP INDEX "token_minute_edge";--> statement-breakpoint
ALTER TABLE "edge_route_hour" DROP CONSTRAINT "edge_route_hour_bucket_src_service_dst_service_method_route_pk";--> statement-breakpoint
ALTER TABLE "edge_route_minute" DROP CONSTRAINT "edge_route_minute_bucket_src_service_dst_service_method_route_pk";--> statement-breakpoint
ALTER TABLE "token_hour" DROP CONSTRAINT "token_hour_bucket_token_id_src_service_dst_service_method_route_pk";--> statement-breakpoint
ALTER TABLE "token_minute" DROP CONSTRAINT "token_minute_bucket_token_id_src_service_dst_service_method_route_pk";--> statement-breakpoint
ALTER TABLE "edge_route_hour" ADD CONSTRAINT "edge_route_hour_dst_service_src_service_bucket_method_route_pk" PRIMARY KEY("dst_service","src_service","bucket","method","route");--> statement-breakpoint
ALTER TABLE "edge_route_minute" ADD CONSTRAINT "edge_route_minute_dst_service_src_service_bucket_method_route_pk" PRIMARY KEY("dst_service","src_service","bucket","method","route");--> statement-breakpoint
ALTER TABLE "token_hour" ADD CONSTRAINT "token_hour_token_id_bucket_src_service_dst_service_method_route_pk" PRIMARY KEY("token_id","bucket","src_service","dst_service","method","route");--> statement-breakpoint
ALTER TABLE "token_minute" ADD CONSTRAINT "token_minute_token_id_bucket_src_service_dst_service_method_route_pk" PRIMARY KEY("token_id","bucket","src_service","dst_service","method","route");--> statement-breakpoint
CREATE INDEX "token_edge_hour_bucket" ON "token_edge_hour" USING brin ("bucket");--> statement-breakpoint
CREATE INDEX "access_events_actors" ON "access_events" USING gin (mw_event_actors("src_service", "token_id", "user_id", "client_ip"));--> statement-breakpoint
CREATE INDEX "edge_route_hour_bucket" ON "edge_route_hour" USING brin ("bucket");--> statement-breakpoint
CREATE INDEX "edge_route_minute_bucket" ON "edge_route_minute" USING brin ("bucket");--> statement-breakpoint
CREATE INDEX "token_hour_bucket" ON "token_hour" USING brin ("bucket");--> statement-breakpoint
CREATE INDEX "token_minute_bucket" ON "token_minute" USING brin ("bucket");--> statement-breakpoint
CREATE INDEX "token_minute_edge" ON "token_minute" USING btree ("dst_service","bucket","src_service");