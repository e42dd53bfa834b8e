-- Issue 14: what a collector token may do, and hosts retired by an inventory import.
ALTER TABLE "ApiToken" ADD COLUMN "scopes" TEXT[] DEFAULT ARRAY['reports']::TEXT[];

-- Tokens made before scopes existed keep what they could do: report, and import inventories.
UPDATE "ApiToken" SET "scopes" = ARRAY['reports', 'inventory']::TEXT[];

ALTER TABLE "Host" ADD COLUMN "retiredAt" TIMESTAMP(3);
