export { decodeWrappedBase64 } from "./base64";
export { findBoundCertificate, hashNamesCertificate } from "./binding";
export {
  CertificateParseError,
  type CertificateParseErrorReason,
  detectPrivateKeyMaterial,
  type PrivateKeyMaterial,
  parseCertificate,
} from "./certificate";
export {
  CERTIFICATE_AUTH_REASONS,
  type CertificateAuthDecision,
  type CertificateAuthFacts,
  type CertificateAuthReason,
  certificateAuthRequirement,
  DEFAULT_CERTIFICATE_AUTH_REQUIRED,
  requiresCertificateAuthentication,
} from "./certificate-authentication";
export { type ChainVerdict, verifyChain } from "./chain-verify";
export { canonicalJson, compareCodePoints } from "./compliance/canonical";
export {
  addToComplianceTotals,
  ComplianceHasher,
  complianceContentHash,
  complianceContentParts,
  complianceRowJson,
  emptyComplianceTotals,
  isComplianceException,
  sortComplianceFindings,
} from "./compliance/content";
export { CRON_FIELDS, cronProblem } from "./compliance/cron";
export {
  type ComparedRow,
  type ComplianceChange,
  type ComplianceRowsDiff,
  compareComplianceStates,
  complianceHostState,
  diffComplianceRows,
  type StateByFqdn,
} from "./compliance/diff";
export { evaluateHost, sortFindings, statusOf } from "./evaluate";
export {
  DAY_MS,
  daysUntil,
  EXPIRY_BUCKETS,
  type ExpiryBucket,
  expiryBucket,
  expiryBucketBounds,
  formatDay,
  isExpired,
} from "./expiry";
export { HexFormatError, normalizeHex } from "./hex";
export {
  type HostNameMatch,
  matchHostName,
  nameScomReads,
  normalizeDn,
  normalizeHostName,
  type ScomName,
} from "./names";
export { groupIntoMessages } from "./notifications/digest";
export {
  type BoundCertificate,
  crossedThreshold,
  type DueExpiry,
  dueExpiryNotifications,
} from "./notifications/expiry-due";
export { type ErrorFinding, newErrorFindings, newErrorKey } from "./notifications/new-errors";
export {
  checkThresholds,
  DEFAULT_NOTIFICATION_THRESHOLDS,
  MAX_NOTIFICATION_THRESHOLDS,
  MAX_THRESHOLD_DAYS,
  MIN_THRESHOLD_DAYS,
  type ThresholdCheck,
  thresholdsFrom,
} from "./notifications/thresholds";
export { MAX_DECODED_TEXT_LENGTH } from "./private-key";
export {
  MAX_SCAN_DEPTH,
  MAX_SCAN_VALUES,
  type PrivateKeyScanOptions,
  type PrivateKeyScanResult,
  scanForPrivateKeyMaterial,
} from "./private-key-scan";
export {
  type CertReqHost,
  CertReqInputError,
  certReqFileName,
  certReqInf,
  MAX_COMMON_NAME_LENGTH,
} from "./renewal/certreq";
export { type RenewalChecklistStep, renewalChecklist } from "./renewal/checklist";
export {
  DEFAULT_RENEWAL_POLICY,
  decideRenewalTask,
  type HostRenewalState,
  type LatestTask,
  type RenewalPolicy,
  renewalVerified,
  type TaskDecision,
} from "./renewal/decide";
export {
  defaultTaskDueDate,
  defaultTaskPriority,
  isTaskOverdue,
  TASK_DUE_DAYS_BEFORE_EXPIRY,
  TASK_HIGH_PRIORITY_DAYS_LEFT,
  TASK_MIN_DAYS_TO_DUE,
} from "./renewal/defaults";
export { RENEWAL_RULE_IDS, renewalReason } from "./renewal/need";
export {
  checkRequestTemplateSettings,
  checkTemplateName,
  checkTemplateOid,
  chooseRequestTemplate,
  MAX_TEMPLATE_NAME_LENGTH,
  MAX_TEMPLATE_OID_MAPPINGS,
  NO_REQUEST_TEMPLATE_SETTINGS,
  type RequestTemplate,
  type RequestTemplateSettings,
  type RequestTemplateSource,
  requestTemplateSettingsFrom,
} from "./renewal/request-template";
export { roleAtLeast, USER_ROLES, type UserRole } from "./renewal/roles";
export {
  availableActions,
  checkTransition,
  isOpenTaskStatus,
  OPEN_TASK_STATUSES,
  TASK_PRIORITIES,
  TASK_STATUSES,
  TASK_TRANSITIONS,
  type TaskAction,
  type TaskActor,
  type TaskPriority,
  type TaskState,
  type TaskStatus,
  type TaskTransition,
  type TransitionCheck,
} from "./renewal/workflow";
export { primaryManagementGroup, type ReportedGroups, reportedManagementGroupNames } from "./report-host";
export { RULE_CATALOG, type RuleMeta, ruleMeta } from "./rules/catalog";
export { renderRuleCatalogMarkdown } from "./rules/catalog-markdown";
export { newestLoadEvent } from "./rules/events";
export {
  certificateSerialToRegistryHex,
  compareRegistrySerial,
  mirroredSerialToHex,
  type SerialComparison,
} from "./serial";
export { isChannelCandidate, isOperationsManagerStore, isScomSelfSignedCertificate } from "./stores";
export * from "./types";
