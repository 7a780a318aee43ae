// run.test.mjs: the run script refuses a busy port and a second server on one socket;
// a worker ends a request with a long body and serves on; each request has its access
// line in the log.
// tests: 7
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { ROOT, FAZHI, fcgiRequest, freePort, get, logMatch, startStack, tempDir } from './stack.mjs';

test('scripts/run on a busy port says so and exits non-zero', async () => {
  const port = await freePort();
  const srv = net.createServer().listen(port, '127.0.0.1');
  await new Promise((r) => srv.on('listening', r));
  try {
    const r = spawnSync(join(ROOT, 'scripts', 'run'), [], {
      env: { ...process.env, PORT: String(port), RUN_DIR: join(tempDir(), 'run') },
      encoding: 'utf8', timeout: 10000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`port ${port} is already in use`));
  } finally { srv.close(); }
});

test('a second fazhi serve on a live socket refuses to start', async () => {
  const s = await startStack({ workers: 1 });
  try {
    const r = spawnSync(FAZHI, ['serve', '--socket', s.socket, '--snapshot', s.snapshot,
      '--lua', join(ROOT, 'lua'), '--workers', '1'], { encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /another server is already listening/);
    assert.equal((await fetch(`${s.base}/healthz`)).status, 200, 'the first one still serves');
  } finally { await s.stop(); }
});

test('the socket is private to its owner', async () => {
  const s = await startStack({ workers: 1 });
  try {
    const { statSync } = await import('node:fs');
    assert.equal(statSync(s.socket).mode & 0o777, 0o600);
  } finally { await s.stop(); }
});

test('scripts/setup is idempotent: with everything installed it installs nothing', () => {
  const r = spawnSync(join(ROOT, 'scripts', 'setup'), ['--test'], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr + r.stdout, /installing/);
});

test('fazhi serve refuses a worker count outside 1..SERVE_MAX_WORKERS (64)', () => {
  for (const n of ['0', '65', 'x']) {
    const r = spawnSync(FAZHI, ['serve', '--socket', join(tempDir(), 's.sock'), '--snapshot', 'build/site.db',
      '--workers', n], { encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 1, n);
    assert.match(r.stderr, /--workers must be 1 to 64/, n);
  }
});

test('a request body past CONN_MAX_DRAIN (64 KiB), straight on the FastCGI socket, is answered and the worker serves on', async () => {
  // nginx lets no body this long through (client_max_body_size 16k); fazhi must
  // not rely on that. Past the limit, conn.c leaves the close to libfcgi.
  const s = await startStack({ workers: 1 });
  try {
    for (const n of [1000, (64 << 10) + 1, 1 << 20]) {
      const body = Buffer.alloc(n, 'x');
      const r = await fcgiRequest(s.socket, { REQUEST_METHOD: 'POST', REQUEST_URI: '/',
        CONTENT_LENGTH: String(n), CONTENT_TYPE: 'text/plain' }, body);
      assert.ok(r.ended, `${n} bytes: END_REQUEST`);
      assert.match(r.stdout, /^Status: 405/, `${n} bytes`);
      const next = await fetch(`${s.base}/healthz`);
      assert.equal(next.status, 200, `${n} bytes: the one worker answers the next request`);
      await next.text();
    }
  } finally { await s.stop(); }
});

test('each request has its access line: method, address, status, bytes, microseconds', async () => {
  const s = await startStack({ workers: 1 });
  try {
    const paths = ['/cases/2023-001', '/cases/?domain=shirong', '/no-such-page', '/api/v1/cases?page=1'];
    const sizes = [];
    for (const p of paths) sizes.push(Buffer.byteLength((await get(`${s.base}${p}`)).body));
    const head = await get(`${s.base}/cases/2023-002`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    const line = (m, p, status) => new RegExp(`worker\\[\\d+\\] INFO access ${m} ${p.replace(/[?.]/g, '\\$&')} ${status} (\\d+) \\d+us$`, 'm');
    const log = await logMatch(s, line('HEAD', '/cases/2023-002', 200));
    for (const [i, p] of paths.entries()) {
      const m = log.match(line('GET', p, p === '/no-such-page' ? 404 : 200));
      assert.ok(m, `${p}: its access line, whole`);
      assert.equal(Number(m[1]), sizes[i], `${p}: the body's bytes`);
    }
    assert.match(log, line('HEAD', '/cases/2023-002', 200), 'HEAD: its own line');
  } finally { await s.stop(); }
});
