import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "core",
    include: ["test/**/*.test.ts"],
    // RSA key generation in beforeAll hooks takes a moment on 2-core CI machines.
    hookTimeout: 60_000,
  },
});
