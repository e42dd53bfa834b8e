/** Settings shared by playwright.config.ts (which starts the stack) and the specs (which talk to it). */
export const WEB_PORT = 3100;
export const API_PORT = 3101;
export const WEB_URL = `http://127.0.0.1:${WEB_PORT}`;

/** The collector token the stack is started with (CERTFLEET_COLLECTOR_TOKEN, ≥ 32 characters). */
export const COLLECTOR_TOKEN = "certfleet-e2e-collector-token-0f3a9c7d2b61";

/** Port of the stack's embedded Postgres when DATABASE_URL is unset (away from a developer's 54329). */
export const EMBEDDED_PG_PORT = 54339;

/** The first admin the stack creates (CERTFLEET_ADMIN_EMAIL / CERTFLEET_ADMIN_PASSWORD). */
export const ADMIN = { email: "admin@e2e.certfleet.local", password: "e2e-admin-password-7c41" } as const;
/** What the setup project replaces that password with: certfleet insists at the first sign-in. */
export const ADMIN_CHOSEN_PASSWORD = "e2e-admin-chosen-password-51b9";

/** Where the setup project keeps the signed-in admin's cookies for every other spec. */
export const ADMIN_STATE = new URL("../.auth/admin.json", import.meta.url).pathname;
