/**
 * The bridge fixer: audit a live bridge, plan the remediation (pure data), apply its runtime steps,
 * write persistent config. The same plan serves offline reports, live mode and the host audit.
 */
export { auditBridges, assessRisks, conventionsBelow, type AuditOptions } from './audit.js';
export { planForBridge, type PlanOptions } from './plan.js';
export { planFromAnalysis, type OfflinePlanOptions } from './offline.js';
export { planOnHost } from './on-host.js';
export { applyPlan, type ApplyOptions } from './apply.js';
export { writeConfig, type ConfigWriteResult, type WriteConfigOptions } from './write-config.js';
export { detectStacks, type DetectedStack } from './stacks.js';
export { pinConfigStep } from './config.js';
export { hostAccess, type HostOptions, type CommandRunner, type CommandResult } from './host.js';
export { formatPlan, formatAudit, formatApply } from './format.js';
export type * from './types.js';
