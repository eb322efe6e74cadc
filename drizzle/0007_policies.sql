CREATE TABLE "policy_revisions" (
	"id" text PRIMARY KEY NOT NULL,
	"service" text NOT NULL,
	"revision" integer NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"document" jsonb NOT NULL,
	"sha256" text NOT NULL,
	"editors" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"published_by" text,
	"published_at" timestamp with time zone,
	"rollback_of" integer,
	"reason" text,
	CONSTRAINT "policy_revisions_state_check" CHECK ("policy_revisions"."state" in ('draft', 'approved', 'published', 'discarded'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "policy_revisions_service_revision" ON "policy_revisions" USING btree ("service","revision");--> statement-breakpoint
CREATE INDEX "policy_revisions_state" ON "policy_revisions" USING btree ("service","state");--> statement-breakpoint
CREATE UNIQUE INDEX "policy_revisions_open" ON "policy_revisions" USING btree ("service") WHERE "policy_revisions"."state" in ('draft', 'approved');