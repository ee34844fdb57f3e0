/** Running one `ntk` command in process, capturing what it prints and the exit code it sets. */
import { Command } from 'commander';
import { vi } from 'vitest';

/** What a command printed and the exit code it set (2 when commander itself refused the call). */
export interface CliRun {
  out: string;
  err: string;
  code: number;
}

/**
 * Runs `ntk <name> ...args` with only `register`'s command installed; stdout and stderr are
 * captured, and `process.exitCode` is restored afterwards.
 */
export async function runCommand(register: (p: Command) => void, name: string, args: string[]): Promise<CliRun> {
  let out = '', err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync(['node', 'ntk', name, ...args]);
    return { out, err, code: Number(process.exitCode ?? 0) };
  } catch (e) {
    return { out, err: err + String((e as Error).message), code: 2 };
  } finally {
    so.mockRestore();
    se.mockRestore();
    process.exitCode = before;
  }
}
