/**
 * `ntk --version`: the package version, Node's, and the backend and wasm build that a command
 * would load on this machine (with their thread count), so a bug report says what ran.
 * @module
 */
import { readFileSync } from 'node:fs';
import { loadBackend } from '../backend/load.js';

/** The version of the ntk-wasm package this file belongs to (from its package.json). */
export function packageVersion(): string {
  try {
    // src/cli/version.ts and dist/cli/version.js both sit two levels below the package root.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The text `ntk --version` prints: `ntk-wasm 0.1.0`, then Node and the backend it would use. */
export async function versionText(): Promise<string> {
  const loaded = await loadBackend();
  try {
    return `ntk-wasm ${packageVersion()}\nnode ${process.version} (${process.platform} ${process.arch})\nbackend: ${loaded.note}\n`;
  } finally {
    await loaded.backend.dispose();
  }
}
