import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "scripts",
    include: ["test/**/*.test.ts"],
    // Each test runs a nested Vitest on a fixture suite.
    testTimeout: 60_000,
  },
});
