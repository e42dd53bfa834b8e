/**
 * The demo estate as collector reports: plan it, issue its certificates from the given CA, write the
 * reports. No database and no network; the caller feeds the reports to the same ingest as collectors.
 */
import type { Report } from "@certfleet/contracts";
import type { Issuer } from "@certfleet/pki";
import { createForeignCa, describe, generateLeafKeys, issueAll } from "./issue";
import { type DemoEstateOptions, planDemoEstate } from "./plan";
import type { EstatePlan, InventoryHost } from "./plan-types";
import { buildReports, certificatesToIssue } from "./reports";

export interface GenerateOptions extends DemoEstateOptions {
  /** The CA that issues every demo certificate (see loadOrCreateDemoCa). */
  ca: Issuer;
  /** Called as certificates are issued (they are most of the work). */
  onIssued?: (done: number, total: number) => void;
}

export interface DemoEstate {
  /** Every report, oldest first (renewal histories before current state). */
  reports: Report[];
  /** The inventory: every host expected in the estate, including those that never reported. */
  inventory: InventoryHost[];
  plan: EstatePlan;
}

export async function generateDemoEstate(options: GenerateOptions): Promise<DemoEstate> {
  const plan = planDemoEstate(options);
  const keys = await generateLeafKeys();
  const foreign = await createForeignCa(keys.rsa2048[1] ?? keys.rsa1024, options.now);
  const specs = certificatesToIssue(plan);
  const certificates = await issueAll(specs, { demo: options.ca, foreign, keys }, (done) =>
    options.onIssued?.(done, specs.length),
  );
  const ca = describe(options.ca.der);
  return { reports: buildReports(plan, { ca, certificates }), inventory: inventoryOf(plan), plan };
}

export function inventoryOf(plan: EstatePlan): InventoryHost[] {
  return plan.hosts
    .filter((host) => host.inventory)
    .map(({ fqdn, role, managementGroup, domainJoined, primaryServer }) => ({
      fqdn,
      role,
      managementGroup,
      domainJoined,
      primaryServer,
    }));
}
