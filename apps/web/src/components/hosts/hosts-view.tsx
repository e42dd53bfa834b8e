"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { hostsHref, normalize, parseHostQuery } from "@/lib/host-query";
import type { HostListParams } from "@/lib/query-keys";
import { ExportMenu } from "./export-menu";
import { HostFilters } from "./host-filters";
import { HostTable } from "./host-table";

export type SetHostParams = (next: HostListParams, mode?: "push" | "replace") => void;

/**
 * `/hosts`: the filter is the URL, in the API's own vocabulary, so a summary `query` pasted after
 * `/hosts?` shows exactly the hosts it counted, and any view can be bookmarked or shared.
 */
export function HostsView() {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const search = searchParams?.toString() ?? "";
  const { params, ignored } = useMemo(() => parseHostQuery(new URLSearchParams(search)), [search]);

  const setParams = useCallback<SetHostParams>(
    (next, mode = "push") => {
      const href = hostsHref(normalize(next));
      if (href === `${pathname}${search ? `?${search}` : ""}`) return;
      if (mode === "replace") router.replace(href, { scroll: false });
      else router.push(href, { scroll: false });
    },
    [router, pathname, search],
  );

  return (
    <div className="stack">
      <PageHeader title="Hosts" actions={<ExportMenu params={params} />}>
        Every host's channel certificate. Filter, sort and share: the address bar holds the whole view.
      </PageHeader>
      {ignored.length > 0 ? (
        <p className="notice" role="note">
          Ignored {ignored.length === 1 ? "a filter" : "filters"} the API does not know:{" "}
          {ignored.map((pair, index) => (
            <span key={pair}>
              {index > 0 ? ", " : ""}
              <code>{pair}</code>
            </span>
          ))}
          .
        </p>
      ) : null}
      <HostFilters params={params} setParams={setParams} />
      <HostTable params={params} setParams={setParams} />
    </div>
  );
}
