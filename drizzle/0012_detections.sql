CREATE TABLE "detection_actors" (
	"detection_id" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"rank" integer NOT NULL,
	CONSTRAINT "detection_actors_detection_id_actor_type_actor_id_pk" PRIMARY KEY("detection_id","actor_type","actor_id")
);
--> statement-breakpoint
CREATE TABLE "detection_allow_list" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"value" text NOT NULL,
	"note" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "detection_allow_list_type_check" CHECK ("detection_allow_list"."type" in ('ip', 'cidr', 'token', 'user', 'user_agent', 'service'))
);
--> statement-breakpoint
CREATE TABLE "detection_engine_ids" (
	"engine_id" text PRIMARY KEY NOT NULL,
	"detection_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "detection_suppressions" (
	"id" text PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"kind" text NOT NULL,
	"service" text,
	"actor_type" text,
	"actor_id" text,
	"reason" text NOT NULL,
	"detection_id" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"lifted_at" timestamp with time zone,
	"lifted_by" text,
	CONSTRAINT "detection_suppressions_scope_check" CHECK (("detection_suppressions"."scope" = 'rule' and "detection_suppressions"."actor_id" is null) or ("detection_suppressions"."scope" = 'actor' and "detection_suppressions"."actor_id" is not null and "detection_suppressions"."actor_type" is not null))
);
--> statement-breakpoint
CREATE TABLE "detection_thresholds" (
	"service" text PRIMARY KEY NOT NULL,
	"alert" double precision NOT NULL,
	"mitigate" double precision NOT NULL,
	"windows" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "detection_thresholds_order" CHECK ("detection_thresholds"."alert" >= 0 and "detection_thresholds"."alert" <= "detection_thresholds"."mitigate" and "detection_thresholds"."mitigate" <= 100)
);
--> statement-breakpoint
CREATE TABLE "detection_triage" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"detection_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_email" text,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"detail" text,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "detections" (
	"id" text PRIMARY KEY NOT NULL,
	"engine_id" text NOT NULL,
	"kind" text NOT NULL,
	"service" text,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"score" double precision NOT NULL,
	"severity" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"assignee_id" text,
	"evidence" jsonb NOT NULL,
	"actor_count" integer DEFAULT 0 NOT NULL,
	"top_actors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mitigation" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "detections_state_check" CHECK ("detections"."state" in ('open', 'acknowledged', 'resolved', 'false_positive')),
	CONSTRAINT "detections_severity_check" CHECK ("detections"."severity" in ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "detections_score_check" CHECK ("detections"."score" >= 0 and "detections"."score" <= 100)
);
--> statement-breakpoint
ALTER TABLE "detection_actors" ADD CONSTRAINT "detection_actors_detection_id_detections_id_fk" FOREIGN KEY ("detection_id") REFERENCES "public"."detections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detection_engine_ids" ADD CONSTRAINT "detection_engine_ids_detection_id_detections_id_fk" FOREIGN KEY ("detection_id") REFERENCES "public"."detections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detection_triage" ADD CONSTRAINT "detection_triage_detection_id_detections_id_fk" FOREIGN KEY ("detection_id") REFERENCES "public"."detections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detections" ADD CONSTRAINT "detections_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "detection_actors_rank" ON "detection_actors" USING btree ("detection_id","rank");--> statement-breakpoint
CREATE INDEX "detection_actors_actor" ON "detection_actors" USING btree ("actor_id" text_pattern_ops,"actor_type");--> statement-breakpoint
CREATE UNIQUE INDEX "detection_allow_list_value" ON "detection_allow_list" USING btree ("type","value");--> statement-breakpoint
CREATE INDEX "detection_suppressions_live" ON "detection_suppressions" USING btree ("expires_at") WHERE "detection_suppressions"."lifted_at" is null;--> statement-breakpoint
CREATE INDEX "detection_triage_detection" ON "detection_triage" USING btree ("detection_id","at");--> statement-breakpoint
CREATE INDEX "detections_state_end" ON "detections" USING btree ("state","end_at");--> statement-breakpoint
CREATE INDEX "detections_end" ON "detections" USING btree ("end_at");--> statement-breakpoint
CREATE INDEX "detections_kind_service_end" ON "detections" USING btree ("kind","service","end_at");