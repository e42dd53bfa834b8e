"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { EmptyState, QueryError, SkeletonCard } from "@/components/ui/query-state";
import { roleAtLeast, USER_ROLE_LABEL } from "@/lib/roles";
import { useSession } from "@/lib/session";

const ADMIN_NAV = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/tokens", label: "Collector tokens" },
  { href: "/admin/inventory", label: "Inventory" },
  { href: "/admin/trust-anchors", label: "Trust anchors" },
  { href: "/admin/settings", label: "Settings" },
  { href: "/admin/notifications", label: "Notifications" },
  { href: "/admin/audit", label: "Audit log" },
];

/**
 * Every `/admin` page: a sub-nav, and nothing but a clear message for non-admins. The API refuses
 * them anyway (403); this spares them a page of errors.
 */
export function AdminShell({ children }: { children: ReactNode }) {
  const pathname = usePathname() ?? "";
  const session = useSession();

  if (session.isPending) return <SkeletonCard label="Checking your role" lines={3} />;
  if (session.isError)
    return (
      <QueryError
        error={session.error}
        what="your session"
        onRetry={() => void session.refetch()}
        retrying={session.isFetching}
      />
    );
  if (!roleAtLeast(session.data.user.role, "admin"))
    return (
      <EmptyState title="Admins only">
        Users, collector tokens, inventory imports, trust anchors, settings and the audit log are managed by
        admins. You are signed in as {session.data.user.email} ({USER_ROLE_LABEL[session.data.user.role]}).
      </EmptyState>
    );

  return (
    <div className="stack">
      <nav aria-label="Administration" className="sub-nav">
        <ul>
          {ADMIN_NAV.map((item) => (
            <li key={item.href}>
              <Link
                href={item.href}
                className="nav-link"
                aria-current={pathname.startsWith(item.href) ? "page" : undefined}
              >
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </div>
  );
}
