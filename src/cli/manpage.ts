/**
 * man/bridgewatch.1, generated from the commander definitions (scripts/man.mjs writes it; a test
 * checks the checked-in page equals what the current definitions give, so it cannot drift).
 */
import type { Argument, Command, Option } from 'commander';
import { visibleCommands } from './completion.js';

/** roff-safe text: backslashes doubled as `\e`, hyphens as `\-`, no control character at line start. */
function roff(text: string): string {
  const escaped = text.replace(/\\/g, '\\e').replace(/-/g, '\\-');
  return /^[.']/.test(escaped) ? `\\&${escaped}` : escaped;
}

function argumentText(a: Argument): string {
  const name = `${a.name()}${a.variadic ? '...' : ''}`;
  return a.required ? `\\fI${roff(name)}\\fR` : `[\\fI${roff(name)}\\fR]`;
}

function optionLines(o: Option): string[] {
  const names = [o.short, o.long].filter((n): n is string => n !== undefined).map((n) => `\\fB${roff(n)}\\fR`).join(', ');
  const value = /<([^>]+)>|\[([^\]]+)\]/.exec(o.flags);
  const arg = value ? (o.required ? ` \\fI${roff(value[1]!)}\\fR` : ` [\\fI${roff(value[2]!)}\\fR]`) : '';
  const fallback = o.defaultValue;
  const shown = fallback === undefined || (Array.isArray(fallback) && fallback.length === 0) || fallback === true ? '' : ` (default: ${roff(String(fallback))})`;
  const repeat = Array.isArray(fallback) ? ' Repeatable.' : '';
  return ['.TP', `${names}${arg}`, `${roff(o.description)}${shown}.${repeat}`.replace(/\.\.(\s|$)/, '.$1')];
}

function commandSection(cmd: Command, prefix: string): string[] {
  const name = `${prefix} ${cmd.name()}`;
  const args = cmd.registeredArguments.map(argumentText).join(' ');
  const out = ['.SS', `\\fB${roff(name)}\\fR${cmd.options.length > 0 ? ' [\\fIoptions\\fR]' : ''}${args ? ` ${args}` : ''}`];
  out.push(roff(cmd.description()));
  for (const a of cmd.registeredArguments) out.push('.TP', `\\fI${roff(a.name())}\\fR`, roff(a.description));
  for (const o of cmd.options) if (!o.hidden) out.push(...optionLines(o));
  for (const sub of visibleCommands(cmd)) out.push(...commandSection(sub, name));
  return out;
}

/** The man page of `program` (roff, section 1). */
export function renderManPage(program: Command): string {
  const lines = [
    '.\\" Generated from the commander definitions by scripts/man.mjs; do not edit.',
    '.TH BRIDGEWATCH 1 "" "bridgewatch" "User Commands"',
    '.SH NAME',
    `bridgewatch \\- ${roff(program.description())}`,
    '.SH SYNOPSIS',
    '\\fBbridgewatch\\fR [\\fIoptions\\fR] \\fIcommand\\fR [\\fIcommand options\\fR] [\\fIarguments\\fR]',
    '.SH OPTIONS',
  ];
  for (const o of program.options) if (!o.hidden) lines.push(...optionLines(o));
  lines.push('.SH COMMANDS');
  for (const cmd of visibleCommands(program)) lines.push(...commandSection(cmd, 'bridgewatch'));
  lines.push(
    '.SH EXIT STATUS',
    '0: nothing at or above \\fB\\-\\-fail\\-on\\fR; 1: an incident (or audit risk) at or above it; 2: an error, one line on',
    'standard error naming the file and byte offset or line (\\fB\\-\\-debug\\fR adds a stack trace).',
    '.SH FILES',
    'Reports go to \\fIreports/\\fR unless \\fB\\-\\-report=\\fR\\fIDIR\\fR names a folder; existing files are kept unless \\fB\\-\\-force\\fR.',
    '.SH SEE ALSO',
    '\\fBtshark\\fR(1), \\fBtcpdump\\fR(8), \\fBip\\fR(8), \\fBbridge\\fR(8), \\fBarpwatch\\fR(8);',
    'docs/schema.md (JSON, NDJSON and detection options) in the bridgewatch package.',
    '',
  );
  return lines.join('\n');
}
