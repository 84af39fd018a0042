/**
 * The list of subcommands. Each command file exports `register(program, setExit)`; add one import
 * and one list entry per command.
 */
import type { Command } from 'commander';

/** Registers one subcommand. `setExit` raises the exit code (the highest value wins). */
export type CommandRegistration = (program: Command, setExit: (code: number) => void) => void;

export const commandRegistrations: CommandRegistration[] = [];
