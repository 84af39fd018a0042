/**
 * Docker bridge networks, from `docker network inspect` JSON (the daemon's state is in a bolt
 * database, so the CLI is the readable source): the Linux bridge is
 * `Options["com.docker.network.bridge.name"]`, else `docker0` for the default network and
 * `br-<first 12 of Id>` for user networks. Each container endpoint is a veth whose host side gets a
 * random MAC at every container start.
 */
import { normMac } from './parse-util.js';
import type { GuestPort, GuestReadProblem } from './types.js';

interface DockerNetwork {
  Name?: string;
  Id?: string;
  Driver?: string;
  Options?: Record<string, string> | null;
  Containers?: Record<string, { Name?: string; MacAddress?: string }> | null;
}

/** The bridge name Docker gives a network. */
export function dockerBridgeName(n: DockerNetwork): string | null {
  const named = n.Options?.['com.docker.network.bridge.name'];
  if (named) return named;
  if (n.Name === 'bridge') return 'docker0';
  return n.Id ? `br-${n.Id.slice(0, 12)}` : null;
}

/** Container endpoints of bridge-driver networks in `docker network inspect` output. */
export function parseDockerNetworks(json: string, file: string): { ports: GuestPort[]; problems: GuestReadProblem[] } {
  let networks: DockerNetwork[];
  try {
    const parsed = JSON.parse(json) as unknown;
    if (!Array.isArray(parsed)) throw new Error('not a JSON array');
    networks = parsed as DockerNetwork[];
  } catch (e) {
    return { ports: [], problems: [{ file, line: null, message: `docker network inspect: ${(e as Error).message}` }] };
  }
  const ports: GuestPort[] = [];
  for (const n of networks) {
    if (n.Driver !== 'bridge') continue;
    const bridge = dockerBridgeName(n);
    for (const [id, c] of Object.entries(n.Containers ?? {})) {
      ports.push({
        source: 'docker', guest: c.Name ?? id.slice(0, 12), iface: n.Name ?? '?', bridge, hostPort: null,
        guestMac: normMac(c.MacAddress), hostMac: { kind: 'random' }, file, line: null, running: true,
      });
    }
  }
  return { ports, problems: [] };
}
