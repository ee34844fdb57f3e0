/**
 * Module specifiers of an emitted ES module in dist/: static imports and re-exports, and
 * literal import() when `dynamic`. The shipped JS is whitespace-minified
 * (scripts/minify-dist.mjs): statements share one line and literals may be quoted with
 * backticks, so the patterns are not anchored to line starts. The import clause may hold only
 * names, braces, commas and `*`, so a match cannot run across a statement or a string.
 */
export function moduleSpecifiers(src: string, dynamic: boolean): string[] {
  const out = [...src.matchAll(/\b(?:import|export)\s*(?:[\w$*{},\s]*?\bfrom\s*)?['"`]([^'"`]+)['"`]/g)];
  if (dynamic) out.push(...src.matchAll(/\bimport\(\s*['"`]([^'"`]+)['"`]\s*\)/g));
  return out.map((m) => m[1]!);
}
