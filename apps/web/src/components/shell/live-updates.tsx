"use client";

import { useQueryClient } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { LOGIN_PATH } from "@/lib/auth-redirect";
import { useSession } from "@/lib/session";
import { CacheMerger, type LiveState, LiveStream } from "@/lib/stream";

const LiveContext = createContext<LiveState>("connecting");

function streamUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/api/v1/stream`;
}

/**
 * Owns the tab's one live connection and merges what it hears into the query cache. The stream
 * needs a session: it opens only once someone is signed in, and never on the sign-in page.
 */
export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  const onLoginPage = usePathname() === LOGIN_PATH;
  const session = useSession({ enabled: !onLoginPage });
  // A user who must change their password first may not open the stream (the API answers 403).
  const signedIn = !onLoginPage && session.isSuccess && !session.data.passwordChangeRequired;

  useEffect(() => {
    if (!signedIn) return;
    let attemptStartedAt = Date.now();
    const merger = new CacheMerger(queryClient, () => attemptStartedAt);
    const stream = new LiveStream({
      url: streamUrl(),
      onMessage: (message) => merger.handle(message),
      onState: setState,
      onClose: (action) => merger.handleClose(action),
      since: () => {
        // Called once per connection attempt: remember when, for the first hello's catch-up.
        attemptStartedAt = Date.now();
        return merger.since;
      },
    });
    stream.start();
    return () => {
      stream.stop();
      merger.dispose();
    };
  }, [queryClient, signedIn]);

  return <LiveContext value={state}>{children}</LiveContext>;
}

const LABEL: Record<LiveState, string> = {
  connecting: "Connecting…",
  connected: "Live",
  reconnecting: "Reconnecting…",
};

/** Header pill: whether pushed updates are flowing. */
export function LiveIndicator() {
  const state = useContext(LiveContext);
  const live = state === "connected" ? "connected" : "reconnecting";
  return (
    <span
      className="live-indicator"
      data-live={live}
      role="status"
      aria-live="polite"
      title={
        state === "connected"
          ? "Updates arrive as collectors report"
          : "Live updates paused; the page refreshes when you return to it"
      }
    >
      <span className="live-dot" aria-hidden="true" />
      {LABEL[state]}
    </span>
  );
}
