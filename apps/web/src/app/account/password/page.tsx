import type { Metadata } from "next";
import { Suspense } from "react";
import { PasswordChangeForm } from "@/components/account/password-change-form";
import { SkeletonCard } from "@/components/ui/query-state";

export const metadata: Metadata = { title: "Change password" };

export default function PasswordPage() {
  return (
    // `?next=` is read with useSearchParams, which only exists in the browser.
    <Suspense fallback={<SkeletonCard label="Loading" lines={4} />}>
      <div className="login">
        <PasswordChangeForm />
      </div>
    </Suspense>
  );
}
