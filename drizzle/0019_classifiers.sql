CREATE TABLE "classifier_revisions" (
	"revision" integer PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL,
	"sha256" text NOT NULL,
	"published_by" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text NOT NULL,
	"republish_of" integer
);
--> statement-breakpoint
ALTER TABLE "proxies" ADD COLUMN "classifier_revision" integer;