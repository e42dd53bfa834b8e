// The demo estate: ~3,000 SCOM hosts as collector reports, from a CA kept in the local data directory.
export { DEMO_CA_FILE, DEMO_CA_SUBJECT, loadOrCreateDemoCa } from "./ca";
export { type DemoEstate, type GenerateOptions, generateDemoEstate, inventoryOf } from "./generate";
export { DEMO_TEMPLATE, DEMO_TEMPLATE_NAME } from "./issue";
export { DEFAULT_AGENTS, type DemoEstateOptions, planDemoEstate } from "./plan";
export type { CertificateSpec, EstatePlan, HostPlan, InventoryHost, ReportPlan } from "./plan-types";
export { SCENARIO_IDS, SCENARIOS, type ScenarioId } from "./scenarios";
export { MANAGEMENT_GROUPS, managementGroupSettings } from "./topology";
