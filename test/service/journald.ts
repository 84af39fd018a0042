/**
 * A real systemd-journald for tests on machines without a running one (CI containers): started in
 * a private mount namespace (`unshare -m`) where a tmpfs covers /run/systemd/journal (its sockets)
 * and a temp dir covers /run/log/journal and /var/log/journal (its files), with a journald.conf
 * bind-mounted over the host's (Storage=volatile, no kmsg, no forwarding). The command under test
 * runs in the same mount namespace, so `logger --journald` finds the socket at its fixed path;
 * the entries are read afterwards from the host with `journalctl --directory`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where Debian's systemd package puts journald. */
export const JOURNALD = ['/lib/systemd/systemd-journald', '/usr/lib/systemd/systemd-journald'].find((p) => existsSync(p)) ?? null;

const SCRIPT = String.raw`
set -u
dir=$1; shift
mount --make-rprivate / || exit 90
[ -d /run/systemd/journal ] || { mkdir -p /run/systemd/journal && touch "$dir/created-run-dir"; }
mount -t tmpfs -o mode=0755 tmpfs /run/systemd/journal || exit 91
mkdir -p /run/log/journal && mount --bind "$dir/log" /run/log/journal || exit 92
if [ -d /var/log/journal ]; then mount --bind "$dir/log" /var/log/journal || exit 93; fi
mkdir -p /etc/systemd && touch -a /etc/systemd/journald.conf && mount --bind "$dir/journald.conf" /etc/systemd/journald.conf || exit 94
"$JOURNALD" & jpid=$!
i=0; while [ ! -S /run/systemd/journal/socket ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
[ -S /run/systemd/journal/socket ] || { echo "journald did not start" >&2; kill $jpid; exit 95; }
"$@" & cpid=$!
echo "TESTJOURNAL CHILD $cpid" >&2
wait $cpid; rc=$?
sleep 0.5
kill $jpid; wait $jpid
if [ -f "$dir/created-run-dir" ]; then umount /run/systemd/journal && rmdir /run/systemd/journal; fi
exit $rc
`;

/** A command running next to a test journald. */
export interface JournaledCommand {
  child: ChildProcess;
  /** PID of the command itself (not the shell), once known. */
  pid: Promise<number>;
  /** Its exit code (the shell passes it through). */
  exit: Promise<number | null>;
  /** stderr of the command and the harness so far. */
  stderr: () => string;
}

/** Runs `argv` in a mount namespace with its own journald writing under `dir/log`. */
export function runWithJournald(dir: string, argv: string[], onStderr?: (text: string) => void): JournaledCommand {
  if (JOURNALD === null) throw new Error('systemd-journald not found (apt-get install systemd)');
  mkdirSync(path.join(dir, 'log'), { recursive: true });
  writeFileSync(path.join(dir, 'journald.conf'), '[Journal]\nStorage=volatile\nReadKMsg=no\nForwardToSyslog=no\nForwardToWall=no\nForwardToConsole=no\nForwardToKMsg=no\n');
  const child = spawn('unshare', ['--mount', '--', 'sh', '-c', SCRIPT, 'sh', dir, ...argv], {
    env: { ...process.env, JOURNALD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let resolvePid: (pid: number) => void = () => {};
  const pid = new Promise<number>((r) => { resolvePid = r; });
  child.stderr!.on('data', (b: Buffer) => {
    const text = b.toString();
    stderr += text;
    const m = /TESTJOURNAL CHILD (\d+)/.exec(stderr);
    if (m) resolvePid(Number(m[1]));
    onStderr?.(stderr);
  });
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, pid, exit, stderr: () => stderr };
}

/** `journalctl --directory DIR/log -t IDENT -o json`, parsed. */
export function readJournal(dir: string, identifier: string): Record<string, string>[] {
  const r = spawnSync('journalctl', ['--directory', path.join(dir, 'log'), '-t', identifier, '-o', 'json', '--no-pager'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`journalctl failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, string>);
}
