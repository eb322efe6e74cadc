CREATE TABLE "saved_searches" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"range" jsonb NOT NULL,
	"columns" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"visibility" text DEFAULT 'private' NOT NULL,
	"owner_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_schedules" (
	"id" text PRIMARY KEY NOT NULL,
	"framework" text NOT NULL,
	"scope" jsonb NOT NULL,
	"cadence" text NOT NULL,
	"last_period_end" timestamp with time zone,
	"next_run_at" timestamp with time zone NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "report_schedules_cadence_check" CHECK ("report_schedules"."cadence" in ('daily', 'weekly', 'monthly')),
	CONSTRAINT "report_schedules_framework_check" CHECK ("report_schedules"."framework" in ('pci_dss_v4', 'soc2'))
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" text PRIMARY KEY NOT NULL,
	"framework" text NOT NULL,
	"title" text NOT NULL,
	"scope" jsonb NOT NULL,
	"range_from" timestamp with time zone NOT NULL,
	"range_to" timestamp with time zone NOT NULL,
	"generated_at" timestamp with time zone NOT NULL,
	"generated_by" text,
	"schedule_id" text,
	"pdf" "bytea" NOT NULL,
	"pdf_sha256" text NOT NULL,
	"bundle" "bytea" NOT NULL,
	"bundle_sha256" text NOT NULL,
	"summary" jsonb NOT NULL,
	CONSTRAINT "reports_framework_check" CHECK ("reports"."framework" in ('pci_dss_v4', 'soc2'))
);
--> statement-breakpoint
ALTER TABLE "saved_searches" ADD CONSTRAINT "saved_searches_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_generated_by_users_id_fk" FOREIGN KEY ("generated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "saved_searches_owner" ON "saved_searches" USING btree ("owner_id","updated_at");--> statement-breakpoint
CREATE INDEX "saved_searches_visibility" ON "saved_searches" USING btree ("visibility","updated_at");--> statement-breakpoint
CREATE INDEX "report_schedules_next" ON "report_schedules" USING btree ("next_run_at");--> statement-breakpoint
CREATE INDEX "reports_generated" ON "reports" USING btree ("generated_at");