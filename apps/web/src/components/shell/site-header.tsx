"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";
import { LOGIN_PATH, PASSWORD_PATH, passwordChangeHref } from "@/lib/auth-redirect";
import { roleAtLeast } from "@/lib/roles";
import { useSession } from "@/lib/session";
import { DisplayControls } from "./display-controls";
import { LiveIndicator } from "./live-updates";
import { UserMenu } from "./user-menu";

const NAV = [
  { href: "/", label: "Overview", match: (path: string) => path === "/" },
  {
    href: "/hosts",
    label: "Hosts",
    match: (path: string) => path.startsWith("/hosts") || path.startsWith("/certificates"),
  },
  { href: "/tasks", label: "Tasks", match: (path: string) => path.startsWith("/tasks") },
  { href: "/reports", label: "Reports", match: (path: string) => path.startsWith("/reports") },
  { href: "/rules", label: "Rules", match: (path: string) => path.startsWith("/rules") },
];

const ADMIN_NAV = {
  href: "/admin/users",
  label: "Admin",
  match: (path: string) => path.startsWith("/admin"),
};

export function SiteHeader() {
  const pathname = usePathname() ?? "/";
  // The sign-in page shows the brand and display controls only: nothing there may ask the API
  // for data a signed-out visitor cannot have (it would bounce them back to sign in).
  const onLoginPage = pathname === LOGIN_PATH;
  return (
    <header className="site-header">
      <div className="container site-header-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1 className="brand-name">certfleet</h1>
        </Link>
        {onLoginPage ? (
          <div className="header-tools">
            <DisplayControls />
          </div>
        ) : (
          <SignedInHeader pathname={pathname} />
        )}
      </div>
    </header>
  );
}

function SignedInHeader({ pathname }: { pathname: string }) {
  const { data: session } = useSession();
  const router = useRouter();
  const mustChangePassword = session?.passwordChangeRequired === true;
  // Every page but the password form is refused to this user: go there, and come back after.
  useEffect(() => {
    if (mustChangePassword && pathname !== PASSWORD_PATH) router.replace(passwordChangeHref(pathname));
  }, [mustChangePassword, pathname, router]);
  const navigation = roleAtLeast(session?.user.role, "admin") ? [...NAV, ADMIN_NAV] : NAV;
  const items = mustChangePassword ? [] : navigation;
  return (
    <>
      <nav aria-label="Main" className="site-nav">
        <ul>
          {items.map((item) => (
            <li key={item.href}>
              <Link
                href={item.href}
                className="nav-link"
                aria-current={item.match(pathname) ? "page" : undefined}
              >
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-tools">
        {mustChangePassword ? null : <LiveIndicator />}
        <DisplayControls />
        {session ? <UserMenu user={session.user} /> : null}
      </div>
    </>
  );
}
