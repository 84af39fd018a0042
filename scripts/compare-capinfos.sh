#!/usr/bin/env bash
# Compares `bridgewatch stats` packet counts with Wireshark's `capinfos -c -M` on every capture in
# a directory (e.g. the tcpdump project's tests/ directory), one file at a time with a timeout.
#
#   scripts/compare-capinfos.sh DIR [TIMEOUT_SECONDS]
#
# Prints one line per file that does not simply match, then the figures:
#   compared   files capinfos reads (exit 0 and a packet count)
#   match      bridgewatch read the same number of packets without an error
#   mismatch   a different count, an error on a file capinfos reads, a crash or a timeout
#   rejected   files capinfos itself rejects (not compared; bridgewatch must still not crash or hang)
# Exit status: 0 when every compared file matches and nothing crashed or hung, 1 otherwise.
# Needs capinfos (wireshark-common), jq, timeout, and a built bridgewatch (npm ci builds dist/).
set -u
dir=${1:?usage: compare-capinfos.sh DIR [TIMEOUT_SECONDS]}
limit=${2:-30}
here=$(cd "$(dirname "$0")/.." && pwd)
compared=0 match=0 mismatch=0 rejected=0 crashed=0 hung=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Run a private copy of the build: a test run rebuilds dist/ (vitest's global setup), and a file
# read while dist/ is half rewritten would show up here as a crash.
mkdir "$tmp/bw" && cp -r "$here/bin" "$here/dist" "$here/package.json" "$tmp/bw/" && ln -s "$here/node_modules" "$tmp/bw/node_modules" \
  || { echo "cannot copy the build from $here (run npm ci first)"; exit 1; }
bw=(node "$tmp/bw/bin/bridgewatch.js")

while IFS= read -r -d '' file; do
  name=${file#"$dir"/}
  ci_out=$(timeout "$limit" capinfos -c -M "$file" 2>"$tmp/ci.err")
  ci_rc=$?
  ci_count=$(sed -n 's/^Number of packets: *\([0-9]*\)$/\1/p' <<<"$ci_out")
  timeout "$limit" "${bw[@]}" stats --format json "$file" >"$tmp/bw.json" 2>"$tmp/bw.err"
  bw_rc=$?
  bw_count=$(jq -r '.captures[0].packets // empty' "$tmp/bw.json" 2>/dev/null)
  bw_error=$(head -c 300 "$tmp/bw.err" | head -n 1)
  if [[ $bw_rc -eq 124 ]]; then
    hung=$((hung + 1)); echo "HANG      $name (over ${limit}s)"
  elif [[ $bw_rc -ne 0 && $bw_rc -ne 2 ]] || grep -q '^    at ' "$tmp/bw.err"; then
    crashed=$((crashed + 1)); echo "CRASH     $name (exit $bw_rc): $bw_error"
  fi
  if [[ $ci_rc -ne 0 || -z $ci_count ]]; then
    rejected=$((rejected + 1))
    echo "REJECTED  $name: capinfos: $(head -n 1 "$tmp/ci.err") | bridgewatch ${bw_count:-?} packets${bw_error:+, $bw_error}"
    continue
  fi
  compared=$((compared + 1))
  if [[ $bw_rc -eq 0 && $bw_count == "$ci_count" ]]; then
    match=$((match + 1))
  else
    mismatch=$((mismatch + 1))
    echo "MISMATCH  $name: capinfos $ci_count, bridgewatch ${bw_count:-?}${bw_error:+ ($bw_error)}"
  fi
done < <(find "$dir" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' -o -name '*.pcap.gz' -o -name '*.pcapng.gz' \) -print0 | sort -z)

echo "compared $compared, match $match, mismatch $mismatch, rejected by capinfos $rejected, crashed $crashed, hung $hung"
[[ $mismatch -eq 0 && $crashed -eq 0 && $hung -eq 0 ]]
