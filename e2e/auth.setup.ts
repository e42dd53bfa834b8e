import { expect, test as setup } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./support/env";

setup("sign the first admin in", async ({ request }) => {
  const response = await request.post("/api/v1/auth/login", { data: ADMIN });
  expect(response.status(), await response.text()).toBe(200);
  await request.storageState({ path: ADMIN_STATE });
});
