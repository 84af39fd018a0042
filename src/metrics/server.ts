/**
 * The scrape endpoint of `live --metrics-listen`: GET /metrics answers the registry's exposition.
 * Loopback by default: a bare port binds 127.0.0.1, and any other address must be written out
 * (the caller warns then: the series name bridges and ports of the host).
 */
import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { BridgewatchError } from '../errors.js';

/** Where to listen. */
export interface ListenAddress {
  host: string;
  port: number;
  /** True for 127.0.0.0/8, ::1 and `localhost`. */
  loopback: boolean;
}

/** True for addresses only this host can reach. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Parses `PORT`, `HOST:PORT` or `[IPV6]:PORT` (port 0: any free port). A bare port means
 * 127.0.0.1. USAGE error (exit 2) on anything else.
 */
export function parseListen(value: string): ListenAddress {
  const bad = (why: string): BridgewatchError =>
    new BridgewatchError('USAGE', `--metrics-listen must be PORT, HOST:PORT or [IPV6]:PORT (${why}), got "${value}"`);
  let host = '127.0.0.1';
  let portText = value;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  if (v6) {
    host = v6[1]!;
    portText = v6[2]!;
    if (isIP(host) !== 6) throw bad('not an IPv6 address');
  } else if (value.includes(':')) {
    const at = value.lastIndexOf(':');
    host = value.slice(0, at);
    portText = value.slice(at + 1);
    if (host.includes(':')) throw bad('write IPv6 addresses in brackets');
    if (host !== 'localhost' && isIP(host) !== 4) throw bad('host must be an IP address or localhost');
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw bad('port must be 0-65535');
  return { host, port: Number(portText), loopback: isLoopbackHost(host) };
}

/** A running endpoint. */
export interface MetricsServer {
  /** The URL scrapers use, with the port actually bound (port 0 resolved). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Content type of the text exposition format 0.0.4. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Starts serving `render()` on GET /metrics (404 elsewhere, 405 for other methods). Rejects with
 * USAGE (exit 2, one line) when the address cannot be bound (in use, not on this host).
 */
export async function startMetricsServer(address: ListenAddress, render: () => Promise<string>): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('bridgewatch: metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    render().then(
      (body) => res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE }).end(req.method === 'HEAD' ? undefined : body),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`bridgewatch: cannot collect metrics: ${(e as Error).message}\n`),
    );
  });
  // A scraper keeps its connection open; do not let it hold the process at exit.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(new BridgewatchError('USAGE', `--metrics-listen ${address.host}:${address.port}: cannot listen (${e.code ?? e.message})`));
    });
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
  const hostPart = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${hostPart}:${port}/metrics`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/**
 * The registry an endpoint serves: bridgewatch's series plus the standard process_* and nodejs_*
 * ones (memory, CPU, event-loop lag of the live process). Not for the textfile: node_exporter
 * exports its own process_* series, which would collide.
 */
export function withProcessMetrics(registry: Registry): Registry {
  const processRegistry = new Registry();
  collectDefaultMetrics({ register: processRegistry });
  for (const name of MISNAMED_DEFAULT_METRICS) processRegistry.removeSingleMetric(name);
  return Registry.merge([registry, processRegistry]);
}

/**
 * prom-client default metrics that are gauges named `_total`, which `promtool check metrics`
 * rejects (counters only); left out so the endpoint passes the same check as the textfile.
 */
export const MISNAMED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];
