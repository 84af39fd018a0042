/**
 * Source of the capture child process, run as `node -e CAP_CHILD_SOURCE CAP_PATH IFACE FILTER
 * BUFFER_BYTES STATS_MS CHECK_MS` (possibly under `ip netns exec NS`). It is a string (not a module file) so that it runs the same from the
 * TypeScript sources under vitest and from dist/.
 *
 * Why a child: cap 0.2.1 asserts (`Assertion 'status == 0' failed`, SIGABRT) when the capture
 * interface is deleted, which would kill the whole process and lose the report. In a child, the
 * parent survives, sees the interface gone, and writes the postmortem.
 *
 * What the child does: opens cap (libpcap, immediate mode, promiscuous, snaplen 65535), stamps
 * each packet when cap delivers it (cap 0.2.1 does not pass libpcap's header timestamp; the
 * monotonic clock anchored to the wall clock at start gives ns resolution, and the delay is the
 * delivery latency: µs when idle), and writes records (records.ts) to fd 3 through an
 * asynchronous pipe. When the parent falls behind by more than MAX_PENDING bytes, packets are
 * counted as `queueDrops` instead of buffered: memory stays bounded.
 */
export const CAP_CHILD_SOURCE = String.raw`
'use strict';
(function main() {
const net = require('net');
const fs = require('fs');
const [capPath, iface, filter, bufferBytes, statsMs, checkMs] = process.argv.slice(1);
const HDR = 20, PACKET = 1, MESSAGE = 2;
const MAX_PENDING = 32 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const out = new net.Socket({ fd: 3, readable: false, writable: true });
out.on('error', () => process.exit(0)); // parent gone
// Records are appended to one chunk; each flush writes the bytes added since the last one as a
// view (no copy) and the chunk is replaced only when full, so a storm allocates a buffer per
// CHUNK bytes, not per event-loop turn (a fresh 1 MiB buffer per turn kept the GC busy).
let chunk = Buffer.allocUnsafe(CHUNK), used = 0, flushed = 0, pending = 0, flushQueued = false;
let captured = 0, queueDrops = 0, truncated = 0;
// Stamps: the wall clock at start plus the monotonic clock since (performance.now(): ms as a
// double, sub-µs resolution, and unlike process.hrtime() no array allocated per frame).
const { performance } = require('perf_hooks');
const wall0 = Date.now(), mono0 = performance.now();
const sec0 = Math.floor(wall0 / 1000), nsec0 = (wall0 % 1000) * 1e6;

// At most one write per FLUSH_GAP_MS under load: a storm delivered a handful of frames per
// event-loop turn, and a write (and a wake-up of the parent) per turn cost more than the frames.
// A lone frame is still written in the same turn it arrived.
const FLUSH_GAP_MS = 1;
let lastFlush = -1e9;
function flush() {
  flushQueued = false;
  if (used === flushed) return;
  lastFlush = performance.now();
  const n = used - flushed;
  pending += n;
  out.write(chunk.subarray(flushed, used), () => { pending -= n; });
  flushed = used;
}
function reserve(n) {
  if (CHUNK - used < n) { flush(); chunk = Buffer.allocUnsafe(Math.max(CHUNK, n)); used = 0; flushed = 0; }
  if (!flushQueued) {
    flushQueued = true;
    if (performance.now() - lastFlush >= FLUSH_GAP_MS) setImmediate(flush); else setTimeout(flush, FLUSH_GAP_MS);
  }
}
function header(type, len, sec, nsec, wire) {
  chunk.writeUInt32LE(type, used); chunk.writeUInt32LE(len, used + 4);
  chunk.writeUInt32LE(sec, used + 8); chunk.writeUInt32LE(nsec, used + 12);
  chunk.writeUInt32LE(wire, used + 16); used += HDR;
}
function message(obj) {
  const body = Buffer.from(JSON.stringify(obj));
  reserve(HDR + body.length);
  header(MESSAGE, body.length, 0, 0, 0);
  body.copy(chunk, used); used += body.length;
}
// Interface counters, read here because this process is in the capture's network namespace.
function counter(name) {
  try { return Number(fs.readFileSync('/sys/class/net/' + iface + '/statistics/' + name, 'utf8')); } catch { return null; }
}
function counters() {
  return { rxPackets: counter('rx_packets'), txPackets: counter('tx_packets'), rxDropped: counter('rx_dropped') };
}
function stats(final) {
  message(Object.assign({ type: 'stats', captured, queueDrops, truncated, final }, counters()));
}

let Cap;
try { Cap = require(capPath).Cap; }
catch (e) { message({ type: 'error', stage: 'load', message: String(e && e.message || e) }); flush(); out.end(() => process.exit(3)); return; }
// cap's C++ looks up emit once, when the object is constructed, and calls emit('packet', nbytes,
// truncated) per frame: a subclass whose emit takes the frame directly skips EventEmitter.
class Capture extends Cap {}
Capture.prototype.emit = function (name, nbytes, isTruncated) { if (name === 'packet') onPacket(nbytes, isTruncated); };
const cap = new Capture();
const packetBuffer = Buffer.alloc(65535); // kept referenced: cap writes into it from C++
let linkType;
try { linkType = cap.open(iface, filter, Number(bufferBytes), packetBuffer); }
catch (e) { message({ type: 'error', stage: 'open', message: String(e && e.message || e) }); flush(); out.end(() => process.exit(3)); return; }
message(Object.assign({ type: 'ready', linkType, pid: process.pid }, counters()));
flush();

function onPacket(nbytes, isTruncated) {
  captured++;
  if (pending > MAX_PENDING) { queueDrops++; return; }
  if (isTruncated) truncated++;
  const ms = performance.now() - mono0;
  const whole = Math.floor(ms / 1000);
  let sec = sec0 + whole, nsec = nsec0 + Math.round((ms - whole * 1000) * 1e6);
  if (nsec >= 1e9) { sec += 1; nsec -= 1e9; }
  reserve(HDR + nbytes);
  header(PACKET, nbytes, sec, nsec, nbytes);
  if (nbytes <= 128) { for (let i = 0; i < nbytes; i++) chunk[used + i] = packetBuffer[i]; }
  else packetBuffer.copy(chunk, used, 0, nbytes);
  used += nbytes;
}

const timer = setInterval(() => stats(false), Math.max(100, Number(statsMs)));
// cap cannot report a deleted interface (it aborts on the next poll), so look for it.
const watch = setInterval(() => {
  if (iface !== 'any' && !fs.existsSync('/sys/class/net/' + iface)) { message({ type: 'gone' }); stop(); }
}, Math.max(50, Number(checkMs)));
let stopping = false;
function stop() {
  if (stopping) return; stopping = true;
  clearInterval(timer); clearInterval(watch);
  try { cap.close(); } catch {}
  stats(true); flush();
  out.end(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop); // the parent closed our stdin (or died)
process.stdin.resume();
})();
`;
