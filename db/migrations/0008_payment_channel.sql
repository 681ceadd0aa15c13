CREATE TYPE "public"."payment_channel" AS ENUM('hosted', 'off_session');--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "channel" "payment_channel";