/**
 * The `ntk demo` server without a browser: what it serves, its headers, and what it refuses.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
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
});
