import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditLog } from "@/components/admin/audit-log";
import { SkeletonCard } from "@/components/ui/query-state";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    // The filter lives in the URL (useSearchParams), which only exists in the browser.
    <Suspense fallback={<SkeletonCard label="Loading the audit log" lines={8} />}>
      <AuditLog />
    </Suspense>
  );
}
