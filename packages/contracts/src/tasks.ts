import { type Static, Type } from "typebox";
import { HostRoleSchema } from "./report";
import { HostStatusSchema, ProblemSchema, SeveritySchema } from "./results";
import { commaList, DateTime, Nullable } from "./schema-helpers";

export const TASK_STATUSES = [
  "open",
  "assigned",
  "in_progress",
  "awaiting_verification",
  "done",
  "reopened",
  "cancelled",
] as const;
export const TaskStatusSchema = Type.Enum([...TASK_STATUSES]);
export type TaskStatus = Static<typeof TaskStatusSchema>;

export const TASK_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const TaskPrioritySchema = Type.Enum([...TASK_PRIORITIES]);
export type TaskPriority = Static<typeof TaskPrioritySchema>;

export const TASK_ACTIONS = ["assign", "start", "submit", "resume", "verify", "cancel", "reopen"] as const;
export const TaskActionSchema = Type.Enum([...TASK_ACTIONS]);
export type TaskAction = Static<typeof TaskActionSchema>;

const TaskPersonSchema = Type.Object({ id: Type.Integer(), email: Type.String(), name: Type.String() });

export const TaskSchema = Type.Object({
  id: Type.Integer(),
  host: Type.Object({
    fqdn: Type.String(),
    role: HostRoleSchema,
    managementGroup: Nullable(Type.String()),
    status: Nullable(HostStatusSchema),
    domainJoined: Type.Boolean(),
  }),
  status: TaskStatusSchema,
  priority: TaskPrioritySchema,
  /** The finding that made the host need a new certificate. */
  reason: Type.Object({ ruleId: Type.String(), severity: SeveritySchema, message: Type.String() }),
  /** The certificate to replace. */
  certificate: Nullable(
    Type.Object({ sha256: Type.String(), serialNumber: Type.String(), notAfter: DateTime() }),
  ),
  resolvedCertificateSha256: Nullable(Type.String()),
  assignee: Nullable(TaskPersonSchema),
  dueAt: DateTime(),
  overdue: Type.Boolean(),
  note: Nullable(Type.String()),
  /** Send it back with every change: a stale version gets 409 and the current task. */
  version: Type.Integer(),
  createdAt: DateTime(),
  updatedAt: DateTime(),
  closedAt: Nullable(DateTime()),
  /** What the asking user may do with this task now. */
  actions: Type.Array(TaskActionSchema),
  canEdit: Type.Boolean({ description: "May change priority, due date and note (leads)" }),
});
export type Task = Static<typeof TaskSchema>;

export const TaskListQuerySchema = Type.Object(
  {
    status: Type.Optional(
      commaList([...TASK_STATUSES, "active"], "Comma-separated statuses; `active` = not done or cancelled"),
    ),
    assignee: Type.Optional(
      Type.String({ pattern: "^(me|none|[1-9][0-9]{0,9})$", description: "`me`, `none` or a user id" }),
    ),
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 253, description: "Exact host FQDN" })),
    priority: Type.Optional(commaList([...TASK_PRIORITIES], "Comma-separated priorities")),
    overdue: Type.Optional(Type.Boolean({ description: "Only active tasks past their due date" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 256, description: "nextCursor of the previous page" })),
  },
  { additionalProperties: false },
);
export type TaskListQuery = Static<typeof TaskListQuerySchema>;

export const TaskPageSchema = Type.Object({
  items: Type.Array(TaskSchema),
  total: Type.Integer(),
  nextCursor: Nullable(Type.String()),
});
export type TaskPage = Static<typeof TaskPageSchema>;

export const TaskIdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const TaskTransitionBodySchema = Type.Object(
  {
    action: TaskActionSchema,
    version: Type.Integer({ minimum: 1, description: "The version you last saw" }),
    assigneeId: Type.Optional(Type.Integer({ minimum: 1, description: "Required for `assign`" })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type TaskTransitionBody = Static<typeof TaskTransitionBodySchema>;

export const TaskUpdateBodySchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    priority: Type.Optional(TaskPrioritySchema),
    dueAt: Type.Optional(DateTime()),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type TaskUpdateBody = Static<typeof TaskUpdateBodySchema>;

export const BulkAssignBodySchema = Type.Object(
  {
    taskIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 500, uniqueItems: true }),
    assigneeId: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type BulkAssignBody = Static<typeof BulkAssignBodySchema>;

export const BulkAssignResultSchema = Type.Object({
  assigned: Type.Array(TaskSchema),
  failed: Type.Array(Type.Object({ taskId: Type.Integer(), problem: ProblemSchema })),
});
export type BulkAssignResult = Static<typeof BulkAssignResultSchema>;

/** 409: someone changed the task first; `current` is what it is now. */
export const TaskConflictSchema = Type.Object({ ...ProblemSchema.properties, current: TaskSchema });

export const ChecklistStepSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  detail: Type.String(),
  command: Nullable(Type.String()),
  seedReference: Type.String(),
});

export const TaskHistoryEntrySchema = Type.Object({
  at: DateTime(),
  actor: Nullable(Type.String({ description: "E-mail; null when certfleet itself acted on a report" })),
  action: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
});

export const TaskDetailSchema = Type.Object({
  ...TaskSchema.properties,
  checklist: Type.Array(ChecklistStepSchema),
  certReqUrl: Type.String({ description: "Download the CertReq .inf for this host" }),
  certReqTemplate: Type.Object(
    {
      name: Nullable(Type.String({ description: "CertificateTemplate in the .inf; null: commented out" })),
      source: Type.Union([
        Type.Literal("certificate-name"),
        Type.Literal("certificate-oid"),
        Type.Literal("setting"),
        Type.Literal("unset"),
      ]),
      explanation: Type.String(),
    },
    { description: "The template the .inf requests and where the name came from" },
  ),
  history: Type.Array(TaskHistoryEntrySchema),
});
export type TaskDetail = Static<typeof TaskDetailSchema>;
