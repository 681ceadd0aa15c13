CREATE TYPE "public"."autopay_outcome" AS ENUM('open', 'succeeded', 'soft_decline', 'hard_decline', 'expired_card', 'needs_authentication', 'not_charged');--> statement-breakpoint
CREATE TABLE "autopay_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"attempt" smallint NOT NULL,
	"payment_id" uuid NOT NULL,
	"charge_date" date NOT NULL,
	"outcome" "autopay_outcome" DEFAULT 'open' NOT NULL,
	"failure_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "autopay_attempts_attempt_range" CHECK ("autopay_attempts"."attempt" between 1 and 4)
);
--> statement-breakpoint
ALTER TABLE "sandbox_checkouts" ADD COLUMN "decline_code" text;--> statement-breakpoint
ALTER TABLE "autopay_attempts" ADD CONSTRAINT "autopay_attempts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "autopay_attempts" ADD CONSTRAINT "autopay_attempts_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "autopay_attempts" ADD CONSTRAINT "autopay_attempts_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "autopay_attempts_invoice_attempt_key" ON "autopay_attempts" USING btree ("invoice_id","attempt");--> statement-breakpoint
CREATE INDEX "autopay_attempts_open_idx" ON "autopay_attempts" USING btree ("outcome") WHERE "autopay_attempts"."outcome" = 'open';