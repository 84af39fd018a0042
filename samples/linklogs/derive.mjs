// Derives the journald/syslog fixtures from the real kernel lines in real-dmesg.log (recorded by
// record.sh on this kernel): journald is not running in this sandbox, so `journalctl -k` could not
// be recorded; these files have the exact layouts those tools print, with the recorded messages,
// times = boot time (real-dmesg.boot-epoch) + seconds since boot, host name "hv".
// Usage: node derive.mjs   (writes derived-*.log next to itself)
import { readFileSync, writeFileSync } from 'node:fs';
const here = new URL('.', import.meta.url).pathname;
const boot = Number(readFileSync(`${here}real-dmesg.boot-epoch`, 'utf8').trim());
const lines = readFileSync(`${here}real-dmesg.log`, 'utf8').trim().split('\n').slice(0, 30);
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const out = { short: [], precise: [], iso: [], isoPrecise: [], json: [], kernlog: [], rfc5424: [] };
for (const line of lines) {
  const m = /^\[\s*(\d+)\.(\d{6})\] (.*)$/.exec(line);
  if (!m) continue;
  const usec = (boot + Number(m[1])) * 1e6 + Number(m[2]);
  const d = new Date(Math.floor(usec / 1000));
  const p2 = (n) => String(n).padStart(2, '0');
  const frac = String(usec % 1e6).padStart(6, '0');
  const bsd = `${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  const iso = d.toISOString().slice(0, 19);
  const msg = m[3];
  out.short.push(`${bsd} hv kernel: ${msg}`);
  out.precise.push(`${bsd}.${frac} hv kernel: ${msg}`);
  out.iso.push(`${iso}+0000 hv kernel: ${msg}`);
  out.isoPrecise.push(`${iso}.${frac}+00:00 hv kernel: ${msg}`);
  out.json.push(JSON.stringify({ __REALTIME_TIMESTAMP: String(usec), _TRANSPORT: 'kernel', SYSLOG_IDENTIFIER: 'kernel', PRIORITY: '6', _HOSTNAME: 'hv', MESSAGE: msg }));
  out.kernlog.push(`${bsd} hv kernel: [${m[1].padStart(5, ' ')}.${m[2]}] ${msg}`);
  out.rfc5424.push(`<6>1 ${iso}.${frac}+00:00 hv kernel - - - ${msg}`);
}
const w = (name, rows, head = []) => writeFileSync(`${here}${name}`, [...head, ...rows].join('\n') + '\n');
w('derived-journalctl-short.log', out.short, ['-- Journal begins at Sat 2026-11-21 09:27:46 UTC. --']);
w('derived-journalctl-short-precise.log', out.precise);
w('derived-journalctl-short-iso.log', out.iso);
w('derived-journalctl-short-iso-precise.log', out.isoPrecise);
w('derived-journalctl.json', out.json);
w('derived-kern.log', out.kernlog);
w('derived-syslog-rfc5424.log', out.rfc5424);
