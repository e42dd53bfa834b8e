import type { Metadata } from "next";
import { Suspense } from "react";
import { LoginForm } from "@/components/auth/login-form";
import { SkeletonCard } from "@/components/ui/query-state";

export const metadata: Metadata = { title: "Sign in" };

export default function LoginPage() {
  return (
    // `?next=` is read with useSearchParams, which only exists in the browser.
    <Suspense fallback={<SkeletonCard label="Loading sign-in" lines={4} />}>
      <LoginForm />
    </Suspense>
  );
}
