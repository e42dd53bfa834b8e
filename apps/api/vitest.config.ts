import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "api",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Each file gets its own database cloned from a migrated template, so files can run in parallel.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
