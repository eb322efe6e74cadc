CREATE TABLE "endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"service" text NOT NULL,
	"method" text NOT NULL,
	"template" text NOT NULL,
	"template_key" text NOT NULL,
	"state" text DEFAULT 'learned' NOT NULL,
	"changed" boolean DEFAULT false NOT NULL,
	"changed_reason" text,
	"changed_at" timestamp with time zone,
	"origin" text DEFAULT 'learned' NOT NULL,
	"params" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"query_params" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"body_schema" jsonb,
	"sensitive" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status_mix" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"callers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"routes" text[] DEFAULT '{}'::text[] NOT NULL,
	"calls" bigint DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"review_reason" text,
	CONSTRAINT "endpoints_state_check" CHECK ("endpoints"."state" in ('learned', 'approved', 'rejected'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "endpoints_key" ON "endpoints" USING btree ("service","method","template_key");--> statement-breakpoint
CREATE INDEX "endpoints_state" ON "endpoints" USING btree ("state","service");--> statement-breakpoint
CREATE INDEX "endpoints_created" ON "endpoints" USING btree ("created_at");