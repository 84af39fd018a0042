/** The lab CLI's argument handling (no namespaces: these paths fail or list before any is built). */
import { describe, expect, it, vi } from 'vitest';
import { labMain } from '../../tools/lab/cli.js';
import { SCENARIO_NAMES } from '../../tools/lab/index.js';

function capture(): { out: () => string; err: () => string; restore: () => void } {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
  return { out: () => out, err: () => err, restore: () => { o.mockRestore(); e.mockRestore(); } };
}

describe('lab CLI', () => {
  it('lists every scenario with a description', async () => {
    const c = capture();
    try {
      expect(await labMain(['list'])).toBe(0);
      const lines = c.out().trim().split('\n');
      expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([...SCENARIO_NAMES]);
    } finally { c.restore(); }
  });

  it.each([
    [['no-such-scenario'], /unknown scenario "no-such-scenario"/],
    [['guest-start-stop', '--vlan', 'x'], /--vlan needs a positive integer, got "x"/],
    [['guest-start-stop', '--ping-interval', '-5'], /--ping-interval needs a positive integer/],
    [['guest-start-stop', '--format', 'pcapx'], /Allowed choices are pcap-us, pcap-ns, pcapng, sll2/],
    [['guest-start-stop', '--format', 'sll2', '--vlan', '100'], /needs an Ethernet pcap neighbour format/],
  ])('rejects %j with one line and exit 2', async (argv, message) => {
    const c = capture();
    try {
      expect(await labMain(argv)).toBe(2);
      expect(c.err()).toMatch(message);
      expect(c.err().trim().split('\n')).toHaveLength(1);
    } finally { c.restore(); }
  });
});

describe('runScenario preconditions', () => {
  it('refuses to run without root, before building anything', async () => {
    const { runScenario, listLabNamespaces } = await import('../../tools/lab/index.js');
    const uid = vi.spyOn(process, 'getuid').mockReturnValue(1000);
    try {
      await expect(runScenario('guest-start-stop', { out: '/nonexistent/never-created' })).rejects.toMatchObject({ code: 'LAB_NOT_ROOT' });
      expect(listLabNamespaces(process.pid)).toEqual([]);
    } finally { uid.mockRestore(); }
  });

  // The root check comes first, so this path needs root (CI runs as root).
  it.skipIf(process.getuid?.() !== 0 && !process.env.CI)('names the folder it cannot record into (exit 2, one line)', async () => {
    const c = capture();
    try {
      expect(await labMain(['guest-start-stop', '--out', '/proc/version/run'])).toBe(2);
      expect(c.err()).toMatch(/^lab: \/proc\/version\/run: cannot record into this folder: /);
      expect(c.err().trim().split('\n')).toHaveLength(1);
    } finally { c.restore(); }
  });
});
