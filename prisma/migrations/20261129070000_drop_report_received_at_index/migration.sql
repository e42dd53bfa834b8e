-- DropIndex
DROP INDEX "Report_receivedAt_idx";
