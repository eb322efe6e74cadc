CREATE TABLE "admin_grants" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"target_user_id" text,
	"requested_by" text NOT NULL,
	"requested_by_email" text NOT NULL,
	"request_reason" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_by_email" text,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	CONSTRAINT "admin_grants_kind_check" CHECK ("admin_grants"."kind" in ('create', 'promote')),
	CONSTRAINT "admin_grants_state_check" CHECK ("admin_grants"."state" in ('pending', 'approved', 'denied'))
);
--> statement-breakpoint
CREATE TABLE "password_links" (
	"id" text PRIMARY KEY NOT NULL,
	"token_sha256" text NOT NULL,
	"user_id" text NOT NULL,
	"purpose" text NOT NULL,
	"issued_by" text,
	"issued_by_email" text NOT NULL,
	"issued_from_ip" text,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_from_ip" text,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "password_links_token_sha256_unique" UNIQUE("token_sha256"),
	CONSTRAINT "password_links_purpose_check" CHECK ("password_links"."purpose" in ('create', 'reset', 'admin_grant'))
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "credential_issued_by" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "credential_set_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "admin_grants" ADD CONSTRAINT "admin_grants_target_user_id_users_id_fk" FOREIGN KEY ("target_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_links" ADD CONSTRAINT "password_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_grants_state" ON "admin_grants" USING btree ("state","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_grants_pending_email" ON "admin_grants" USING btree ("email") WHERE "admin_grants"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "password_links_user" ON "password_links" USING btree ("user_id","issued_at");