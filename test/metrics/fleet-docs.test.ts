/**
 * The Prometheus and Alertmanager configurations in docs/fleet.md are the ones a reader copies, so
 * they are checked by the tools themselves: `promtool check config` (with the shipped rules file in
 * place of /etc/prometheus/rules) and `amtool check-config`. promtool and amtool come with
 * Debian's `prometheus` and `prometheus-alertmanager` (installed by .ci/run); without them these
 * skip with a printed reason, except in CI.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function missing(tool: string, pkg: string): boolean {
  if (spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0 || process.env['CI']) return false;
  process.stderr.write(`test/metrics/fleet-docs: ${tool} skipped, not installed (apt-get install ${pkg})\n`);
  return true;
}

/** The ```yaml blocks of docs/fleet.md, in order: prometheus.yml, a file_sd file, alertmanager.yml. */
const blocks = [...readFileSync(join(ROOT, 'docs/fleet.md'), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = mkdtempSync(join(tmpdir(), 'bw-fleet-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/fleet.md configurations', () => {
  it('has the three YAML blocks it describes', () => {
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toMatch(/^rule_files:/m);
    expect(blocks[2]).toMatch(/^route:/m);
  });

  it.skipIf(missing('promtool', 'prometheus'))('prometheus.yml and its file_sd file pass promtool check config, with the shipped rules', () => {
    copyFileSync(join(ROOT, 'contrib/prometheus/bridgewatch.rules.yml'), join(dir, 'bridgewatch.rules.yml'));
    writeFileSync(join(dir, 'hypervisors-dc1.yml'), blocks[1]!);
    writeFileSync(join(dir, 'bridgewatch-none.yml'), '[]\n');
    const config = blocks[0]!.replaceAll('/etc/prometheus/rules/', `${dir}/`).replaceAll('/etc/prometheus/file_sd/', `${dir}/`);
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const r = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8', timeout: 60_000 });
    expect(`${r.stdout}${r.stderr}`).toMatch(/SUCCESS: 8 rules found/);
    expect(r.status, r.stderr).toBe(0);
  });

  it.skipIf(missing('amtool', 'prometheus-alertmanager'))('alertmanager.yml passes amtool check-config', () => {
    writeFileSync(join(dir, 'alertmanager.yml'), blocks[2]!);
    const r = spawnSync('amtool', ['check-config', join(dir, 'alertmanager.yml')], { encoding: 'utf8', timeout: 60_000 });
    expect(`${r.stdout}${r.stderr}`).toMatch(/1 inhibit rules[\s\S]*3 receivers/);
    expect(r.status, r.stderr).toBe(0);
  });
});
