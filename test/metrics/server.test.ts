/** The scrape endpoint: address parsing (loopback by default), HTTP behaviour, bind failures. */
import { describe, expect, it } from 'vitest';
import { parseListen, startMetricsServer, EXPOSITION_CONTENT_TYPE } from '../../src/metrics/index.js';

describe('parseListen', () => {
  it.each([
    ['9723', { host: '127.0.0.1', port: 9723, loopback: true }],
    ['127.0.0.1:9723', { host: '127.0.0.1', port: 9723, loopback: true }],
    ['127.0.0.53:0', { host: '127.0.0.53', port: 0, loopback: true }],
    ['localhost:9723', { host: 'localhost', port: 9723, loopback: true }],
    ['[::1]:9723', { host: '::1', port: 9723, loopback: true }],
    ['0.0.0.0:9723', { host: '0.0.0.0', port: 9723, loopback: false }],
    ['192.0.2.10:9723', { host: '192.0.2.10', port: 9723, loopback: false }],
    ['[2001:db8::1]:9723', { host: '2001:db8::1', port: 9723, loopback: false }],
  ])('%s', (value, expected) => {
    expect(parseListen(value)).toEqual(expected);
  });

  it.each(['', 'abc', '70000', '127.0.0.1:', 'host.example:9723', '::1:9723', '[127.0.0.1]:9723', '127.0.0.1:-1'])('rejects "%s" with one USAGE line', (value) => {
    let error: unknown = null;
    try { parseListen(value); } catch (e) { error = e; }
    expect((error as { code?: string }).code).toBe('USAGE');
    expect((error as Error).message).toMatch(/^--metrics-listen must be PORT, HOST:PORT or \[IPV6\]:PORT/);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('startMetricsServer', () => {
  it('serves /metrics with the exposition content type, 404 elsewhere, 405 for POST, 500 when collection fails', async () => {
    let fail = false;
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0, loopback: true }, async () => {
      if (fail) throw new Error('sysfs gone');
      return '# HELP x_total x\n# TYPE x_total counter\nx_total 1\n';
    });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
      const ok = await fetch(server.url);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
      expect(await ok.text()).toContain('x_total 1');
      expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
      fail = true;
      const bad = await fetch(server.url);
      expect(bad.status).toBe(500);
      expect(await bad.text()).toContain('sysfs gone');
    } finally {
      await server.close();
    }
  });

  it('rejects with one USAGE line when the port is taken', async () => {
    const first = await startMetricsServer({ host: '127.0.0.1', port: 0, loopback: true }, async () => '');
    try {
      const error = await startMetricsServer({ host: '127.0.0.1', port: first.port, loopback: true }, async () => '').then(() => null, (e: unknown) => e);
      expect((error as { code?: string }).code).toBe('USAGE');
      expect((error as Error).message).toBe(`--metrics-listen 127.0.0.1:${first.port}: cannot listen (EADDRINUSE)`);
    } finally {
      await first.close();
    }
  });
});
