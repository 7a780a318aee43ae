// reload.test.mjs: supervision. Reloads under load lose nothing; a killed worker is
// replaced at once; a crashing one with back-off; SIGTERM stops everything cleanly.
// tests: 6
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, build, get, sleep, workerPids, exists, logMatch } from './stack.mjs';

async function healthz(s) { return JSON.parse((await get(`${s.base}/healthz`)).body); }

// Runs `clients` request loops over `paths` until stop() is called.
function load(base, paths, clients) {
  let running = true, ok = 0;
  const failures = [];
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let i = c; running; i++) {
      const path = paths[i % paths.length];
      try {
        const r = await fetch(base + path);
        await r.arrayBuffer();
        if (r.status === 200) ok++; else failures.push(`${path}: ${r.status}`);
      } catch (e) { failures.push(`${path}: ${e.cause?.code ?? e.message}`); }
    }
  });
  return { async stop() { running = false; await Promise.all(loops); return { ok, failures }; } };
}

test('ten reloads under load fail no request, and the new snapshot goes live', async () => {
  const s = await startStack({ workers: 2 });
  try {
    const old = (await healthz(s)).snapshot;
    // A second snapshot with one more case, published by rename as `publish` will.
    copyFileSync(join(s.content, 'cases', '2023-001.xml'), join(s.content, 'cases', 'zz-new.xml'));
    const next = join(s.dir, 'next.db');
    assert.equal(build(s.content, next).status, 0);
    const l = load(s.base, ['/', '/cases/', '/cases/2023-001', '/healthz'], 8);
    try {
      for (let i = 0; i < 10; i++) {
        if (i === 5) renameSync(next, s.snapshot);
        process.kill(s.masterPid(), 'SIGHUP');
        await sleep(300);
      }
      await sleep(300);
    } catch (e) {
      await l.stop();		// else its loops would run on after the test
      throw e;
    }
    const { ok, failures } = await l.stop();
    assert.deepEqual(failures, []);
    assert.ok(ok > 100, `only ${ok} requests ran`);
    const now = await healthz(s);
    assert.notEqual(now.snapshot, old);
    assert.equal((await get(`${s.base}/cases/zz-new`)).status, 200);
    assert.equal(workerPids(s.masterPid()).length, 2, 'old workers have exited');
  } finally { await s.stop(); }
});

test('a reload onto a broken snapshot is refused and the site stays as it was', async () => {
  const s = await startStack({ workers: 2 });
  try {
    const before = await healthz(s);
    const pids = workerPids(s.masterPid());
    writeFileSync(join(s.dir, 'broken.db'), 'this is not a snapshot');
    renameSync(join(s.dir, 'broken.db'), s.snapshot);
    process.kill(s.masterPid(), 'SIGHUP');
    await sleep(500);
    assert.match(await logMatch(s, /reload refused/), /reload refused/);
    assert.equal((await healthz(s)).snapshot, before.snapshot);
    assert.deepEqual(workerPids(s.masterPid()), pids);
    assert.equal((await get(`${s.base}/cases/2023-001`)).status, 200);
  } finally { await s.stop(); }
});

test('after kill -9 of a worker the site answers within 1 s and the worker is replaced', async () => {
  const s = await startStack({ workers: 1 });
  try {
    const [victim] = workerPids(s.masterPid());
    process.kill(victim, 'SIGKILL');
    const t0 = performance.now();
    let status = 0;
    while (performance.now() - t0 < 1000) {
      try { status = (await get(`${s.base}/healthz`)).status; } catch { status = 0; }
      if (status === 200) break;
      await sleep(20);
    }
    assert.equal(status, 200, 'answered within 1 s');
    const now = workerPids(s.masterPid());
    assert.equal(now.length, 1);
    assert.notEqual(now[0], victim);
    const re = new RegExp(`worker ${victim} killed by signal 9`);
    assert.match(await logMatch(s, re), re);
  } finally { await s.stop(); }
});

test('a worker that keeps crashing is respawned with back-off, not in a spin', async () => {
  const s = await startStack({ workers: 1 });
  try {
    // With the snapshot gone every new worker exits at start: a crash loop.
    const saved = join(s.dir, 'saved.db');
    copyFileSync(s.snapshot, saved);
    unlinkSync(s.snapshot);
    for (const pid of workerPids(s.masterPid())) process.kill(pid, 'SIGKILL');
    await sleep(2000);
    const starts = (s.log().match(/exited with status 2; respawning/g) || []).length;
    assert.ok(starts >= 2 && starts <= 6, `${starts} respawns in 2 s`);
    const delays = [...s.log().matchAll(/exited with status 2; respawning in (\d+) ms/g)].map((m) => +m[1]);
    for (let i = 1; i < delays.length; i++) assert.ok(delays[i] > delays[i - 1], `back-off grows: ${delays}`);
    // Once the snapshot is back, the next respawn brings the site back.
    copyFileSync(saved, s.snapshot);
    let status = 0;
    for (let i = 0; i < 70 && status !== 200; i++) {
      await sleep(100);
      try { status = (await get(`${s.base}/healthz`)).status; } catch { status = 0; }
    }
    assert.equal(status, 200);
  } finally { await s.stop(); }
});

test('SIGTERM finishes the request in hand, stops both servers and removes the socket', async () => {
  const s = await startStack({ workers: 1 });
  const master = s.masterPid();
  assert.ok(exists(s.socket));
  const inflight = get(`${s.base}/cases/2023-001`);
  await sleep(5);
  const t0 = performance.now();
  s.proc.kill('SIGTERM');
  const { code } = await s.exited;
  assert.ok(performance.now() - t0 < 5000, 'stopped within 5 s');
  assert.equal(code, 0);
  assert.equal((await inflight).status, 200);
  assert.ok(!exists(s.socket), 'socket removed');
  assert.throws(() => process.kill(master, 0), /ESRCH/, 'master gone');
  assert.match(s.log(), /master\[\d+\] INFO stopped/);
  await s.stop();
});

test('Ctrl-C (SIGINT to the process group) stops both servers and removes the socket', async () => {
  const s = await startStack({ workers: 2, detached: true });
  const master = s.masterPid();
  const nginx = Number((await import('node:fs')).readFileSync(join(s.run, 'nginx.pid'), 'utf8'));
  process.kill(-s.proc.pid, 'SIGINT');
  const { code } = await s.exited;
  assert.equal(code, 0);
  assert.ok(!exists(s.socket), 'socket removed');
  assert.throws(() => process.kill(master, 0), /ESRCH/, 'fazhi gone');
  assert.throws(() => process.kill(nginx, 0), /ESRCH/, 'nginx gone');
  await s.stop();
});
