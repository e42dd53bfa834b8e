-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "HostRole" AS ENUM ('ManagementServer', 'Gateway', 'Agent');

-- CreateEnum
CREATE TYPE "HostStatus" AS ENUM ('ok', 'warning', 'error');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('error', 'warning', 'info');

-- CreateEnum
CREATE TYPE "ApiTokenKind" AS ENUM ('collector');

-- CreateTable
CREATE TABLE "ManagementGroup" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "ManagementGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Host" (
    "id" SERIAL NOT NULL,
    "fqdn" TEXT NOT NULL,
    "role" "HostRole" NOT NULL,
    "managementGroupId" INTEGER,
    "domainJoined" BOOLEAN NOT NULL,
    "primaryServer" TEXT,
    "expected" BOOLEAN NOT NULL DEFAULT false,
    "status" "HostStatus" NOT NULL,
    "boundCertificateSha256" TEXT,
    "boundNotAfter" TIMESTAMP(3),
    "lastReportAt" TIMESTAMP(3) NOT NULL,
    "lastReceivedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Host_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HostFinding" (
    "id" BIGSERIAL NOT NULL,
    "hostId" INTEGER NOT NULL,
    "ruleId" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "message" TEXT NOT NULL,
    "remediation" TEXT NOT NULL,

    CONSTRAINT "HostFinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Certificate" (
    "sha256" TEXT NOT NULL,
    "thumbprint" TEXT NOT NULL,
    "der" BYTEA NOT NULL,
    "serialNumber" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "notAfter" TIMESTAMP(3) NOT NULL,
    "parsed" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Certificate_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" BIGSERIAL NOT NULL,
    "hostId" INTEGER NOT NULL,
    "collectedAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "registrySerial" TEXT,
    "registryHash" TEXT,
    "boundCertificateSha256" TEXT,
    "status" "HostStatus" NOT NULL,
    "certificates" JSONB NOT NULL,
    "events" JSONB NOT NULL,
    "findings" JSONB NOT NULL,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HostCertificate" (
    "hostId" INTEGER NOT NULL,
    "certificateSha256" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HostCertificate_pkey" PRIMARY KEY ("hostId","certificateSha256")
);

-- CreateTable
CREATE TABLE "HostBinding" (
    "id" BIGSERIAL NOT NULL,
    "hostId" INTEGER NOT NULL,
    "certificateSha256" TEXT,
    "registrySerial" TEXT,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HostBinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ApiTokenKind" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ManagementGroup_name_key" ON "ManagementGroup"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Host_fqdn_key" ON "Host"("fqdn");

-- CreateIndex
CREATE INDEX "Host_status_idx" ON "Host"("status");

-- CreateIndex
CREATE INDEX "Host_role_idx" ON "Host"("role");

-- CreateIndex
CREATE INDEX "Host_managementGroupId_idx" ON "Host"("managementGroupId");

-- CreateIndex
CREATE INDEX "Host_boundNotAfter_idx" ON "Host"("boundNotAfter");

-- CreateIndex
CREATE INDEX "Host_lastReportAt_idx" ON "Host"("lastReportAt");

-- CreateIndex
CREATE INDEX "Host_boundCertificateSha256_idx" ON "Host"("boundCertificateSha256");

-- CreateIndex
CREATE INDEX "HostFinding_hostId_idx" ON "HostFinding"("hostId");

-- CreateIndex
CREATE INDEX "HostFinding_ruleId_severity_idx" ON "HostFinding"("ruleId", "severity");

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_thumbprint_key" ON "Certificate"("thumbprint");

-- CreateIndex
CREATE INDEX "Certificate_serialNumber_idx" ON "Certificate"("serialNumber");

-- CreateIndex
CREATE INDEX "Certificate_notAfter_idx" ON "Certificate"("notAfter");

-- CreateIndex
CREATE INDEX "Report_receivedAt_idx" ON "Report"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Report_hostId_collectedAt_key" ON "Report"("hostId", "collectedAt");

-- CreateIndex
CREATE INDEX "HostCertificate_certificateSha256_idx" ON "HostCertificate"("certificateSha256");

-- CreateIndex
CREATE INDEX "HostBinding_hostId_firstSeenAt_idx" ON "HostBinding"("hostId", "firstSeenAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_managementGroupId_fkey" FOREIGN KEY ("managementGroupId") REFERENCES "ManagementGroup"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_boundCertificateSha256_fkey" FOREIGN KEY ("boundCertificateSha256") REFERENCES "Certificate"("sha256") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostFinding" ADD CONSTRAINT "HostFinding_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostCertificate" ADD CONSTRAINT "HostCertificate_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostCertificate" ADD CONSTRAINT "HostCertificate_certificateSha256_fkey" FOREIGN KEY ("certificateSha256") REFERENCES "Certificate"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostBinding" ADD CONSTRAINT "HostBinding_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

