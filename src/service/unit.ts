/**
 * The systemd unit `bridgewatch-live@.service` (instance = bridge): `bridgewatch live -i %i` with
 * incidents to journald, stamped postmortems rotated under the reports dir, and the sandbox a
 * packet-capturing daemon needs and no more. Pure: the text is rendered from {@link UnitOptions}.
 *
 * Why each hardening line is safe for `live`: it reads /sys/class/net and rtnetlink (no writes,
 * so ProtectKernelTunables and ProtectSystem=strict are fine), opens an AF_PACKET socket
 * (CAP_NET_RAW; CAP_NET_ADMIN for promiscuous mode on some drivers), sends journal entries through
 * `logger` over AF_UNIX, and writes only its reports dir. MemoryDenyWriteExecute is NOT set:
 * Node's JIT needs writable+executable pages.
 */

/** The template's file name. */
export const UNIT_NAME = 'bridgewatch-live@.service';

/** Where the unit file goes, relative to the root. */
export const UNIT_DIR = '/etc/systemd/system';

/** Default reports directory (systemd StateDirectory `bridgewatch`). */
export const DEFAULT_REPORTS_DIR = '/var/lib/bridgewatch';

/** What the unit runs and keeps. */
export interface UnitOptions {
  /** ExecStart's program and leading arguments, e.g. `['/usr/bin/node', '/usr/lib/.../bridgewatch.js']`. Absolute paths. */
  command: string[];
  /** Reports directory; each bridge gets `DIR/BRIDGE/`. */
  reportsDir: string;
  /** Postmortem runs kept per bridge. */
  keepReports: number;
  /** Postmortem runs older than this many days are removed. */
  maxReportAgeDays: number;
  /** `--log` target given to live (default journald). */
  log: string;
  /** `--metrics-listen` for live (scrape endpoint, e.g. `127.0.0.1:9723`); none when absent. */
  metricsListen?: string;
  /**
   * node_exporter textfile collector folder: live writes `DIR/bridgewatch-BRIDGE.prom`. The unit
   * then makes DIR writable and uses UMask=0022, so the collector (another user) can read the file.
   */
  metricsTextfileDir?: string;
}

/** Quotes one ExecStart word for systemd (double quotes when it has spaces or quotes; `%` doubled). */
export function execWord(word: string): string {
  const w = word.replace(/%/g, '%%');
  return /[\s"'\\;]/.test(w) ? `"${w.replace(/(["\\])/g, '\\$1')}"` : w;
}

/** The unit file text. */
export function renderUnit(o: UnitOptions): string {
  const reports = o.reportsDir.replace(/\/+$/, '');
  const stateDir = reports.startsWith('/var/lib/') ? reports.slice('/var/lib/'.length) : null;
  const textfileDir = o.metricsTextfileDir === undefined ? null : o.metricsTextfileDir.replace(/\/+$/, '');
  const exec = [...o.command.map(execWord), 'live', '-i', '%i', '--log', execWord(o.log), '--report', `${execWord(reports)}/%i`,
    '--keep-reports', String(o.keepReports), '--max-report-age', String(o.maxReportAgeDays),
    ...(o.metricsListen === undefined ? [] : ['--metrics-listen', execWord(o.metricsListen)]),
    ...(textfileDir === null ? [] : ['--metrics-textfile', `${execWord(textfileDir)}/bridgewatch-%i.prom`])].join(' ');
  // Reports stay private through their 0750 directory; the .prom file must be readable by node_exporter.
  const umask = textfileDir === null ? 'UMask=0027' : `ReadWritePaths=${textfileDir}\nUMask=0022`;
  return `# Installed by \`bridgewatch service install\`. One instance per bridge:
#   systemctl enable --now bridgewatch-live@br0.service
# Incidents and link events go to journald (journalctl -t bridgewatch -o json); the postmortem is
# written to ${reports}/BRIDGE/ on stop (SIGTERM). \`systemctl reload\` sends SIGHUP (new --save file).
# Documentation: docs/service.md in the bridgewatch package.
[Unit]
Description=bridgewatch live capture on bridge %i
Documentation=man:systemd.exec(5)
BindsTo=sys-subsystem-net-devices-%i.device
After=sys-subsystem-net-devices-%i.device network.target

[Service]
Type=simple
ExecStart=${exec}
ExecReload=/bin/kill -HUP $MAINPID
KillSignal=SIGTERM
KillMode=mixed
TimeoutStopSec=60
Restart=on-failure
RestartSec=10
SyslogIdentifier=bridgewatch-live
${stateDir !== null ? `StateDirectory=${stateDir}/%i\nStateDirectoryMode=0750` : `ReadWritePaths=${reports}`}
${umask}

# Capabilities: an AF_PACKET capture and nothing else.
CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN
AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN
NoNewPrivileges=yes

# Filesystem: read-only except the reports.
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes

# Kernel interfaces: netlink (link events), packet (capture), unix (journald via logger), inet
# (a remote syslog target).
RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_PACKET AF_INET AF_INET6
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service

[Install]
WantedBy=multi-user.target
`;
}
