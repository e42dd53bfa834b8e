"use client";

import type { SessionUser } from "@certfleet/contracts";
import Link from "next/link";
import { useState } from "react";
import { PASSWORD_PATH } from "@/lib/auth-redirect";
import { USER_ROLE_LABEL } from "@/lib/roles";
import { signOut, useSend } from "@/lib/session";

/** Who is signed in, their password, and the two ways out. Both end on the sign-in page (see signOut). */
export function UserMenu({ user }: { user: SessionUser }) {
  const send = useSend();
  const [pending, setPending] = useState<"here" | "everywhere" | null>(null);

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
    </div>
  );
}
