import { type Static, Type } from "typebox";
import { HostRoleSchema } from "./report";

export const SeveritySchema = Type.Enum(["error", "warning", "info"]);
export type Severity = Static<typeof SeveritySchema>;

export const HostStatusSchema = Type.Enum(["ok", "warning", "error"]);
export type HostStatus = Static<typeof HostStatusSchema>;

export const FindingSchema = Type.Object({
  ruleId: Type.String(),
  severity: SeveritySchema,
  message: Type.String(),
  remediation: Type.String(),
});
export type Finding = Static<typeof FindingSchema>;

export const IngestResultSchema = Type.Object({
  host: Type.Object({
    id: Type.Integer(),
    fqdn: Type.String(),
    role: HostRoleSchema,
    status: HostStatusSchema,
  }),
  boundCertificate: Type.Union([
    Type.Object({
      sha256: Type.String(),
      serialNumber: Type.String(),
      notAfter: Type.String({ format: "date-time" }),
    }),
    Type.Null(),
  ]),
  findings: Type.Array(FindingSchema),
});
export type IngestResult = Static<typeof IngestResultSchema>;

/** RFC 9457 problem details; `errors` names each offending field (e.g. `certificates[0].der`). */
export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
});
export type Problem = Static<typeof ProblemSchema>;

export const BatchItemResultSchema = Type.Object({
  index: Type.Integer(),
  status: Type.Integer({ description: "HTTP status this report would have had on its own" }),
  result: Type.Optional(IngestResultSchema),
  problem: Type.Optional(ProblemSchema),
});

export const BatchResultSchema = Type.Object({
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  results: Type.Array(BatchItemResultSchema),
});
export type BatchResult = Static<typeof BatchResultSchema>;

export const HealthSchema = Type.Object({
  status: Type.Enum(["ok", "degraded"]),
  database: Type.Enum(["up", "down"]),
  version: Type.String(),
});
export type Health = Static<typeof HealthSchema>;
