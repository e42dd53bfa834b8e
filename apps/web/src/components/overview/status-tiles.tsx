import type { Summary } from "@certfleet/contracts";
import Link from "next/link";
import { StatusIcon } from "@/components/ui/status-badge";
import { formatCount, percent } from "@/lib/format";
import { hostsHref } from "@/lib/host-query";

type TileKey = "ok" | "warning" | "error" | "not-reporting";

interface Tile {
  key: TileKey;
  label: string;
  hint: string;
  count: number;
  query: string;
}

function tiles(summary: Summary): Tile[] {
  const status = (key: "ok" | "warning" | "error") => summary.byStatus.find((row) => row.key === key);
  const silent = summary.reporting.find((row) => row.key === "silent")?.count ?? 0;
  const never = summary.reporting.find((row) => row.key === "never")?.count ?? 0;
  return [
    {
      key: "error",
      label: "Error",
      hint: "SCOM will not use the certificate, or soon will not",
      count: status("error")?.count ?? 0,
      query: status("error")?.query ?? "status=error",
    },
    {
      key: "warning",
      label: "Warning",
      hint: "Act before the channel breaks",
      count: status("warning")?.count ?? 0,
      query: status("warning")?.query ?? "status=warning",
    },
    {
      key: "ok",
      label: "OK",
      hint: "Certificate meets SCOM's requirements",
      count: status("ok")?.count ?? 0,
      query: status("ok")?.query ?? "status=ok",
    },
    {
      key: "not-reporting",
      label: "Not reporting",
      hint: `Silent for ${summary.silentAfterHours} h (${formatCount(silent)}) or never reported (${formatCount(never)})`,
      count: silent + never,
      // Silent and never are disjoint, so the list of both has exactly silent + never rows.
      query: "reporting=silent,never",
    },
  ];
}

/** The four numbers an operator looks at first; each tile opens the hosts behind it. */
export function StatusTiles({ summary }: { summary: Summary }) {
  const total = summary.total.count;
  return (
    <section aria-labelledby="status-heading">
      <h3 id="status-heading" className="visually-hidden">
        Hosts by status
      </h3>
      <ul className="tiles">
        {tiles(summary).map((tile) => {
          const share = total > 0 ? percent(tile.count, total) : "0%";
          const tone = tile.key === "not-reporting" ? "neutral" : tile.key;
          return (
            <li key={tile.key}>
              <Link
                href={hostsHref(tile.query)}
                className={`tile tile-${tone}${tile.count === 0 ? " tile-zero" : ""}`}
                data-testid={`tile-${tile.key}`}
                data-count={tile.count}
              >
                <span className="tile-label">
                  <StatusIcon tone={tone} />
                  {tile.label}
                </span>
                <span className="tile-count">{formatCount(tile.count)}</span>
                <span className="tile-meta">
                  <span className="tile-share">{share} of hosts</span>
                  <span className="tile-hint">{tile.hint}</span>
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
