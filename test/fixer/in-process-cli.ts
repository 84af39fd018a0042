/**
 * Runs the CLI in-process: the real `main` (src/cli/main.ts) when the shared command list loads;
 * while another team's command still imports a missing module, a main-like program with only the
 * fixer's commands (same error handling: `bridgewatch: <one line>`, exit 2).
 */
import { Command, CommanderError } from 'commander';
import { isBridgewatchError } from '../../src/errors.js';
import { register as registerAudit } from '../../src/cli/audit.js';
import { register as registerFix } from '../../src/cli/fix.js';

export async function cli(args: string[]): Promise<number> {
  try {
    const { main } = await import('../../src/cli/main.js');
    return await main(args);
  } catch (e) {
    if (!/Cannot find module|ERR_MODULE_NOT_FOUND/.test(String((e as Error).message ?? e))) throw e;
  }
  const program = new Command('bridgewatch').exitOverride();
  let code = 0;
  const setExit = (c: number): void => { code = Math.max(code, c); };
  registerAudit(program, setExit);
  registerFix(program, setExit);
  try {
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    process.stderr.write(`bridgewatch: ${isBridgewatchError(e) ? '' : 'internal error: '}${(e as Error).message}\n`);
    return 2;
  }
}
