import { defineConfig } from "vitest/config";

// One `vitest run` at the root runs every package's tests; each project has its own config.
export default defineConfig({
  test: {
    projects: ["packages/core", "packages/demo", "packages/cli", "apps/api", "apps/web", "scripts"],
  },
});
