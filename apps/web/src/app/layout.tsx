import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { SiteHeader } from "@/components/shell/site-header";
import { DISPLAY_INIT_SCRIPT } from "@/lib/display";
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
    // The init script sets data-theme / data-scale before React hydrates; React must not undo it.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Runs before first paint so a stored dark theme never flashes light. */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant string of our own */}
        <script dangerouslySetInnerHTML={{ __html: DISPLAY_INIT_SCRIPT }} />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Providers>
          <SiteHeader />
          <main id="main" className="container main" tabIndex={-1}>
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
