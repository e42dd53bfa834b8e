import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "certfleet", template: "%s · certfleet" },
  description: "Track the channel certificate of every SCOM management server, gateway and agent.",
};

export const viewport: Viewport = {
  colorScheme: "light dark",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <div className="container site-header-inner">
            <Link href="/" className="brand">
              <span className="brand-mark" aria-hidden="true" />
              <h1 className="brand-name">certfleet</h1>
            </Link>
            <p className="tagline">SCOM channel certificates across your estate, before they expire</p>
          </div>
        </header>
        <main className="container main">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
