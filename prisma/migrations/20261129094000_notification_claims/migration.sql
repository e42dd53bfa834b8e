-- Outbox claims: a pending message is held by the run or sweep delivering it until claimedUntil.
-- After that the sweeper takes it over (its instance died before the first attempt, or a retry is due).
ALTER TABLE "NotificationSent" ADD COLUMN "claimToken" TEXT,
ADD COLUMN "claimedUntil" TIMESTAMP(3);

CREATE INDEX "NotificationSent_status_claimedUntil_idx" ON "NotificationSent"("status", "claimedUntil");
