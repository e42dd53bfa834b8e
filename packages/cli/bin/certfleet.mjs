#!/usr/bin/env node
// The CLI runs from its TypeScript source through tsx (like the API's `tsx src/server.ts`), so a fresh
// clone needs only `pnpm install`: no build step, and no build output to fall out of date.
import { register } from "tsx/esm/api";

register();
const { run } = await import("../src/main.ts");
process.exitCode = await run(process.argv);
