"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { DisplayControls } from "./display-controls";
import { LiveIndicator } from "./live-updates";

const NAV = [
  { href: "/", label: "Overview", match: (path: string) => path === "/" },
  {
    href: "/hosts",
    label: "Hosts",
    match: (path: string) => path.startsWith("/hosts") || path.startsWith("/certificates"),
  },
  { href: "/rules", label: "Rules", match: (path: string) => path.startsWith("/rules") },
];

export function SiteHeader() {
  const pathname = usePathname() ?? "/";
  return (
    <header className="site-header">
      <div className="container site-header-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1 className="brand-name">certfleet</h1>
        </Link>
        <nav aria-label="Main" className="site-nav">
          <ul>
            {NAV.map((item) => (
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
          <LiveIndicator />
          <DisplayControls />
        </div>
      </div>
    </header>
  );
}
