import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "demo",
    include: ["test/**/*.test.ts"],
    // One test issues a small estate's certificates (RSA signing) on 2-core CI machines.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
