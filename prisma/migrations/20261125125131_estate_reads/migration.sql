-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- DropIndex
DROP INDEX "Host_status_idx";

-- DropIndex
DROP INDEX "Host_boundNotAfter_idx";

-- DropIndex
DROP INDEX "Host_lastReportAt_idx";

-- DropIndex
DROP INDEX "HostFinding_ruleId_severity_idx";

-- AlterTable
ALTER TABLE "Host" ALTER COLUMN "status" DROP NOT NULL,
ALTER COLUMN "lastReportAt" DROP NOT NULL,
ALTER COLUMN "lastReceivedAt" DROP NOT NULL;

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Host_status_id_idx" ON "Host"("status", "id");

-- CreateIndex
CREATE INDEX "Host_boundNotAfter_id_idx" ON "Host"("boundNotAfter", "id");

-- CreateIndex
CREATE INDEX "Host_lastReportAt_id_idx" ON "Host"("lastReportAt", "id");

-- CreateIndex
CREATE INDEX "Host_fqdn_trgm_idx" ON "Host" USING GIN ("fqdn" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "HostFinding_ruleId_severity_hostId_idx" ON "HostFinding"("ruleId", "severity", "hostId");

