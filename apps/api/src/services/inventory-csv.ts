import { FQDN_PATTERN, type HostRole, type InventorySource } from "@certfleet/contracts";
import { CsvError, parse } from "csv-parse/sync";
import type { FieldError } from "../problem";
import { normaliseFqdn } from "./ingest";
import type { ExpectedHost } from "./inventory";

/**
 * The CSVs SCOM's console and PowerShell give an admin, read into expected hosts:
 * - `Get-SCOMAgent | Export-Csv`: one row per agent (PrincipalName, DisplayName, ComputerName,
 *   PrimaryManagementServerName, ManagementGroup);
 * - `Get-SCOMManagementServer | Export-Csv` and `Get-SCOMGatewayManagementServer | Export-Csv`: the same
 *   names plus `IsGateway`, which tells a Gateway from a Management Server;
 * - a plain CSV `fqdn,role,managementGroup` (role and managementGroup may be left out or empty).
 * Windows PowerShell's Export-Csv writes a `#TYPE <class>` line first (PowerShell 7 does not): skipped.
 * Headers are matched case-insensitively; line numbers count every line of the file, the #TYPE one too.
 */

const FQDN = new RegExp(FQDN_PATTERN);
const FQDN_COLUMNS = ["fqdn", "principalname", "dnshostname", "displayname", "computername"];
const ROLES: Record<string, HostRole> = {
  managementserver: "ManagementServer",
  "management server": "ManagementServer",
  ms: "ManagementServer",
  gateway: "Gateway",
  "gateway server": "Gateway",
  gw: "Gateway",
  agent: "Agent",
};

export interface ParsedSource {
  hosts: ExpectedHost[];
  errors: FieldError[];
}

/** Stops a CSV full of bad rows from making an answer of millions of errors. */
const MAX_ERRORS_PER_SOURCE = 50;

export function parseInventorySource(source: InventorySource, index: number): ParsedSource {
  const field = `sources[${index}].csv`;
  const text = source.csv.replace(/^\uFEFF/, "");
  const typeLine = /^#TYPE\s+(\S*)/i.exec(text);
  let rows: { info: { lines: number }; record: Record<string, string> }[];
  try {
    rows = parse(text, {
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      from_line: typeLine ? 2 : 1,
      info: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    return { hosts: [], errors: [{ field: line ? `${field} line ${line}` : field, message: error.message }] };
  }
  const firstLine = typeLine ? 2 : 1;
  const columns = rows[0] ? Object.keys(rows[0].record) : [];
  const fqdnColumns = FQDN_COLUMNS.filter((name) => columns.includes(name));
  if (rows.length > 0 && fqdnColumns.length === 0) {
    return {
      hosts: [],
      errors: [
        {
          field: `${field} line ${firstLine} column fqdn`,
          message: "the header names no host column (fqdn, PrincipalName, DisplayName or ComputerName)",
        },
      ],
    };
  }
  const roleOf = roleReader(columns, typeLine?.[1] ?? "");
  const hosts: ExpectedHost[] = [];
  const errors: FieldError[] = [];
  for (const { info, record } of rows) {
    const at = (column: string) => `${field} line ${info.lines} column ${column}`;
    // The first host column with a value: PrincipalName is the FQDN, DisplayName usually is too.
    const fqdnColumn = fqdnColumns.find((name) => record[name]) ?? (fqdnColumns[0] as string);
    const rawFqdn = record[fqdnColumn] ?? "";
    const fqdn = normaliseFqdn(rawFqdn);
    if (!FQDN.test(fqdn) || fqdn.length > 253) {
      errors.push({ field: at(originalName(fqdnColumn)), message: `"${rawFqdn}" is not a host name` });
    }
    const role = roleOf(record);
    if (typeof role !== "string") errors.push({ field: at(role.column), message: role.message });
    const managementGroup = record.managementgroup || null;
    if (managementGroup && managementGroup.length > 128) {
      errors.push({ field: at("ManagementGroup"), message: "is longer than 128 characters" });
    }
    if (errors.length >= MAX_ERRORS_PER_SOURCE) break;
    if (errors.length === 0 && typeof role === "string") {
      hosts.push({
        fqdn,
        role,
        managementGroup,
        primaryServer: record.primarymanagementservername
          ? normaliseFqdn(record.primarymanagementservername)
          : null,
        domainJoined: true,
      });
    }
  }
  return { hosts: errors.length ? [] : hosts, errors };
}

type RoleAnswer = HostRole | { column: string; message: string };

/**
 * How this source says a row's role: a role column (empty: Agent); else IsGateway (Get-SCOMManagementServer,
 * Get-SCOMGatewayManagementServer); else a #TYPE naming a gateway class; else Agent: Get-SCOMAgent's
 * export, or a plain list of names (agents are almost every host).
 */
function roleReader(columns: string[], typeName: string): (record: Record<string, string>) => RoleAnswer {
  if (columns.includes("role")) {
    return (record) => {
      const value = record.role ?? "";
      if (value === "") return "Agent";
      return (
        ROLES[value.toLowerCase()] ?? {
          column: "role",
          message: `"${value}" is not a role (ManagementServer, Gateway or Agent)`,
        }
      );
    };
  }
  if (columns.includes("isgateway")) {
    return (record) => {
      const value = (record.isgateway ?? "").toLowerCase();
      if (value === "true") return "Gateway";
      if (value === "false") return "ManagementServer";
      return { column: "IsGateway", message: `"${record.isgateway}" is neither True nor False` };
    };
  }
  if (/gateway/i.test(typeName)) return () => "Gateway";
  return () => "Agent";
}

/** The column's name as an admin reads it in SCOM's export (headers are compared in lower case). */
function originalName(column: string): string {
  const names: Record<string, string> = {
    principalname: "PrincipalName",
    dnshostname: "DNSHostName",
    displayname: "DisplayName",
    computername: "ComputerName",
  };
  return names[column] ?? column;
}
