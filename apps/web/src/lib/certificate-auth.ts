import type {
  CertificateAuthentication,
  CertificateAuthReasonValue,
  HostDetail,
  ManagementGroupList,
} from "@certfleet/contracts";
import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "./api";
import { managementGroupKeys } from "./query-keys";

/** Why a host does (not) need a channel certificate, in the words the host page shows. */
export const CERTIFICATE_AUTH_REASON_LABEL: Record<CertificateAuthReasonValue, string> = {
  gateway: "It is a gateway: gateways always authenticate to their management servers with a certificate.",
  workgroup: "It is not domain-joined (workgroup or DMZ): without a domain there is no Kerberos.",
  "host-setting": "This host's own setting says so.",
  "group-setting": "Its management group's setting says so.",
  default:
    "Nobody has said otherwise: certfleet assumes a certificate is needed until an admin says the host (or its group) is in a domain its management servers trust.",
};

/** The three values of a setting: set either way, or not set (inherit the group / the default). */
export type SettingChoice = "inherit" | "required" | "not-required";

export function choiceOf(setting: boolean | null): SettingChoice {
  if (setting === null) return "inherit";
  return setting ? "required" : "not-required";
}

export function settingOf(choice: SettingChoice): boolean | null {
  if (choice === "inherit") return null;
  return choice === "required";
}

/** A gateway or workgroup host needs a certificate whatever the settings say: a setting changes nothing. */
export function settingApplies(auth: CertificateAuthentication): boolean {
  return auth.reason !== "gateway" && auth.reason !== "workgroup";
}

/**
 * The findings are the newest report's; the decision is now's. They disagree after a setting changed
 * until the host reports again: a Kerberos host that now needs a certificate, or a host with no
 * certificate configured that no longer needs one (it has reported, yet is not marked as Kerberos).
 */
export function waitsForNextReport(
  auth: CertificateAuthentication,
  host: Pick<HostDetail["host"], "lastReportAt">,
  registry: HostDetail["registry"],
): boolean {
  if (host.lastReportAt === null) return false;
  if (auth.required) return auth.usesKerberos;
  const noCertificateConfigured = registry.serialAsStored === null && registry.hash === null;
  return noCertificateConfigured && !auth.usesKerberos;
}

/** One line: what the host needs now. */
export function certificateAuthHeadline(auth: CertificateAuthentication): string {
  if (auth.required) return "Certificate authentication required";
  return auth.usesKerberos
    ? "Not required: uses Kerberos"
    : "Not required: Kerberos is expected where no certificate is configured";
}

export const managementGroupsQuery = () =>
  queryOptions({
    queryKey: managementGroupKeys.all,
    queryFn: ({ signal }) => apiFetch<ManagementGroupList>("/api/v1/management-groups", { signal }),
  });
