/**
 * The list of subcommands. Each command file exports `register(program, setExit)`; add one import
 * and one list entry per command.
 */
import type { Command } from 'commander';
import { register as registerStats } from './stats.js';
import { register as registerAudit } from './audit.js';
import { register as registerFix } from './fix.js';
import { register as registerLive } from './live.js';
import { register as registerLinks } from './links.js';
import { register as registerAnalyze } from './analyze.js';
import { register as registerService } from './service.js';
import { register as registerCompletion } from './completion.js';

/** Registers one subcommand. `setExit` raises the exit code (the highest value wins). */
export type CommandRegistration = (program: Command, setExit: (code: number) => void) => void;

export const commandRegistrations: CommandRegistration[] = [
  registerStats,
  registerAudit,
  registerFix,
  registerLive,
  registerLinks,
  registerAnalyze,
  registerService,
  registerCompletion,
];
