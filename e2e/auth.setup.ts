import type { Session } from "@certfleet/contracts";
import { expect, test as setup } from "@playwright/test";
import { ADMIN, ADMIN_CHOSEN_PASSWORD, ADMIN_STATE } from "./support/env";

setup("sign the first admin in and replace the password it was created with", async ({ request }) => {
  const response = await request.post("/api/v1/auth/login", { data: ADMIN });
  expect(response.status(), await response.text()).toBe(200);
  const session = (await response.json()) as Session;
  // Created from CERTFLEET_ADMIN_PASSWORD: until it is replaced, the session reaches nothing else.
  expect(session.passwordChangeRequired).toBe(true);
  const changed = await request.post("/api/v1/auth/password", {
    data: { currentPassword: ADMIN.password, newPassword: ADMIN_CHOSEN_PASSWORD },
    headers: { "x-csrf-token": session.csrfToken },
  });
  expect(changed.status(), await changed.text()).toBe(200);
  expect(((await changed.json()) as Session).passwordChangeRequired).toBe(false);
  await request.storageState({ path: ADMIN_STATE });
});
