import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isPasswordChangeRequired } from "./account-api";
import { ApiError } from "./api";
import { LOGIN_PATH, loginHref, PASSWORD_PATH, passwordChangeHref } from "./auth-redirect";

/** Set once a redirect is under way, so a page of failing queries navigates only once. */
let redirecting = false;

/**
 * Any 401 (no session, or it expired) sends the user to sign in and back here afterwards. Done
 * once, centrally, for every query and mutation. A full navigation rather than the router: it
 * also drops the cache, so nothing of the old session lingers.
 */
function redirectOnUnauthorized(error: unknown): void {
  if (isPasswordChangeRequired(error)) {
    redirectToPasswordChange();
    return;
  }
  if (!(error instanceof ApiError) || error.status !== 401) return;
  if (typeof window === "undefined" || redirecting) return;
  const { pathname, search } = window.location;
  if (pathname === LOGIN_PATH) return; // the sign-in form shows its own 401 (wrong password)
  redirecting = true;
  window.location.assign(loginHref(pathname, search));
}

/** The API refused because this user must choose a new password first: to that form, and back here after. */
function redirectToPasswordChange(): void {
  if (typeof window === "undefined" || redirecting) return;
  const { pathname, search } = window.location;
  if (pathname === PASSWORD_PATH) return;
  redirecting = true;
  window.location.assign(passwordChangeHref(`${pathname}${search}`));
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: redirectOnUnauthorized }),
    mutationCache: new MutationCache({ onError: redirectOnUnauthorized }),
    defaultOptions: {
      queries: {
        // The live stream keeps cached data current; this only bounds staleness while it is down.
        staleTime: 10_000,
        refetchOnWindowFocus: true,
        // A 4xx (unknown host, bad filter) will not change on retry: show it at once.
        retry: (failures, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      },
    },
  });
}
