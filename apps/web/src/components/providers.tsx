"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { makeQueryClient } from "@/lib/query-client";
import { LiveUpdatesProvider } from "./shell/live-updates";

/** Client-side context for the whole app. One QueryClient and one live connection per browser tab. */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <LiveUpdatesProvider>{children}</LiveUpdatesProvider>
    </QueryClientProvider>
  );
}
