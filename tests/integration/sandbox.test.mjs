// sandbox.test.mjs: the workers' sandbox (fcgi/sandbox.c) through nginx, the FastCGI socket
// and fazhi serve. Every other integration test runs with it on, which shows that nothing a
// worker legitimately does is refused. Here a worker is made to attempt a refused call in the
// middle of a request: `fazhi serve --sandbox-deny openat` takes one call off the allowlist
// (it can only refuse more, never allow), and the server's clock is a file (--clock) that every
// page reads. The request gets the site's 500 (never nginx's 502), the worker ends and the
// master starts another.
// tests: 3
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, get, sleep, tempDir, workerPids, logMatch } from './stack.mjs';

let s;
before(async () => {
  const clock = join(tempDir(), 'now');
  writeFileSync(clock, String(Math.floor(Date.now() / 1000)));
  process.env.CLOCK_FILE = clock;
  process.env.SANDBOX_DENY = 'openat';
  // Every page fails here, /healthz too: up is when nginx serves a static file.
  try { s = await startStack({ workers: 2, ready: '/static/unavailable.html' }); } finally {
    delete process.env.CLOCK_FILE;
    delete process.env.SANDBOX_DENY;
  }
});
after(() => s?.stop());

// Waits until the master has n workers other than those in old; returns them.
async function replaced(old, n) {
  for (let i = 0; i < 100; i++) {
    const now = workerPids(s.masterPid());
    if (now.length === n && now.every((p) => !old.includes(p))) return now;
    await sleep(50);
  }
  return workerPids(s.masterPid());
}

test('the workers run under seccomp and, on this kernel, Landlock', async () => {
  for (const pid of workerPids(s.masterPid())) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    assert.match(status, /^Seccomp:\s+2$/m, `worker ${pid} is in seccomp filter mode`);
    assert.match(status, /^NoNewPrivs:\s+1$/m);
  }
  assert.match(s.log(), /sandbox: seccomp and Landlock \(ABI \d+\)|this kernel offers no Landlock/);
});

test('a refused call answers the request with the 500 page, ends the worker, and another starts', async () => {
  const old = workerPids(s.masterPid());
  assert.equal(old.length, 2);
  const r = await get(`${s.base}/cases/`);
  assert.equal(r.status, 500, 'the site\'s own 500, not nginx\'s 502');
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.body, /页面生成出错/);
  assert.doesNotMatch(r.body, /服务暂时不可用|unavailable/i);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.headers.get('etag'), null);
  const log = await logMatch(s, /exited with status 159; respawning/);
  assert.match(log, /the sandbox refused system call 257; this worker ends/);
  // Both workers meet the refused call on their first request: end each.
  await get(`${s.base}/`);
  const now = await replaced(old, 2);
  assert.equal(now.length, 2, 'two workers again');
  assert.ok(now.every((p) => !old.includes(p)), `new workers ${now} replace ${old}`);
});

test('an API request gets the API\'s JSON 500', async () => {
  const r = await get(`${s.base}/api/v1/cases`);
  assert.equal(r.status, 500);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(JSON.parse(r.body).error.code, 'internal_error');
  assert.equal(r.headers.get('cache-control'), 'no-store');
});
