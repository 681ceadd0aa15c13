CREATE TABLE "einvoice_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"participant_id" text NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp (3) with time zone,
	"last_error" text,
	"delivered_to" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "receive_invoices_by_peppol" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "peppol_participant_id" text;--> statement-breakpoint
ALTER TABLE "einvoice_outbox" ADD CONSTRAINT "einvoice_outbox_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "einvoice_outbox" ADD CONSTRAINT "einvoice_outbox_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "einvoice_outbox_invoice_key" ON "einvoice_outbox" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "einvoice_outbox_due_idx" ON "einvoice_outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_peppol_needs_participant" CHECK (not "accounts"."receive_invoices_by_peppol" or "accounts"."peppol_participant_id" is not null);