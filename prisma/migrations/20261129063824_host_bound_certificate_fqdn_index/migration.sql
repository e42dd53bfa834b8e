-- DropIndex
DROP INDEX "Host_boundCertificateSha256_idx";

-- CreateIndex
CREATE INDEX "Host_boundCertificateSha256_fqdn_idx" ON "Host"("boundCertificateSha256", "fqdn");

