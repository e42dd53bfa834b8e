import type { Count } from "@certfleet/contracts";
import Link from "next/link";
import { formatCount } from "@/lib/format";
import { hostsHref } from "@/lib/host-query";

/**
 * Hosts that use Kerberos, counted apart (issue 13): domain hosts an admin said need no channel
 * certificate and that have none configured. They are not errors, nor certificate hosts that are fine.
 */
export function KerberosHosts({ count }: { count: Count }) {
  return (
    <section className="card" aria-labelledby="kerberos-heading" data-testid="kerberos-hosts">
      <h3 id="kerberos-heading">Uses Kerberos</h3>
      <p>
        <Link href={hostsHref(count.query)} data-count={count.count}>
          {formatCount(count.count)} {count.count === 1 ? "host" : "hosts"}
        </Link>{" "}
        authenticate with Kerberos: no channel certificate is required for them (their management group or
        host setting says their management servers are in a trusted domain) and none is configured.
      </p>
      <p className="muted small">
        Gateways and hosts outside a domain always need a certificate. Set which groups need one under Admin ›
        Settings.
      </p>
    </section>
  );
}
