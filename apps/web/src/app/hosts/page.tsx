import type { Metadata } from "next";
import { Suspense } from "react";
import { HostsView } from "@/components/hosts/hosts-view";
import { SkeletonCard } from "@/components/ui/query-state";

export const metadata: Metadata = { title: "Hosts" };

export default function HostsPage() {
  return (
    // The filters live in the URL (useSearchParams), which only exists in the browser.
    <Suspense fallback={<SkeletonCard label="Loading hosts" lines={8} />}>
      <HostsView />
    </Suspense>
  );
}
