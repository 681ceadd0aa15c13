ALTER TYPE "public"."email_kind" ADD VALUE 'budget_alert';--> statement-breakpoint
CREATE TABLE "budget_alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"month" date NOT NULL,
	"threshold_percent" smallint NOT NULL,
	"budget_minor" bigint NOT NULL,
	"spent_minor" bigint NOT NULL,
	"forecast_minor" bigint,
	"outbox_id" bigint,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budget_alerts_threshold" CHECK ("budget_alerts"."threshold_percent" in (80, 100))
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "monthly_budget_minor" bigint;--> statement-breakpoint
ALTER TABLE "budget_alerts" ADD CONSTRAINT "budget_alerts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_alerts" ADD CONSTRAINT "budget_alerts_outbox_id_email_outbox_id_fk" FOREIGN KEY ("outbox_id") REFERENCES "public"."email_outbox"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "budget_alerts_account_month_threshold_key" ON "budget_alerts" USING btree ("account_id","month","threshold_percent");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_monthly_budget_positive" CHECK ("accounts"."monthly_budget_minor" is null or "accounts"."monthly_budget_minor" > 0);