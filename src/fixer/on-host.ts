/**
 * The remediation plan for an analysis made on the host itself (`live` on its bridge): the
 * network stacks configured there come first, in full, instead of every stack in brief as for a
 * capture from elsewhere.
 */
import type { Analysis } from '../analysis.js';
import { hostAccess, type HostAccess } from './host.js';
import { planFromAnalysis, type OfflinePlanOptions } from './offline.js';
import { detectStacks } from './stacks.js';
import type { NetworkStack, RemediationPlan } from './types.js';

/**
 * {@link planFromAnalysis} with the stacks found under `host.configRoot`: when one of them defines
 * `bridge`, that one only. A configuration that cannot be read gives the plan of a capture alone.
 */
export async function planOnHost(
  analysis: Analysis, bridge: string, host: HostAccess = hostAccess(), options: OfflinePlanOptions = {},
): Promise<RemediationPlan> {
  let stacks: NetworkStack[] = [];
  try {
    const found = await detectStacks(host, bridge);
    const defining = found.filter((s) => s.bridgeFile !== undefined);
    stacks = (defining.length > 0 ? defining : found).map((s) => s.stack);
  } catch {
    // Unreadable configuration: the plan names every stack, as for a capture from elsewhere.
  }
  return planFromAnalysis(analysis, { ...options, ...(stacks.length > 0 ? { stacks } : {}) });
}
