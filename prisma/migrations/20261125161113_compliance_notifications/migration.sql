-- CreateTable
CREATE TABLE "ComplianceReport" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL,
    "filter" JSONB NOT NULL,
    "totals" JSONB NOT NULL,
    "hostCount" INTEGER NOT NULL,
    "contentSha256" TEXT NOT NULL,
    "createdById" INTEGER,
    "scheduleId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ComplianceReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplianceReportRow" (
    "reportId" INTEGER NOT NULL,
    "fqdn" TEXT NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "ComplianceReportRow_pkey" PRIMARY KEY ("reportId","fqdn")
);

-- CreateTable
CREATE TABLE "ReportSchedule" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "filter" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdById" INTEGER,
    "lastRunAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReportSchedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationChannel" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "secret" TEXT,
    "digest" BOOLEAN NOT NULL DEFAULT false,
    "notifyNewErrors" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationSent" (
    "id" BIGSERIAL NOT NULL,
    "channelId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "certificateSha256" TEXT,
    "hostFqdn" TEXT,
    "thresholdDays" INTEGER,
    "messageId" TEXT,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "NotificationSent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ComplianceReport_takenAt_idx" ON "ComplianceReport"("takenAt");

-- CreateIndex
CREATE INDEX "NotificationSent_createdAt_idx" ON "NotificationSent"("createdAt");

-- CreateIndex
CREATE INDEX "NotificationSent_status_idx" ON "NotificationSent"("status");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationSent_channelId_kind_certificateSha256_threshold_key" ON "NotificationSent"("channelId", "kind", "certificateSha256", "thresholdDays");

-- AddForeignKey
ALTER TABLE "ComplianceReportRow" ADD CONSTRAINT "ComplianceReportRow_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "ComplianceReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationSent" ADD CONSTRAINT "NotificationSent_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "NotificationChannel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

