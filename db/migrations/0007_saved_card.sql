CREATE TABLE "sandbox_card_setups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_reference" text NOT NULL,
	"account_reference" text NOT NULL,
	"return_url" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"payment_method_id" uuid,
	"card_version" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_payment_methods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"brand" text NOT NULL,
	"last4" char(4) NOT NULL,
	"exp_month" smallint NOT NULL,
	"exp_year" smallint NOT NULL,
	"behaviour" text NOT NULL,
	"detached_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "saved_cards_account_idx";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "card_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "saved_cards" ADD COLUMN "provider_customer_reference" text;--> statement-breakpoint
ALTER TABLE "sandbox_card_setups" ADD CONSTRAINT "sandbox_card_setups_payment_method_id_sandbox_payment_methods_id_fk" FOREIGN KEY ("payment_method_id") REFERENCES "public"."sandbox_payment_methods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_card_setups_merchant_reference_key" ON "sandbox_card_setups" USING btree ("merchant_reference");--> statement-breakpoint
-- One card per account from now on: where an account had several, the newest stays.
DELETE FROM "saved_cards" s USING "saved_cards" n WHERE n."account_id" = s."account_id" AND (n."created_at", n."id") > (s."created_at", s."id");--> statement-breakpoint
CREATE UNIQUE INDEX "saved_cards_account_key" ON "saved_cards" USING btree ("account_id");--> statement-breakpoint
ALTER TABLE "saved_cards" ADD CONSTRAINT "saved_cards_last4_digits" CHECK ("saved_cards"."last4" ~ '^[0-9]{4}$');--> statement-breakpoint
ALTER TABLE "saved_cards" ADD CONSTRAINT "saved_cards_exp_month" CHECK ("saved_cards"."exp_month" between 1 and 12);