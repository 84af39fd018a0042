/**
 * A small unified diff (LCS over lines) for showing what `--write-config` changed. Config files are
 * small, so the O(n*m) table is fine; no external `diff` is needed.
 */

/** Unified diff of two texts with 3 lines of context, `--- a` / `+++ b` headers. Empty when equal. */
export function unifiedDiff(before: string, after: string, fromName: string, toName: string): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  type Op = { tag: ' ' | '-' | '+'; text: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { ops.push({ tag: ' ', text: a[i]!, ai: i, bi: j }); i++; j++; }
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) { ops.push({ tag: '-', text: a[i]!, ai: i, bi: j }); i++; }
    else { ops.push({ tag: '+', text: b[j]!, ai: i, bi: j }); j++; }
  }
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  const context = 3;
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.tag === ' ') { k++; continue; }
    const start = Math.max(0, k - context);
    let end = k;
    // extend the hunk while changes are within 2*context lines of each other
    for (let last = k; end < ops.length; end++) {
      if (ops[end]!.tag !== ' ') last = end;
      else if (end - last > 2 * context) break;
    }
    let stop = end;
    while (stop > k && ops[stop - 1]!.tag === ' ') stop--;
    stop = Math.min(ops.length, stop + context);
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.tag !== '+').length;
    const bCount = hunk.filter((o) => o.tag !== '-').length;
    const first = hunk[0]!;
    out.push(`@@ -${first.ai + (aCount ? 1 : 0)},${aCount} +${first.bi + (bCount ? 1 : 0)},${bCount} @@`);
    for (const o of hunk) out.push(`${o.tag}${o.text}`);
    k = stop;
  }
  return out.join('\n') + '\n';
}
