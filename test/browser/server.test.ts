/**
 * The `ntk demo` server without a browser: what it serves, its headers, and what it refuses.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/cli/demo.js';
import { NtkInputError } from '../../src/errors.js';
import { ROOT, startServer } from './chromium.js';

/** A raw GET (fetch would normalize `..` away before sending). */
function get(url: string, path: string, headers: Record<string, string> = {}, method = 'GET'):
  Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const u = new URL(url);
  return new Promise((ok, bad) => {
    const req = request({ host: u.hostname, port: u.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', bad);
    req.end();
  });
}

describe('ntk demo server', () => {
  let server: DemoServer;
  beforeAll(async () => { server = await startServer(); });
  afterAll(async () => { await server?.close(); });

  it('serves the page, the library and the plotting library with COOP/COEP', async () => {
    const page = await get(server.url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(page.body).toBe(readFileSync(resolve(ROOT, 'demo/index.html'), 'utf8'));
    const lib = await get(server.url, '/dist/index.js');
    expect(lib.status).toBe(200);
    expect(lib.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(lib.body).toBe(readFileSync(resolve(ROOT, 'dist/index.js'), 'utf8'));
    for (const [path, global] of [['/vendor/vega.min.js', 'vega'], ['/vendor/vega-lite.min.js', 'vegaLite']] as const) {
      const r = await get(server.url, path);
      expect(r.status, path).toBe(200);
      expect(r.body, path).toContain(`.${global}=`);
    }
    // Unchanged files are revalidated for free.
    const again = await get(server.url, '/dist/index.js', { 'If-None-Match': String(lib.headers.etag) });
    expect(again.status).toBe(304);
    const head = await get(server.url, '/demo/app.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('refuses traversals that survive URL parsing (encoded slashes) and malformed escapes', async () => {
    // new URL() resolves `/dist/../x` and `%2e%2e/` before the handler sees them, but not
    // `..%2f`: these reach the folder guard, and without it would serve package.json.
    for (const p of ['/dist/..%2fpackage.json', '/demo/..%2f..%2fpackage.json', '/dist/%2e%2e%2fpackage.json',
      '/dist/..%2F..%2Fetc%2Fpasswd', '/demo/..%5c..%5cpackage.json', '/dist/%2e%2e%2f%2e%2e%2fpackage.json']) {
      const r = await get(server.url, p);
      expect(r.status, p).toBe(404);
      expect(r.body, p).not.toContain('"name"');
    }
    for (const p of ['/dist/%E0%A4%A', '/dist/%', '/demo/%zz', '/dist/index.js%00.map']) {
      expect((await get(server.url, p)).status, p).toBe(400);
    }
  });

  it('refuses paths outside its folders, unknown files and other methods', async () => {
    for (const p of ['/dist/../package.json', '/demo/../src/index.ts', '/dist/%2e%2e/package.json', '/package.json', '/node_modules/vega/package.json', '/dist/nope.js']) {
      const r = await get(server.url, p);
      expect(r.status, p).toBe(404);
    }
    expect((await get(server.url, '/', {}, 'POST')).status).toBe(405);
    expect((await get(server.url, '/demo/')).status).toBe(302);
  });

  it('says which option to change when the port is taken, and can drop isolation', async () => {
    const err = await startDemoServer({ port: server.port, root: ROOT }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NtkInputError);
    expect((err as NtkInputError).parameter).toBe('--port');
    expect((err as Error).message).toMatch(/already in use.*--port 0/);
    const plain = await startDemoServer({ port: 0, root: ROOT, isolation: false });
    try {
      const r = await get(plain.url, '/');
      expect(r.status).toBe(200);
      expect(r.headers['cross-origin-opener-policy']).toBeUndefined();
    } finally {
      await plain.close();
    }
  });

  describe('in a served folder with links and a file it cannot read', () => {
    // A package root of its own: demo/, dist/ (with a link out, a link in, an unreadable file)
    // and node_modules linked to the repository's for the plotting library's files.
    const dir = mkdtempSync(join(tmpdir(), 'ntk-demo-root-'));
    mkdirSync(join(dir, 'demo'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'demo/index.html'), '<!doctype html><title>demo</title>\n');
    writeFileSync(join(dir, 'dist/index.js'), 'export const x = 1;\n');
    writeFileSync(join(dir, 'secret.txt'), 'outside the served folders\n');
    writeFileSync(join(dir, 'dist/locked.js'), 'export const y = 2;\n');
    chmodSync(join(dir, 'dist/locked.js'), 0o000);
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'dist/out-link.js'));
    symlinkSync('index.js', join(dir, 'dist/in-link.js'));
    symlinkSync(resolve(ROOT, 'node_modules'), join(dir, 'node_modules'));
    // Root reads files whatever their mode: the server then runs as nobody (uid 65534).
    const asRoot = process.getuid?.() === 0;
    if (asRoot) for (const f of ['', 'demo', 'dist', 'demo/index.html', 'dist/index.js', 'secret.txt']) chownSync(join(dir, f), 65534, 65534);
    let url = '';
    let child: ReturnType<typeof spawn> | undefined;

    beforeAll(async () => {
      // The server starts as this user (the repository may sit in a folder only root can enter,
      // like /root or a mktemp folder), then drops to nobody before it answers a request.
      const code = `const m = await import(${JSON.stringify(resolve(ROOT, 'dist/cli/demo.js'))});` +
        `const s = await m.startDemoServer({ port: 0, root: ${JSON.stringify(dir)} });` +
        (asRoot ? 'process.setgid(65534); process.setuid(65534);' : '') + 'console.log(s.url);';
      child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
      url = await new Promise<string>((ok, bad) => {
        let out = '', err = '';
        child!.stdout!.on('data', (c: Buffer) => { out += c; if (out.includes('\n')) ok(out.trim()); });
        child!.stderr!.on('data', (c: Buffer) => { err += c; });
        child!.on('exit', (c) => bad(new Error(`demo server exited with ${c}: ${err}`)));
      });
    });
    afterAll(() => { child?.kill(); rmSync(dir, { recursive: true, force: true }); });

    it('answers 403 for a file it cannot read and stays up', async () => {
      const r = await get(url, '/dist/locked.js');
      expect(r.status).toBe(403);
      expect(r.body).toMatch(/cannot read/);
      const again = await get(url, '/dist/index.js');
      expect(again.status).toBe(200);
      expect(again.body).toBe('export const x = 1;\n');
      expect(child!.exitCode).toBeNull();
    });

    it('follows a link that stays inside the folder, refuses one that leads out', async () => {
      expect((await get(url, '/dist/in-link.js')).body).toBe('export const x = 1;\n');
      const out = await get(url, '/dist/out-link.js');
      expect(out.status).toBe(404);
      expect(out.body).not.toContain('outside');
    });
  });
});
