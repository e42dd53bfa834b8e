import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "cli",
    include: ["test/**/*.test.ts"],
    // The API's own setup: one migrated template database per run, cloned by each file's createTestApp.
    globalSetup: ["../../apps/api/test/support/global-setup.ts"],
    // Each test runs the CLI as a child process (tsx compiles it on start) against a listening API.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
