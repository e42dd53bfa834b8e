-- Steady-state ingest moves lastSeenAt of a HostCertificate and a HostBinding row on every report. No
-- index holds the columns it changes, so when its page has room the update is HOT: no new index
-- entries, and the old version is pruned in place. At the default fillfactor (100) the pages filled by
-- the first reports have no room, and almost every update went to another page (pg_stat_user_tables:
-- 235-519 HOT of 19,000 updates each). prisma migrate diff does not track storage parameters.
-- Applies to pages written from now on (a full rewrite of an existing table gives old pages the room).
ALTER TABLE "HostCertificate" SET (fillfactor = 70);
ALTER TABLE "HostBinding" SET (fillfactor = 70);
