import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
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
