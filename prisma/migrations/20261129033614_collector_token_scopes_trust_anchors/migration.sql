-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "tokenId" INTEGER;

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "scopeFqdnSuffixes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "scopeManagementGroups" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "HostTokenPair" (
    "hostId" INTEGER NOT NULL,
    "firstTokenId" INTEGER NOT NULL,
    "secondTokenId" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HostTokenPair_pkey" PRIMARY KEY ("hostId","firstTokenId","secondTokenId","day")
);

-- CreateTable
CREATE TABLE "TrustAnchor" (
    "id" SERIAL NOT NULL,
    "sha256" TEXT NOT NULL,
    "der" BYTEA NOT NULL,
    "subject" TEXT NOT NULL,
    "parsed" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" INTEGER,

    CONSTRAINT "TrustAnchor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TrustAnchor_sha256_key" ON "TrustAnchor"("sha256");

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrustAnchor" ADD CONSTRAINT "TrustAnchor_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- CreateTable, UNLOGGED by hand (see the model comment): prisma migrate diff does not track that
CREATE UNLOGGED TABLE "CollectorTokenBudget" (
    "tokenId" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "resetAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CollectorTokenBudget_pkey" PRIMARY KEY ("tokenId")
);

