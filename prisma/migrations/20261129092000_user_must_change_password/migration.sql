-- The first admin from the environment must pick a new password at first sign-in
ALTER TABLE "User" ADD COLUMN "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;
