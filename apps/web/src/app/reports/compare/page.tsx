import type { Metadata } from "next";
import { Suspense } from "react";
import { CompareView } from "@/components/reports/compare-view";
import { SkeletonCard } from "@/components/ui/query-state";

export const metadata: Metadata = { title: "Compare reports" };

export default function CompareReportsPage() {
  return (
    // from/to live in the URL (useSearchParams), which only exists in the browser.
    <Suspense fallback={<SkeletonCard label="Loading the comparison" lines={8} />}>
      <CompareView />
    </Suspense>
  );
}
