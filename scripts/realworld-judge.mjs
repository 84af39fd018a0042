/**
 * Judges one bridgewatch analysis (its `bridgewatch/1` JSON document, as `analyze --format json`
 * prints it) against the expectation a network engineer wrote for a capture of the real-world
 * corpus (samples/public/manifest.json). Shared by test/realworld/corpus.test.ts and
 * scripts/realworld-compare.mjs so that the suite and the comparison table cannot disagree.
 *
 * An expectation:
 * - `maxIncidents`: at most this many incidents;
 * - `maxSeverity`: no incident above this severity (`info` < `warning` < `critical`);
 * - `forbidden`: kinds that must appear neither as an incident kind nor as a finding kind
 *   (`reply-gap`, `outage`, `ip-clash`, `arp-spoof`, ...);
 * - `required`: each entry must be met by at least one finding or incident of that kind whose
 *   JSON mentions the address `ip` and every MAC of `macs` (in any field: `ip`, `macs`, `toMac`,
 *   a spoofer field, ...), so new finding kinds are judged without changing this file.
 */

const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 };

/** Every string inside a JSON value, lower-cased (MACs and addresses are compared as text). */
function stringsOf(value, out = new Set()) {
  if (typeof value === 'string') out.add(value.toLowerCase());
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) stringsOf(v, out);
  return out;
}

/** The findings and incidents of a document, each with the strings it mentions. */
function records(doc) {
  const findings = doc.findings.map((f) => ({ kind: f.kind, what: 'finding', strings: stringsOf(f) }));
  const incidents = doc.incidents.map((i) => {
    const strings = stringsOf({ ip: i.ip, kind: i.kind });
    for (const n of i.findings) for (const s of findings[n]?.strings ?? []) strings.add(s);
    return { kind: i.kind, what: 'incident', strings };
  });
  return [...findings, ...incidents];
}

/**
 * @returns {{ right: boolean, reasons: string[] }} `reasons` says what is wrong (empty when right).
 */
export function judge(doc, expect) {
  const reasons = [];
  const capture = doc.captures?.[0];
  if (capture?.error) reasons.push(`read error: ${capture.error.message}`);
  if (expect.maxIncidents !== undefined && doc.incidents.length > expect.maxIncidents) {
    reasons.push(`${doc.incidents.length} incident(s), at most ${expect.maxIncidents} expected`);
  }
  if (expect.maxSeverity !== undefined) {
    const limit = SEVERITY_RANK[expect.maxSeverity];
    for (const i of doc.incidents) {
      if (SEVERITY_RANK[i.severity] > limit) reasons.push(`${i.kind} ${i.ip} is ${i.severity}, at most ${expect.maxSeverity} expected`);
    }
  }
  const all = records(doc);
  for (const kind of expect.forbidden ?? []) {
    const hits = all.filter((r) => r.kind === kind);
    if (hits.length > 0) reasons.push(`forbidden ${kind}: ${hits.length} ${hits[0].what}(s)`);
  }
  for (const want of expect.required ?? []) {
    const needles = [want.ip, ...(want.macs ?? [])].filter((s) => s !== undefined).map((s) => s.toLowerCase());
    const met = all.some((r) => r.kind === want.kind && needles.every((n) => r.strings.has(n)));
    if (!met) reasons.push(`missing ${want.kind}${needles.length ? ` naming ${needles.join(', ')}` : ''}`);
  }
  return { right: reasons.length === 0, reasons };
}

/** One line describing what bridgewatch reported, for tables and failure messages. */
export function describe(doc) {
  if (doc.incidents.length === 0) {
    const kinds = [...new Set(doc.findings.map((f) => f.kind))];
    return kinds.length ? `no incident (findings: ${kinds.join(', ')})` : 'no incident';
  }
  return doc.incidents.map((i) => {
    const kinds = [...new Set(i.findings.map((n) => doc.findings[n]?.kind))];
    return `${i.kind} ${i.ip} (${i.severity}${i.cause ? `, cause ${i.cause.code}` : ''}; ${kinds.join('+')}${i.findings.length > 1 ? ` x${i.findings.length}` : ''})`;
  }).join('; ');
}
