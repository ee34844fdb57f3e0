/**
 * The package's optional dependencies. The library needs none; plots need vega and vega-lite,
 * `ntk-wasm/ml-matrix` needs ml-matrix, and the `ntk` command line needs commander (and
 * cli-progress for its progress bar). They are optional peer dependencies: a library user's
 * `npm install ntk-wasm` pulls none of them, and the code that needs one imports it on first
 * use and, when it is missing, throws one line naming what to install.
 * @module
 */

/** An optional package that the called function needs is not installed. */
export class NtkMissingDependencyError extends Error {
  /** The packages to install. */
  readonly packages: readonly string[];
  constructor(what: string, packages: readonly string[]) {
    const names = packages.length > 1 ? `${packages.slice(0, -1).join(', ')} and ${packages[packages.length - 1]}` : packages.join('');
    super(`${what} needs the optional package${packages.length > 1 ? 's' : ''} ${names}: npm install ${packages.join(' ')}`);
    this.name = 'NtkMissingDependencyError';
    this.packages = packages;
  }
}

/** Whether `e` says that a module could not be found (Node, browsers, bundlers word it differently). */
export function isModuleNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true;
  const msg = e instanceof Error ? e.message : String(e);
  return /Cannot find (module|package)|Failed to resolve module specifier|Failed to fetch dynamically imported module/.test(msg);
}

/**
 * Runs `load` (a function doing the literal `import()`s, so bundlers still see them) and turns
 * a missing module into a {@link NtkMissingDependencyError} naming `packages`; other errors pass.
 */
export async function importOptional<T>(what: string, packages: readonly string[], load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (isModuleNotFound(e)) throw new NtkMissingDependencyError(what, packages);
    throw e;
  }
}
