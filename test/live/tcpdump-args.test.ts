/**
 * The tcpdump capture backend's pure parts (src/live/tcpdump.ts): the command line it runs, the
 * counter reports and "listening on" line it parses from tcpdump's stderr, the interface counters
 * it reads from /proc/PID/net/dev, and how a missing tcpdump is reported. No privileges needed.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  locateTcpdump, openTcpdumpCapture, parseListening, parseTcpdumpStats, readNetDev, tcpdumpArgs, TCPDUMP_SNAPLEN,
} from '../../src/live/tcpdump.js';
import { DEFAULT_BPF } from '../../src/live/capture.js';
import { isBridgewatchError } from '../../src/errors.js';
import { statsLine } from '../../src/live/print.js';

describe('tcpdumpArgs', () => {
  it('asks for the snap length, immediate mode, packet-buffered pcap on stdout, ns stamps and the ring in KiB', () => {
    expect(tcpdumpArgs({ tcpdump: '/usr/bin/tcpdump', iface: 'br0', filter: DEFAULT_BPF, bufferBytes: 64 * 1024 * 1024 })).toEqual([
      '/usr/bin/tcpdump', '-i', 'br0', '-s', String(TCPDUMP_SNAPLEN), '--immediate-mode', '-U', '-B', '65536',
      '--time-stamp-precision', 'nano', '-w', '-', '-n', '--', DEFAULT_BPF,
    ]);
  });

  it('rounds the ring up to whole KiB, passes no filter for --all and a custom snap length as given', () => {
    const argv = tcpdumpArgs({ tcpdump: '/t', iface: 'lvB', filter: '', bufferBytes: 1500, snaplen: 262 });
    expect(argv).toEqual(['/t', '-i', 'lvB', '-s', '262', '--immediate-mode', '-U', '-B', '2', '--time-stamp-precision', 'nano', '-w', '-', '-n']);
  });

  it('writes into a FIFO, keeping root to open it, when given one', () => {
    const argv = tcpdumpArgs({ tcpdump: '/t', iface: 'lvB', filter: 'arp', bufferBytes: 1024, fifo: '/tmp/x/stream.pcap' });
    expect(argv.slice(argv.indexOf('-w'))).toEqual(['-w', '/tmp/x/stream.pcap', '-n', '-Z', 'root', '--', 'arp']);
  });

  it('runs inside the namespace with ip netns exec, the filter after -- as one argument', () => {
    const argv = tcpdumpArgs({ tcpdump: '/t', iface: 'lvB', filter: 'arp or -x', bufferBytes: 1024 * 1024, netns: 'bwlv-1' });
    expect(argv.slice(0, 5)).toEqual(['ip', 'netns', 'exec', 'bwlv-1', '/t']);
    expect(argv.slice(-2)).toEqual(['--', 'arp or -x']);
    expect(argv[argv.indexOf('-B') + 1]).toBe('1024');
  });

  it('keeps everything the decoders read: Ethernet + QinQ + IPv6 + ICMPv6 NDP with options fit with room to spare', () => {
    // 14 + 8 + 40 + a 40-byte extension header + NS (24) + two 8-byte options.
    expect(TCPDUMP_SNAPLEN).toBeGreaterThanOrEqual(14 + 8 + 40 + 40 + 24 + 16);
    expect(TCPDUMP_SNAPLEN).toBeLessThanOrEqual(1024); // small slots are the point
  });
});

describe('parseTcpdumpStats', () => {
  it('reads the one-line SIGUSR1 report', () => {
    const text = 'tcpdump: 1234 packets captured, 1300 packets received by filter, 66 packets dropped by kernel\n';
    const r = parseTcpdumpStats(text);
    expect(r?.stats).toEqual({ captured: 1234, receivedByFilter: 1300, droppedByKernel: 66 });
    expect(r?.end).toBe(text.length - 1);
  });

  it('reads the three-line report at exit, singular forms included', () => {
    const r = parseTcpdumpStats('tcpdump: pcap_loop: The interface disappeared\n1 packet captured\n2 packets received by filter\n1 packet dropped by kernel\n');
    expect(r?.stats).toEqual({ captured: 1, receivedByFilter: 2, droppedByKernel: 1 });
  });

  it('finds nothing in a report cut between two reads, and the whole one once completed', () => {
    const head = 'tcpdump: listening on lvB, link-type EN10MB (Ethernet), snapshot length 512 bytes\ntcpdump: 7 packets captured, 7 packets rec';
    expect(parseTcpdumpStats(head)).toBeNull();
    expect(parseTcpdumpStats(`${head}eived by filter, 0 packets dropped by kernel\n`)?.stats).toEqual({ captured: 7, receivedByFilter: 7, droppedByKernel: 0 });
  });
});

describe('parseListening', () => {
  it('maps tcpdump\'s DLT names to link types', () => {
    expect(parseListening('tcpdump: listening on lvB, link-type EN10MB (Ethernet), snapshot length 512 bytes')).toBe(1);
    expect(parseListening('tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 512 bytes')).toBe(276);
    expect(parseListening('tcpdump: listening on any, link-type LINUX_SLL (Linux cooked v1), snapshot length 512 bytes')).toBe(113);
    expect(parseListening('tcpdump: lvB: No such device exists')).toBeNull();
  });
});

describe('readNetDev', () => {
  const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
   lvB: 60000000 1000000    0    7    0     0          0         0      516       6    0    0    0     0       0          0
`;
  it('reads rx/tx packets and rx drops of the interface, null when it is not listed', () => {
    expect(readNetDev(0, 'lvB', text)).toEqual({ rxPackets: 1_000_000, rxDropped: 7, txPackets: 6 });
    expect(readNetDev(0, 'lvA', text)).toBeNull();
  });

  it('reads this process\'s namespace through /proc', () => {
    expect(readNetDev(process.pid, 'lo')).not.toBeNull();
  });
});

describe('a missing tcpdump', () => {
  it('is LIVE_TCPDUMP_MISSING in one line naming the package', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bwlv-path-'));
    try {
      // Present but not executable is missing too.
      writeFileSync(join(dir, 'tcpdump'), '');
      chmodSync(join(dir, 'tcpdump'), 0o644);
      for (const attempt of [() => locateTcpdump('tcpdump', dir), () => locateTcpdump('bridgewatch-no-such-tcpdump', '/usr/bin:/bin')]) {
        let error: unknown = null;
        try { attempt(); } catch (e) { error = e; }
        expect(isBridgewatchError(error)).toBe(true);
        expect((error as { code: string }).code).toBe('LIVE_TCPDUMP_MISSING');
        expect((error as Error).message).toMatch(/is not installed \(not found on PATH\): install it \(apt-get install tcpdump\)/);
        expect((error as Error).message).not.toContain('\n');
      }
      chmodSync(join(dir, 'tcpdump'), 0o755);
      expect(locateTcpdump('tcpdump', `relative:${dir}`)).toBe(join(dir, 'tcpdump'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects the open before anything is spawned', async () => {
    const error = await openTcpdumpCapture({ iface: 'lo' }, { onPacket: () => undefined }, { tcpdump: 'bridgewatch-no-such-tcpdump' }).then(() => null, (e: unknown) => e);
    expect((error as { code?: string }).code).toBe('LIVE_TCPDUMP_MISSING');
  });
});

describe('statsLine', () => {
  it('says which kernel drop counter it prints', () => {
    const base = { captured: 10, received: 10, queueDrops: 0, truncated: 0, interfaceFrames: 12, interfaceRxDropped: 0 };
    expect(statsLine('lvB', { ...base, kernelDropsEstimate: 2, kernelDropsFrom: 'pcap_stats' })).toBe(
      'bridgewatch: live lvB: 10 frames captured, 0 dropped by bridgewatch (queue full), 2 dropped by the kernel (pcap_stats)');
    expect(statsLine('lvB', { ...base, kernelDropsEstimate: 2, kernelDropsFrom: 'interface counters' })).toMatch(/~2 dropped by the kernel \(estimate\)$/);
    expect(statsLine('lvB', { ...base, kernelDropsEstimate: null })).toMatch(/not measurable with a filter/);
  });
});
