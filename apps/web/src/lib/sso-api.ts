"use client";

import type { OidcLinkStart } from "@certfleet/contracts";
import { useMutation } from "@tanstack/react-query";
import { useSend } from "./session";

/** Query parameters the API's single sign-on callback adds when a link flow returns. */
export const SSO_LINKED_PARAM = "ssoLinked";
export const SSO_LINK_ERROR_PARAM = "ssoLinkError";

/**
 * "Link single sign-on" for the signed-in user: the API answers the identity provider's URL (and
 * sets its short-lived cookie); the browser goes there and comes back to `next` with
 * ?ssoLinked=1 or ?ssoLinkError=….
 */
export function useLinkSingleSignOn() {
  const send = useSend();
  return useMutation({
    mutationFn: (next: string) => send<OidcLinkStart>("/api/v1/auth/oidc/link", "POST", { next }),
    onSuccess: ({ authorizationUrl }) => window.location.assign(authorizationUrl),
  });
}

/** What a link flow that just returned to this page says, read once from the address bar. */
export function readSsoLinkOutcome(search: string): { linked: boolean; error: string | null } | null {
  const params = new URLSearchParams(search);
  const error = params.get(SSO_LINK_ERROR_PARAM);
  if (params.get(SSO_LINKED_PARAM) === "1") return { linked: true, error: null };
  return error ? { linked: false, error } : null;
}
