/**
 * Links in the README and docs/*.md lead somewhere: a relative link (or an absolute one into
 * this repository's main branch) names a file that exists, and a `#fragment` names a heading of
 * the page it points to (GitHub's anchor rule: lower case, punctuation dropped, spaces to
 * hyphens). The README's sections moved to docs/ (issue 14) must not leave a dangling anchor.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const REPO = /^https:\/\/(?:github\.com\/ntk-wasm\/ntk-wasm\/(?:blob|tree)|raw\.githubusercontent\.com\/ntk-wasm\/ntk-wasm)\/main\/(.*)$/;

/** GitHub's anchors of a markdown page's headings (duplicates get -1, -2, ...). */
function anchors(md: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of md.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    const slug = m[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const k = seen.get(slug) ?? 0;
    seen.set(slug, k + 1);
    out.add(k === 0 ? slug : `${slug}-${k}`);
  }
  return out;
}

/** Markdown link targets outside code spans and fences. */
function links(md: string): string[] {
  const prose = md.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('links in the README and docs/', () => {
  it.each(pages)('%s: every link names an existing file and heading', (page) => {
    const broken: string[] = [];
    const md = readFileSync(join(ROOT, page), 'utf8');
    for (const link of links(md)) {
      if (/^(mailto:|https?:)/.test(link) && !REPO.test(link)) continue;
      const [path, fragment] = link.split('#') as [string, string | undefined];
      const target = REPO.test(link) ? resolve(ROOT, decodeURIComponent(REPO.exec(path)![1]!))
        : path === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), decodeURIComponent(path));
      if (!existsSync(target)) { broken.push(`${link} (no ${relative(ROOT, target)})`); continue; }
      if (fragment && target.endsWith('.md') && statSync(target).isFile() && !anchors(readFileSync(target, 'utf8')).has(fragment)) {
        broken.push(`${link} (no heading #${fragment} in ${relative(ROOT, target)})`);
      }
    }
    expect(broken).toEqual([]);
  });
});
