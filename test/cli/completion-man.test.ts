/**
 * Shell completion (`bridgewatch completion bash|zsh`) and the man page (man/bridgewatch.1) are
 * generated from the commander definitions: the checked-in page must equal what the current
 * definitions give, and the bash script really completes commands, options and option values.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { renderManPage } from '../../src/cli/manpage.js';
import { completionScript, visibleCommands } from '../../src/cli/completion.js';
import { runCli } from './run-cli.js';

const program = buildProgram();

/** Every (command path, long option) pair of the CLI. */
function everyOption(): { path: string; long: string }[] {
  const out: { path: string; long: string }[] = [];
  const walk = (cmd: ReturnType<typeof buildProgram>, path: string): void => {
    for (const o of cmd.options) if (o.long) out.push({ path, long: o.long });
    for (const sub of visibleCommands(cmd)) walk(sub, `${path} ${sub.name()}`);
  };
  walk(program, 'bridgewatch');
  return out;
}

/** Runs the bash completion for the words typed so far (the last one is being completed). */
function bashComplete(words: string[]): string[] {
  const script = completionScript(program, 'bash');
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const run = `${script}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _bridgewatch; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', run], { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
}

/**
 * Types `line` and a TAB into an interactive zsh (in a pseudo-terminal, zsh/zpty) whose fpath holds
 * the generated completion; returns the command line as zsh left it (escape sequences removed).
 */
function zshComplete(line: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bw-zsh-'));
  try {
    writeFileSync(join(dir, '_bridgewatch'), completionScript(program, 'zsh'));
    const driver = [
      'zmodload zsh/zpty',
      "zpty z 'zsh -f -i'",
      `zpty -w z 'PS1=">"; fpath=(${dir} $fpath); autoload -Uz compinit; compinit -u -D; bridgewatch() { :; }'`,
      'sleep 1; zpty -r -t z junk',
      'zpty -w -n z "$1"$\'\\t\'',
      'sleep 2; zpty -r -t z out; print -r -- "$out"; zpty -d z',
    ].join('\n');
    writeFileSync(join(dir, 'driver.zsh'), driver);
    const raw = execFileSync('zsh', ['-f', join(dir, 'driver.zsh'), line], { encoding: 'utf8', timeout: 20_000 });
    // eslint-disable-next-line no-control-regex
    return raw.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '').replace(/[\x07\x08\r]/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('man/bridgewatch.1', () => {
  it('equals the page generated from the current commander definitions (npm run build && npm run man)', () => {
    expect(readFileSync('man/bridgewatch.1', 'utf8')).toBe(renderManPage(program));
  });

  it('documents every command and every option', () => {
    const page = readFileSync('man/bridgewatch.1', 'utf8').replace(/\\-/g, '-');
    for (const c of visibleCommands(program)) expect(page).toContain(`bridgewatch ${c.name()}`);
    const options = everyOption();
    expect(options.length).toBeGreaterThan(40);
    for (const { long } of options) expect(page).toContain(`\\fB${long}\\fR`);
  });
});

describe('bridgewatch completion', () => {
  it('bash: commands, subcommands, options and the values of --format and --fail-on', () => {
    expect(bashComplete(['bridgewatch', 'an'])).toEqual(['analyze']);
    expect(bashComplete(['bridgewatch', 'service', ''])).toEqual(['install']);
    expect(bashComplete(['bridgewatch', 'analyze', '--for'])).toEqual(['--format', '--force']);
    expect(bashComplete(['bridgewatch', 'analyze', '--format', ''])).toEqual(['table', 'json', 'ndjson']);
    expect(bashComplete(['bridgewatch', 'live', '--format', ''])).toEqual(['table', 'ndjson']);
    expect(bashComplete(['bridgewatch', 'audit', '--fail-on', 'n'])).toEqual(['never', 'none']);
    expect(bashComplete(['bridgewatch', 'analyze', 'samples/guest-start-stop/neigh'])).toEqual(['samples/guest-start-stop/neighbour.pcap']);
  });

  it('bash: every option of every command is offered', () => {
    const script = completionScript(program, 'bash');
    for (const { long } of everyOption()) expect(script).toContain(long);
  });

  it('zsh: a #compdef script zsh accepts (zsh -n), with every option', () => {
    const script = completionScript(program, 'zsh');
    expect(script.startsWith('#compdef bridgewatch\n')).toBe(true);
    execFileSync('zsh', ['-n'], { input: script });
    for (const { long } of everyOption()) expect(script).toContain(long);
  });

  it('zsh: completes commands, subcommands and option values in a real interactive zsh', () => {
    expect(zshComplete('bridgewatch aud')).toContain('bridgewatch audit ');
    expect(zshComplete('bridgewatch service ins')).toContain('bridgewatch service install ');
    expect(zshComplete('bridgewatch stats --format j')).toContain('bridgewatch stats --format json ');
    expect(zshComplete('bridgewatch audit --fail-on ne')).toContain('bridgewatch audit --fail-on never ');
  }, 60_000);

  it('prints the script on stdout; another shell is a one-line usage error', async () => {
    const ok = await runCli(['completion', 'bash']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('complete -o filenames -F _bridgewatch bridgewatch');
    const bad = await runCli(['completion', 'fish']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('bridgewatch: completion: expected bash or zsh, got "fish"\n');
  });
});
