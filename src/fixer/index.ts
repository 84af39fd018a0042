/**
 * The bridge fixer: audit a live bridge, plan the remediation (pure data), apply its runtime steps,
 * write persistent config. The same plan serves offline reports, live mode and the host audit.
 */
export { auditBridges, assessRisks, conventionsBelow, severityRank, LONG_FORWARD_DELAY_SEC, type AuditOptions } from './audit.js';
export { planForBridge, type PlanOptions } from './plan.js';
export { planFromAnalysis, conventionOf, DEFAULT_BRIDGE, type OfflinePlanOptions } from './offline.js';
export { applyPlan, type ApplyOptions } from './apply.js';
export { writeConfig, type ConfigWriteResult, type WriteConfigOptions } from './write-config.js';
export { detectStacks, ALL_CONFIG_STACKS, type DetectedStack } from './stacks.js';
export { pinConfigStep, pinLine, type PinContext } from './config.js';
export { readBridgeState, listBridges } from './bridge-state.js';
export { chooseUplink, permanentMac } from './uplink.js';
export { hostAccess, runCommand, type HostAccess, type HostOptions, type CommandRunner, type CommandResult } from './host.js';
export { formatPlan, formatAudit, formatApply } from './format.js';
export type * from './types.js';
