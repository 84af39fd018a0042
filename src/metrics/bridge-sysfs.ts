/**
 * Bridge facts for the metrics, read from sysfs at collection time: is the bridge MAC pinned
 * (`addr_assign_type` 3, NET_ADDR_SET: the kernel then never makes the bridge follow its lowest
 * port MAC), and each port's STP state (`brif/PORT/state`, BR_STATE_* numbering). Synchronous and
 * cheap (a few small files per bridge); the sysfs root is injectable so tests use a fake tree.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Default sysfs folder of network interfaces. */
export const SYS_CLASS_NET = '/sys/class/net';

/** `addr_assign_type` value meaning "set by the user" (include/uapi/linux/netdevice.h NET_ADDR_SET). */
export const NET_ADDR_SET = 3;

/** One port of a bridge. */
export interface BridgePortReading {
  port: string;
  /** BR_STATE_*: 0 disabled, 1 listening, 2 learning, 3 forwarding, 4 blocking. */
  stpState: number;
}

/** One bridge as sysfs shows it now. */
export interface BridgeReading {
  bridge: string;
  /** `addr_assign_type`: 0 permanent, 1 random, 2 stolen, 3 set; null when unreadable. */
  addrAssignType: number | null;
  /** True when `addrAssignType` is 3: the bridge MAC no longer follows its ports. */
  pinned: boolean;
  ports: BridgePortReading[];
}

function readInt(file: string): number | null {
  try {
    const n = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** True when `name` is a bridge (has a `bridge/` folder in sysfs). */
export function isBridgeIn(name: string, sysNet = SYS_CLASS_NET): boolean {
  return existsSync(join(sysNet, name, 'bridge'));
}

/**
 * The bridges whose facts a live run on `iface` reports: `iface` itself when it is a bridge,
 * else the bridge it is a port of, else none. One bridge per run keeps the series of several
 * `live` instances on one host (one per bridge) from colliding in node_exporter's textfile folder.
 */
export function bridgesWatchedBy(iface: string, sysNet = SYS_CLASS_NET): string[] {
  if (isBridgeIn(iface, sysNet)) return [iface];
  // brport/bridge is a symlink to the bridge's folder (../../BRIDGE): its last element names it.
  try {
    const name = basename(readlinkSync(join(sysNet, iface, 'brport', 'bridge')));
    return name === '' ? [] : [name];
  } catch {
    return [];
  }
}

/** Reads one bridge; null when it is gone or not a bridge. */
export function readBridge(bridge: string, sysNet = SYS_CLASS_NET): BridgeReading | null {
  if (!isBridgeIn(bridge, sysNet)) return null;
  const addrAssignType = readInt(join(sysNet, bridge, 'addr_assign_type'));
  const ports: BridgePortReading[] = [];
  for (const port of listDir(join(sysNet, bridge, 'brif'))) {
    const state = readInt(join(sysNet, bridge, 'brif', port, 'state'));
    if (state !== null) ports.push({ port, stpState: state });
  }
  return { bridge, addrAssignType, pinned: addrAssignType === NET_ADDR_SET, ports };
}
