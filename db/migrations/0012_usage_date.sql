ALTER TABLE "usage_records" ADD COLUMN "usage_date" date;--> statement-breakpoint
UPDATE "usage_records" SET "usage_date" = "period";--> statement-breakpoint
ALTER TABLE "usage_records" ALTER COLUMN "usage_date" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_date_in_period" CHECK (date_trunc('month', "usage_records"."usage_date")::date = "usage_records"."period");
