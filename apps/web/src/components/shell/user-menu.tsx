"use client";

import type { SessionUser } from "@certfleet/contracts";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { PASSWORD_PATH } from "@/lib/auth-redirect";
import { USER_ROLE_LABEL } from "@/lib/roles";
import { authOptionsQuery, signOut, useSend, useSession } from "@/lib/session";
import {
  readSsoLinkOutcome,
  SSO_LINK_ERROR_PARAM,
  SSO_LINKED_PARAM,
  useLinkSingleSignOn,
} from "@/lib/sso-api";

/** Who is signed in, their password, and the two ways out. Both end on the sign-in page (see signOut). */
export function UserMenu({ user }: { user: SessionUser }) {
  const send = useSend();
  const [pending, setPending] = useState<"here" | "everywhere" | null>(null);

  const session = useSession();
  const options = useQuery(authOptionsQuery());
  const link = useLinkSingleSignOn();
  const [linkOutcome, setLinkOutcome] = useState<ReturnType<typeof readSsoLinkOutcome>>(null);
  // The link flow ends back on the page it started from, with its outcome in the address.
  useEffect(() => {
    const outcome = readSsoLinkOutcome(window.location.search);
    if (!outcome) return;
    setLinkOutcome(outcome);
    // Said once: a reload or a shared link must not repeat it.
    const url = new URL(window.location.href);
    url.searchParams.delete(SSO_LINKED_PARAM);
    url.searchParams.delete(SSO_LINK_ERROR_PARAM);
    window.history.replaceState(window.history.state, "", `${url.pathname}${url.search}${url.hash}`);
  }, []);
  // Offered to password sessions only: a single sign-on session is linked already.
  const canLink = Boolean(options.data?.oidc) && session.data?.method === "password";

  const run = (everywhere: boolean) => {
    setPending(everywhere ? "everywhere" : "here");
    void signOut(send, everywhere);
  };

  return (
    <div className="user-menu" data-testid="user-menu" data-role={user.role}>
      <span className="user-menu-who">
        <span className="user-menu-name" title={user.email}>
          {user.name}
        </span>
        <span className="tag tag-accent">{USER_ROLE_LABEL[user.role]}</span>
      </span>
      {/* Short on screen so the header keeps to one line; the accessible name says the whole thing. */}
      <Link
        href={PASSWORD_PATH}
        className="tool-button"
        aria-label="Change password"
        title="Change your password"
      >
        Password
      </Link>
      <button
        type="button"
        className="tool-button"
        onClick={() => run(false)}
        disabled={pending !== null}
        aria-busy={pending === "here"}
      >
        Sign out
      </button>
      <button
        type="button"
        className="tool-button"
        onClick={() => run(true)}
        disabled={pending !== null}
        aria-busy={pending === "everywhere"}
        title="Ends your sessions in every browser"
      >
        Sign out everywhere
      </button>
      {canLink ? (
        <button
          type="button"
          className="tool-button"
          onClick={() => link.mutate(`${window.location.pathname}`)}
          disabled={link.isPending}
          aria-busy={link.isPending}
          title={`Sign in with ${options.data?.oidc?.name ?? "single sign-on"} from now on, as this account`}
        >
          Link single sign-on
        </button>
      ) : null}
      {linkOutcome || link.isError ? (
        <span role="status" className="small" data-testid="sso-link-outcome">
          {linkOutcome?.linked
            ? "Single sign-on linked to this account."
            : (linkOutcome?.error ?? "Single sign-on could not start; try again.")}
        </span>
      ) : null}
    </div>
  );
}
