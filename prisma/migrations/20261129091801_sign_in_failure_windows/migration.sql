-- Failed sign-ins counted per account or address until their window ends, then written as one
-- AuditEvent with the count (see SignInFailureWindow in schema.prisma).
CREATE TABLE "SignInFailureWindow" (
    "key" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,
    "userId" INTEGER,
    "email" TEXT,
    "addresses" JSONB NOT NULL,
    "emails" JSONB NOT NULL,
    "reasons" JSONB NOT NULL,

    CONSTRAINT "SignInFailureWindow_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "SignInFailureWindow_endsAt_idx" ON "SignInFailureWindow"("endsAt");

-- A pending count may only grow, and its key and window stay as opened: nobody rewrites failures
-- before they reach the append-only audit log. The body spells its semicolons as \073 in an E-string
-- because the migrator splits scripts at every semicolon (ADR 0006).
CREATE FUNCTION certfleet_sign_in_failures_only_grow() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN IF NEW."key" <> OLD."key" OR NEW."startedAt" <> OLD."startedAt" OR NEW."endsAt" <> OLD."endsAt" OR NEW."count" < OLD."count" THEN RAISE EXCEPTION ''SignInFailureWindow counts only grow'' USING ERRCODE = ''insufficient_privilege''\073 END IF\073 RETURN NEW\073 END';

CREATE TRIGGER "SignInFailureWindow_only_grow"
  BEFORE UPDATE ON "SignInFailureWindow"
  FOR EACH ROW EXECUTE FUNCTION certfleet_sign_in_failures_only_grow();
