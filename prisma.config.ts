// Prisma 6.19 with the JS engine and the pg driver adapter: Prisma 7's CLI downloads a native
// schema engine at run time, which this project's machines cannot do (docs/adr/0002-prisma-6-js-engine.md).
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL must be set for Prisma CLI commands");
    return new PrismaPg({ connectionString });
  },
});
