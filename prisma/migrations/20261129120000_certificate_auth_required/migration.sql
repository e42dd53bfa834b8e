-- Issue 13: which hosts need a channel certificate. Null settings mean not set.
ALTER TABLE "ManagementGroup" ADD COLUMN "certificateAuthRequired" BOOLEAN;

ALTER TABLE "Host" ADD COLUMN "certificateAuthSetting" BOOLEAN,
ADD COLUMN "usesKerberos" BOOLEAN NOT NULL DEFAULT false;
