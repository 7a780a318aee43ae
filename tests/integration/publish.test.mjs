// publish.test.mjs: `fazhi publish` swaps in a new snapshot only when the whole
// content set is good, tells the running server, confirms, and says what changed.
// tests: 6
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { FAZHI, startStack, get, sleep, build, testContent, tempDir } from './stack.mjs';

const sha = (p) => createHash('sha256').update(readFileSync(p)).digest('hex');
const healthz = async (s) => JSON.parse((await get(`${s.base}/healthz`)).body);

function publishArgs(s) {
  return ['publish', '--content', s.content, '--snapshot', s.snapshot,
    '--pid', join(s.run, 'fazhi.pid'), '--url', `${s.base}/healthz`];
}

// Runs publish without blocking the event loop (the load loops keep going).
function publish(s) {
  return new Promise((resolve) => {
    const p = spawn(FAZHI, publishArgs(s));
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

test('publish says what changed, swaps the snapshot in and the server serves it', async () => {
  const s = await startStack({ workers: 2 });
  try {
    const before = await healthz(s);
    copyFileSync(join(s.content, 'cases', '2023-001.xml'), join(s.content, 'cases', 'zz-added.xml'));
    const f = join(s.content, 'cases', '2023-002.xml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('</title>', '（更新）</title>'));
    rmSync(join(s.content, 'cases', 'test-scheduled-past.xml'));
    const r = await publish(s);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /added +zz-added/);
    assert.match(r.stdout, /updated +2023-002/);
    assert.match(r.stdout, /removed +test-scheduled-past/);
    assert.match(r.stdout, /the server serves it/);
    const after = await healthz(s);
    assert.notEqual(after.snapshot, before.snapshot);
    assert.equal((await get(`${s.base}/cases/zz-added`)).status, 200);
    assert.equal((await get(`${s.base}/cases/test-scheduled-past`)).status, 404);
    assert.ok(existsSync(`${s.snapshot}.prev`), 'the previous snapshot is kept');
    const again = await publish(s);
    assert.equal(again.status, 0);
    assert.match(again.stdout, /no item changed/);
  } finally { await s.stop(); }
});

test('a broken content set is not published and the live site is unchanged', async () => {
  const s = await startStack({ workers: 2 });
  try {
    const before = await healthz(s);
    const live = sha(s.snapshot);
    writeFileSync(join(s.content, 'cases', 'zz-broken.xml'), '<case status="published"><title>坏</title>');
    const r = await publish(s);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /zz-broken\.xml:\d+:\d+: /);
    assert.match(r.stderr, /was not changed/);
    assert.equal(sha(s.snapshot), live, 'live snapshot byte for byte the same');
    assert.equal((await healthz(s)).snapshot, before.snapshot);
  } finally { await s.stop(); }
});

test('publishing a good and then a broken set under load fails no request', async () => {
  const s = await startStack({ workers: 2 });
  try {
    let running = true, ok = 0;
    const failures = [];
    const loops = Array.from({ length: 6 }, async (_, c) => {
      const paths = ['/', '/cases/', '/cases/2023-001', '/healthz'];
      for (let i = c; running; i++) {
        try {
          const r = await fetch(s.base + paths[i % paths.length]);
          await r.arrayBuffer();
          if (r.status === 200) ok++; else failures.push(r.status);
        } catch (e) { failures.push(e.cause?.code ?? e.message); }
      }
    });
    copyFileSync(join(s.content, 'cases', '2023-001.xml'), join(s.content, 'cases', 'zz-good.xml'));
    const good = await publish(s);
    assert.equal(good.status, 0, good.stderr);
    const goodId = (await healthz(s)).snapshot;
    writeFileSync(join(s.content, 'cases', 'zz-bad.xml'), 'not xml at all');
    const bad = await publish(s);
    assert.equal(bad.status, 1);
    await sleep(300);
    running = false;
    await Promise.all(loops);
    assert.deepEqual(failures, []);
    assert.ok(ok > 50, `${ok} requests`);
    assert.equal((await healthz(s)).snapshot, goodId, 'still the good one');
    assert.equal((await get(`${s.base}/cases/zz-good`)).status, 200);
  } finally { await s.stop(); }
});

test('publish with no server running only swaps the file', () => {
  const dir = tempDir();
  const content = testContent(dir);
  const snap = join(dir, 'site.db');
  const r = spawnSync(FAZHI, ['publish', '--content', content, '--snapshot', snap,
    '--pid', join(dir, 'none.pid')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /no server is running/);
  assert.ok(existsSync(snap));
});

test('fazhi check passes the shipped content and reports nothing', () => {
  const r = spawnSync(FAZHI, ['check', '--content', 'content'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /\d+ items and \d+ penalty records, no errors/);
});

test('when the server cannot load the new snapshot, publish puts the old one back', async () => {
  const templates = join(tempDir(), 'templates');
  (await import('node:fs')).cpSync(join(process.cwd(), 'lua', 'templates'), templates, { recursive: true });
  const s = await startStack({ workers: 1, templates });
  try {
    const before = await healthz(s);
    const live = sha(s.snapshot);
    // New workers would not start: the reload is refused and never confirmed.
    writeFileSync(join(templates, 'home.html'), '<% if %>');
    copyFileSync(join(s.content, 'cases', '2023-001.xml'), join(s.content, 'cases', 'zz-new.xml'));
    const r = await publish(s);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /did not start serving snapshot/);
    assert.match(r.stderr, /previous snapshot .* is back in place/);
    assert.equal(sha(s.snapshot), live, 'the old snapshot is back');
    assert.equal((await healthz(s)).snapshot, before.snapshot);
    assert.equal((await get(`${s.base}/cases/zz-new`)).status, 404);
  } finally { await s.stop(); }
});
