import { type Static, Type } from "typebox";

const MiB = 1024 * 1024;
/** One CSV of an import (the shared contract's limit): a larger estate sends its export as several sources. */
export const INVENTORY_SOURCE_MAX_CHARS = 8 * MiB;
export const INVENTORY_BODY_LIMIT = 16 * MiB;
export const INVENTORY_MAX_SOURCES = 20;
/** The retired hosts an answer names; the count is always complete. */
export const INVENTORY_RETIRED_LISTED = 100;

export const InventorySourceSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255, description: "The file name, for messages" }),
    csv: Type.String({
      maxLength: INVENTORY_SOURCE_MAX_CHARS,
      description:
        "Export-Csv output of Get-SCOMAgent, Get-SCOMManagementServer (IsGateway column) or " +
        "Get-SCOMGatewayManagementServer, or a plain CSV with the header fqdn,role,managementGroup",
    }),
  },
  { additionalProperties: false },
);
export type InventorySource = Static<typeof InventorySourceSchema>;

/** POST /api/v1/inventory: the hosts SCOM knows, a snapshot of every management group the CSVs name. */
export const InventoryImportSchema = Type.Object(
  {
    sources: Type.Array(InventorySourceSchema, { minItems: 1, maxItems: INVENTORY_MAX_SOURCES }),
    dryRun: Type.Optional(Type.Boolean({ description: "Answer the counts and write nothing (the preview)" })),
  },
  { additionalProperties: false },
);
export type InventoryImport = Static<typeof InventoryImportSchema>;

export const InventoryGroupCountSchema = Type.Object({
  managementGroup: Type.String(),
  added: Type.Integer({ description: "Hosts of the group certfleet did not know" }),
  retired: Type.Integer({ description: "Expected hosts of the group missing from this import" }),
  total: Type.Integer({ description: "Hosts of the group in this import" }),
});

export const InventoryImportResultSchema = Type.Object({
  dryRun: Type.Boolean(),
  added: Type.Integer({ description: "Hosts certfleet did not know: expected, never reported" }),
  updated: Type.Integer({
    description: "Known hosts now marked expected, or never-reported hosts whose facts changed",
  }),
  unchanged: Type.Integer(),
  retired: Type.Integer({
    description: "Expected hosts of a named management group missing from the import",
  }),
  restored: Type.Integer({ description: "Retired hosts the import lists again" }),
  byManagementGroup: Type.Array(InventoryGroupCountSchema),
  retiredHosts: Type.Array(Type.String(), {
    description: `The first ${INVENTORY_RETIRED_LISTED} retired hosts`,
  }),
  errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
});
export type InventoryImportResult = Static<typeof InventoryImportResultSchema>;
