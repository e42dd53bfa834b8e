import { databasePool } from "@certfleet/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestTransaction, rawSql } from "../src/services/raw-sql";
import { createTestApp, type TestApp } from "./support/app";

/** Ingest's statements on the pg pool must behave as they did through Prisma. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const TRANSACTION = { maxWait: 5_000, timeout: 10_000 };

describe("raw SQL on the pool", () => {
  it("sends and reads Dates, arrays and bigints the way Prisma does", async () => {
    const pool = databasePool(t.db);
    if (!pool) throw new Error("the test client has no pool");
    const at = new Date("2026-03-01T23:30:00.123Z");
    const query = (client: typeof t.db | ReturnType<typeof rawSql>) =>
      client.$queryRaw<{ at: Date; text: string; list: string[]; big: bigint; n: number }[]>`
        SELECT ${at}::timestamp(3) AS "at", ${at}::timestamp(3)::text AS "text",
          ${["a", "b"]}::text[] AS "list", ${12n}::bigint AS "big", ${7}::int AS "n"`;
    const [raw] = await query(rawSql(pool));
    const [viaPrisma] = await query(t.db);
    expect(raw).toEqual(viaPrisma);
    expect(raw?.at.toISOString()).toBe(at.toISOString());
    expect(raw?.text).toBe("2026-03-01 23:30:00.123");
  });

  it("redoes a transaction through Prisma when it needs a typed call, so its writes land once", async () => {
    const name = `raw-sql-${Date.now()}`;
    let runs = 0;
    const groups = await ingestTransaction(
      t.db,
      async (tx) => {
        runs++;
        await tx.$executeRaw`INSERT INTO "ManagementGroup" ("name") VALUES (${name})`;
        // A typed query: on the raw path this throws, the insert above is rolled back.
        return tx.managementGroup.count({ where: { name } });
      },
      TRANSACTION,
    );
    expect(runs).toBe(2);
    expect(groups).toBe(1);
    expect(await t.db.managementGroup.count({ where: { name } })).toBe(1);
  });

  it("rolls back and hands the error on when a statement fails", async () => {
    const name = `raw-sql-failed-${Date.now()}`;
    await expect(
      ingestTransaction(
        t.db,
        async (tx) => {
          await tx.$executeRaw`INSERT INTO "ManagementGroup" ("name") VALUES (${name})`;
          await tx.$executeRaw`INSERT INTO "ManagementGroup" ("name") VALUES (${name})`;
        },
        TRANSACTION,
      ),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await t.db.managementGroup.count({ where: { name } })).toBe(0);
  });
});
