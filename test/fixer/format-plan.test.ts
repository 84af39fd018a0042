/** `fix --apply`/`--write-config` must not announce a dry run before applying (issue 14, item 7). */
import { describe, expect, it } from 'vitest';
import { formatPlan } from '../../src/fixer/format.js';
import type { RemediationPlan } from '../../src/fixer/types.js';

const plan = { bridge: 'br0', steps: [], notes: [] } as unknown as RemediationPlan;

describe('formatPlan', () => {
  it('says "Dry run" only when nothing is going to be applied', () => {
    expect(formatPlan(plan)).toContain('Dry run: nothing was changed.');
    const applying = formatPlan(plan, { applying: true });
    expect(applying).not.toContain('Dry run');
    expect(applying).toContain('Applying now:');
  });
});
