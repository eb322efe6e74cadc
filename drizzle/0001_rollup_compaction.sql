CREATE TABLE "rollup_compaction" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"compacted_at" timestamp with time zone NOT NULL,
	"minutes_from" timestamp with time zone,
	CONSTRAINT "rollup_compaction_one_row" CHECK ("rollup_compaction"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "rollup_dirty_hours" (
	"hour" timestamp with time zone PRIMARY KEY NOT NULL
);
