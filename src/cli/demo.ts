/**
 * `ntk demo`: a static server on localhost for the browser demo (demo/), the library (dist/)
 * and Vega / Vega-Lite's browser builds, sending the COOP/COEP headers that make the page
 * cross-origin isolated, so SharedArrayBuffer (shared wasm memory, threads) is allowed.
 * @module
 */
import { createReadStream, existsSync, realpathSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { NtkInputError } from '../errors.js';
import { action } from './common.js';

/** Options of {@link startDemoServer}. */
export interface DemoServerOptions {
  /** TCP port (default 8080; 0 picks a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1: the demo is for this machine). */
  host?: string;
  /** Send COOP/COEP (default true). Without them the page is not cross-origin isolated. */
  isolation?: boolean;
  /** Package root holding demo/, dist/ and node_modules (default: two levels above this file). */
  root?: string;
}

/** A running demo server. */
export interface DemoServer {
  /** Base URL, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
};

/** The package root: src/cli/demo.ts and dist/cli/demo.js both sit two levels below it. */
function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** The browser builds of the plotting library (UMD scripts defining `vega` and `vegaLite`). */
function vendorFiles(root: string): Record<string, string> {
  const req = createRequire(join(root, 'package.json'));
  // The packages' exports hide build/*.min.js; their main entries sit in the same build/ folder.
  const vegaDir = dirname(req.resolve('vega'));
  const vlDir = dirname(req.resolve('vega-lite'));
  return {
    '/vendor/vega.min.js': join(vegaDir, 'vega.min.js'),
    '/vendor/vega-lite.min.js': join(vlDir, 'vega-lite.min.js'),
  };
}

/**
 * The real path of `rel` under `base` when it stays there, symbolic links resolved on both
 * sides (a link in demo/ or dist/ must not serve what lies outside them), else null; null too
 * when the file does not exist.
 */
function inside(base: string, rel: string): string | null {
  try {
    const rb = realpathSync(base), rf = realpathSync(join(base, rel));
    return rf === rb || rf.startsWith(rb + sep) ? rf : null;
  } catch {
    return null;
  }
}

/** The pathname of a request URL, percent-decoded, or null when it is malformed. */
function requestPath(url: string | undefined): string | null {
  // Dot segments are resolved by URL before decoding, so `..%2f` and `%2e%2e%2f` survive as
  // `../` after it: inside() must (and does) see them.
  let p: string;
  try {
    p = decodeURIComponent(new URL(url ?? '/', 'http://localhost').pathname);
  } catch {
    return null;
  }
  return p.includes('\0') ? null : p;
}

/**
 * Starts the demo server. `/` is demo/index.html; `/demo/*`, `/dist/*` and `/vendor/*` serve
 * the page's files, the library and the plotting library. Every response carries
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`
 * (unless `isolation` is false) and `Cache-Control: no-cache` with an ETag, so a rebuilt dist/
 * is picked up on the next load.
 * @throws NtkInputError naming `--port` when the port is in use or not allowed, and naming
 *   `dist` when the library has not been built.
 */
export async function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const root = opts.root ?? packageRoot();
  const demoDir = join(root, 'demo');
  const distDir = join(root, 'dist');
  if (!existsSync(join(distDir, 'index.js'))) {
    throw new NtkInputError('dist', `${join(distDir, 'index.js')} does not exist`, 'run npm run build first (npm run demo does both)');
  }
  if (!existsSync(join(demoDir, 'index.html'))) {
    throw new NtkInputError('demo', `${join(demoDir, 'index.html')} does not exist`, 'run ntk demo from a checkout or a package that includes demo/');
  }
  const vendor = vendorFiles(root);
  const isolation = opts.isolation ?? true;

  const server: Server = createServer((req, res) => {
    const headers: Record<string, string> = {
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'same-origin',
    };
    if (isolation) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    const fail = (code: number, text: string) => {
      res.writeHead(code, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(text + '\n');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'method not allowed');
    const path = requestPath(req.url);
    if (path === null) return fail(400, 'bad URL');
    let file: string | null = null;
    if (path === '/' || path === '/index.html') file = inside(demoDir, 'index.html');
    else if (path === '/demo' || path === '/demo/') {
      res.writeHead(302, { ...headers, Location: '/' });
      return res.end();
    } else if (path.startsWith('/demo/')) file = inside(demoDir, path.slice('/demo/'.length));
    else if (path.startsWith('/dist/')) file = inside(distDir, path.slice('/dist/'.length));
    else if (Object.hasOwn(vendor, path)) file = vendor[path]!;
    if (!file) return fail(404, `not found: ${path}`);
    void serveFile(file, path, req.method === 'HEAD', req.headers['if-none-match'], headers, res, fail);
  });
  // A client that goes away mid-response must not take the server down.
  server.on('clientError', (_e, socket) => { if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'); else socket.destroy(); });

  const port = opts.port ?? 8080;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((ok, bad) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') bad(new NtkInputError('--port', `${port} is already in use on ${host}`, 'pass another --port, or --port 0 for any free one'));
      else if (e.code === 'EACCES') bad(new NtkInputError('--port', `${port} needs privileges`, 'pass a port above 1023, e.g. --port 8080'));
      else bad(e);
    });
    server.listen(port, host, () => ok());
  });
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${actual}/`,
    port: actual,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

/**
 * Sends one file: opened first, so a file that cannot be read answers 403 (no permission) or
 * 500 (any other error) instead of an unhandled stream error; an error after the headers went
 * out ends that response only. The server stays up either way.
 */
async function serveFile(file: string, path: string, head: boolean, ifNoneMatch: string | undefined,
  headers: Record<string, string>, res: ServerResponse, fail: (code: number, text: string) => void): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    const st = await stat(file);
    if (!st.isFile()) return fail(404, `not found: ${path}`);
    fh = await open(file, 'r');
    // Revalidated on every load (a rebuilt dist/ shows at once), but unchanged files cost a 304.
    const etag = `"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`;
    headers.ETag = etag;
    if (ifNoneMatch === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': String(st.size) });
    if (head) { res.end(); return; }
    const stream = fh.createReadStream();
    fh = undefined; // the stream closes it
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (res.headersSent) res.destroy();
    else if (code === 'ENOENT' || code === 'ENOTDIR') fail(404, `not found: ${path}`);
    else if (code === 'EACCES' || code === 'EPERM') fail(403, `cannot read: ${path}`);
    else fail(500, `cannot read: ${path}`);
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Registers `ntk demo`. */
export function registerDemoServer(program: Command): void {
  program.command('demo')
    .description('serve the browser demo (Figure 1 width sweep with live plots) on localhost')
    .option('--port <n>', 'port (0: any free port)', (v: string) => {
      const x = Number(v);
      if (!Number.isInteger(x) || x < 0 || x > 65535) throw new NtkInputError('--port', `expects an integer 0..65535, got ${JSON.stringify(v)}`, 'pass e.g. --port 8080');
      return x;
    }, 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--no-isolation', 'do not send COOP/COEP (the page is then not cross-origin isolated: one wasm thread, no shared memory)')
    .action(action(async (o: { port: number; host: string; isolation: boolean }) => {
      const s = await startDemoServer({ port: o.port, host: o.host, isolation: o.isolation });
      if (!['127.0.0.1', '::1', 'localhost'].includes(o.host)) {
        process.stderr.write(`ntk demo: warning: listening on ${o.host}, not loopback: other machines can read demo/ and dist/\n`);
      }
      process.stdout.write(`ntk demo: open ${s.url} in a browser (${o.isolation ? 'cross-origin isolated: COOP/COEP sent' : 'not isolated'}); Ctrl+C stops the server\n`);
      const stop = () => { void s.close().then(() => process.exit(0)); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }));
}
