import type { ReportManagementGroup } from "@certfleet/contracts";

/** The host part of a report as far as management groups go: contract 1's single group, 1.1's list. */
export interface ReportedGroups {
  managementGroup?: string | null;
  primaryServer?: string | null;
  managementGroups?: ReportManagementGroup[];
}

/**
 * The group a host is filed under: contract 1's `managementGroup` (with its `primaryServer`) when set, else
 * the first of contract 1.1's `managementGroups` (a collector lists the groups as the agent's registry does).
 */
export function primaryManagementGroup(host: ReportedGroups): ReportManagementGroup | null {
  if (host.managementGroup) return { name: host.managementGroup, primaryServer: host.primaryServer ?? null };
  const [first] = host.managementGroups ?? [];
  return first ? { name: first.name, primaryServer: first.primaryServer ?? null } : null;
}

/** Every group the report names, once each (compared case-insensitively, first spelling kept), primary first. */
export function reportedManagementGroupNames(host: ReportedGroups): string[] {
  const names = [host.managementGroup, ...(host.managementGroups ?? []).map((group) => group.name)];
  const seen = new Set<string>();
  return names.flatMap((name) => {
    if (!name || seen.has(name.toLowerCase())) return [];
    seen.add(name.toLowerCase());
    return [name];
  });
}
