// withdraw.test.mjs: what goes out, or is withdrawn, is exactly that, at once, on
// record. A withdrawn (draft, deleted or `fazhi withdraw`n) item is off every public
// output when the command returns, even where nginx had it cached; every publish and
// withdrawal is in the publishing log; publish reaches every backend.
// tests: 8
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAZHI, build, freePort, get, sleep, startStack, testContent, tempDir } from './stack.mjs';

// Runs fazhi without blocking the event loop; resolves { status, stdout, stderr }.
function fazhi(args) {
  return new Promise((resolve) => {
    const p = spawn(FAZHI, args);
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}
const backend = (s) => ['--pid', join(s.run, 'fazhi.pid'), '--url', `${s.base}/healthz`];
const publish = (s, ...more) => fazhi(['publish', '--content', s.content, '--snapshot', s.snapshot,
  ...backend(s), ...more]);
const withdraw = (s, ...args) => fazhi(['withdraw', '--content', s.content, '--snapshot', s.snapshot,
  ...backend(s), ...args]);
const logOf = (s, ...more) => spawnSync(FAZHI, ['log', '--snapshot', s.snapshot, ...more], { encoding: 'utf8' });

async function cachedStack() {
  process.env.CACHE = 'on';
  try { return await startStack({ workers: 2 }); } finally { delete process.env.CACHE; }
}

// Fetches each path twice so that nginx holds it (the second answer is a HIT).
async function warm(s, paths) {
  for (const p of paths) {
    assert.equal((await get(`${s.base}${p}`)).status, 200, p);
    assert.equal((await get(`${s.base}${p}`)).headers.get('x-cache'), 'HIT', p);
  }
}

// The first answer of every path after the command returned is 404, cached or
// not (publish returns once no cache can serve the old snapshot), and none of
// them comes back in the next 1.5 s.
async function goneAtOnce(s, paths) {
  for (const p of paths) assert.equal((await get(`${s.base}${p}`)).status, 404, `${p}: public after the command returned`);
  for (const t1 = performance.now(); performance.now() - t1 < 1500; await sleep(100))
    for (const p of paths) assert.equal((await get(`${s.base}${p}`)).status, 404, `${p} came back`);
}

// Every other public output: none names the item once it is gone.
async function nowhere(s, id, title) {
  for (const p of ['/', '/cases/', '/feeds/all.atom', '/feeds/cases.atom', '/sitemap-1.xml',
    '/api/v1/cases?per_page=50', `/search?q=${encodeURIComponent(title.slice(0, 8))}`,
    '/export/cases.json']) {
    const r = await get(`${s.base}${p}`);
    assert.equal(r.status, 200, p);
    assert.ok(!r.body.includes(`/cases/${id}`) && !r.body.includes(`"${id}"`), `${p} still names ${id}`);
  }
}

const titleOf = (s, id) => readFileSync(join(s.content, 'cases', `${id}.xml`), 'utf8').match(/<title>([^<]*)</)[1];

test('a case set to draft and published is gone from a cached page and API when publish returns, and everywhere else', async () => {
  const s = await cachedStack();
  try {
    const paths = ['/cases/2023-002', '/api/v1/cases/2023-002'];
    const title = titleOf(s, '2023-002');
    await warm(s, paths);
    const f = join(s.content, 'cases', '2023-002.xml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('status="published"', 'status="draft"'));
    const r = await publish(s);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /withdrawn +2023-002/);
    assert.doesNotMatch(r.stdout, /updated +2023-002/);
    await goneAtOnce(s, paths);
    await nowhere(s, '2023-002', title);
  } finally { await s.stop(); }
});

test('a deleted case file is gone from a cached page and API when publish returns', async () => {
  const s = await cachedStack();
  try {
    const paths = ['/cases/2023-013', '/api/v1/cases/2023-013'];
    await warm(s, paths);
    rmSync(join(s.content, 'cases', '2023-013.xml'));
    const r = await publish(s);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /removed +2023-013/);
    await goneAtOnce(s, paths);
  } finally { await s.stop(); }
});

test('a case scheduled for later is "withdrawn" from the public until then', async () => {
  const s = await startStack({ workers: 1 });
  try {
    const f = join(s.content, 'cases', '2023-004.xml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('status="published"', 'status="published" publish-at="2099-01-01T09:00:00"'));
    const r = await publish(s);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /withdrawn +2023-004/);
    assert.equal((await get(`${s.base}/cases/2023-004`)).status, 404);
  } finally { await s.stop(); }
});

test('fazhi withdraw takes one item off at once, alone, and leaves a record', async () => {
  const s = await cachedStack();
  try {
    const id = '2023-005', paths = [`/cases/${id}`, `/api/v1/cases/${id}`];
    const title = titleOf(s, id);
    await warm(s, paths);
    // Work waiting in the content folder goes out neither with it nor stops it.
    const other = join(s.content, 'cases', '2023-001.xml');
    writeFileSync(other, readFileSync(other, 'utf8').replace('</title>', '（未发布的修改）</title>'));
    writeFileSync(join(s.content, 'cases', 'zz-broken.xml'), '<case status="published"><title>坏');
    const r = await withdraw(s, id, '--reason', '当事人信息有误，需核实后再发布', '--by', '张三');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`withdrawn +${id}`));
    await goneAtOnce(s, paths);
    await nowhere(s, id, title);
    assert.doesNotMatch((await get(`${s.base}/cases/2023-001`)).body, /未发布的修改/, 'nothing else went out');
    // The file now says draft, so the next publish keeps the item off.
    assert.match(readFileSync(join(s.content, 'cases', `${id}.xml`), 'utf8'), /^<case status="draft">/m);
    // The record: who (the name given and the Unix user), when, what, why.
    const log = logOf(s, '--item', id);
    assert.equal(log.status, 0, log.stderr);
    assert.match(log.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00  withdraw  by 张三  as \S+  snapshot [0-9a-f]{16}  withdrawn:2023-005  reason: 当事人信息有误，需核实后再发布$/m);
    // Asked again: nothing public to withdraw; the log is unchanged by a refusal.
    const again = await withdraw(s, id, '--reason', '重复');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already a draft/);
    rmSync(join(s.content, 'cases', 'zz-broken.xml'));
    const p = await publish(s, '--by', '李四');
    assert.equal(p.status, 0, p.stderr);
    assert.doesNotMatch(p.stdout, new RegExp(`added +${id}`));
    assert.match(p.stdout, /updated +2023-001/);
    assert.equal((await get(`${s.base}/api/v1/cases/${id}`)).status, 404);
    const all = logOf(s).stdout.trim().split('\n');
    assert.equal(all.length, 2, all.join('\n'));
    assert.match(all[1], /  publish  by 李四  .*updated:2023-001/);
  } finally { await s.stop(); }
});

test('fazhi withdraw refuses what it cannot do, and changes nothing', async () => {
  const s = await startStack({ workers: 1 });
  try {
    const before = readFileSync(s.snapshot);
    for (const [args, re] of [
      [['2023-006'], /give the reason/],
      [['2023-006', '--reason', '  '], /give the reason/],
      [['2023-006', '--reason', '长'.repeat(200)], /at most 480 bytes/],
      [['no-such-item', '--reason', '测试'], /no item "no-such-item"/],
      [['../etc/passwd', '--reason', '测试'], /is not an item id/],
      [['--reason', '测试'], /usage: fazhi withdraw/],
    ]) {
      const r = await withdraw(s, ...args);
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, re, args.join(' '));
    }
    assert.ok(readFileSync(s.snapshot).equals(before), 'the snapshot is untouched');
    assert.equal((await get(`${s.base}/cases/2023-006`)).status, 200);
    assert.match(logOf(s).stdout, /nothing published yet/);
  } finally { await s.stop(); }
});

test('a failed publish is in the log, and a log that cannot be written stops the publish', async () => {
  const s = await startStack({ workers: 1 });
  try {
    writeFileSync(join(s.content, 'cases', 'zz-broken.xml'), '<case status="published"><title>坏');
    const r = await publish(s);
    assert.equal(r.status, 1);
    assert.match(logOf(s).stdout, /  publish-failed  .*reason: 1 error in the content$/m);
    rmSync(join(s.content, 'cases', 'zz-broken.xml'));
    const f = join(s.content, 'cases', '2023-007.xml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('</title>', '（更新）</title>'));
    const before = readFileSync(s.snapshot);
    const blocked = await publish(s, '--log', join(s.dir, 'no-such-folder', 'publish.log'));
    assert.equal(blocked.status, 1);
    assert.match(blocked.stderr, /nothing was published: the publishing log .* cannot be written/);
    assert.ok(readFileSync(s.snapshot).equals(before), 'the snapshot is untouched');
  } finally { await s.stop(); }
});

test('publish reaches every backend and confirms each, or puts the old snapshot back on all', async () => {
  const dir = tempDir('fazhi-two-');
  const content = testContent(dir);
  const snapshot = join(dir, 'site.db');
  assert.equal(build(content, snapshot).status, 0);
  const a = await startStack({ snapshot, workers: 1 });
  const b = await startStack({ snapshot, workers: 1 });
  const id = async (s) => JSON.parse((await get(`${s.base}/healthz`)).body).snapshot;
  try {
    const old = await id(a);
    assert.equal(await id(b), old);
    const f = join(content, 'cases', '2023-008.xml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('</title>', '（两处都更新）</title>'));
    const args = ['publish', '--content', content, '--snapshot', snapshot, ...backend(a), ...backend(b)];
    const r = await fazhi(args);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /backend 1 .* serves it/);
    assert.match(r.stdout, /backend 2 .* serves it/);
    assert.match(r.stdout, /the servers serve it/);
    const now = await id(a);
    assert.notEqual(now, old);
    assert.equal(await id(b), now);
    for (const s of [a, b]) assert.match((await get(`${s.base}/cases/2023-008`)).body, /两处都更新/);
    // A backend that cannot confirm (its /healthz does not answer): nothing changes anywhere.
    writeFileSync(f, readFileSync(f, 'utf8').replace('（两处都更新）', '（第三次）'));
    const dead = `http://127.0.0.1:${await freePort()}/healthz`;
    const bad = await fazhi(['publish', '--content', content, '--snapshot', snapshot, ...backend(a),
      '--pid', join(b.run, 'fazhi.pid'), '--url', dead]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /backend 2 .* did not start serving/);
    assert.match(bad.stderr, /previous snapshot .* is back in place/);
    for (let i = 0; i < 50 && (await id(a)) !== now; i++) await sleep(100);
    assert.equal(await id(a), now, 'backend 1 is back on the previous snapshot');
    assert.equal(await id(b), now);
    // --url without a --pid for each is misuse.
    const misuse = await fazhi(['publish', '--content', content, '--snapshot', snapshot, ...backend(a),
      '--url', dead]);
    assert.equal(misuse.status, 1);
    assert.match(misuse.stderr, /usage: fazhi publish/);
  } finally {
    await a.stop();
    await b.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the publishing limits: PUBLISH_MAX_BACKENDS (16) backends, PUBLISH_LOG_ITEMS (50) items a line, PUBLOG_MAX_FIELD (2000) bytes a field', async () => {
  const s = await startStack({ workers: 1 });
  try {
    const pairs = (n) => Array.from({ length: n }, (_, i) =>
      ['--pid', join(s.dir, `none-${i}.pid`), '--url', `http://127.0.0.1:1/healthz`]).flat();
    const base = ['publish', '--content', s.content, '--snapshot', s.snapshot];
    const over = await fazhi([...base, ...pairs(17)]);
    assert.equal(over.status, 1, '17 backends is misuse');
    assert.match(over.stderr, /usage: fazhi publish/);
    for (let i = 0; i < 60; i++)
      writeFileSync(join(s.content, 'cases', `zz-${i}.xml`), readFileSync(join(s.content, 'cases', '2023-001.xml')));
    const at = await fazhi([...base, ...pairs(16), '--by', 'x'.repeat(3000)]);
    assert.equal(at.status, 0, at.stderr);
    assert.match(at.stdout, /backend 16 .* is not running/);
    const line = readFileSync(join(s.dir, 'publish.log'), 'utf8').trim().split('\n').pop().split('\t');
    assert.equal(line[2], 'x'.repeat(2000), 'the name is cut at PUBLOG_MAX_FIELD');
    assert.equal(line[5].split(' ').filter((w) => w.startsWith('added:')).length, 50);
    assert.match(line[5], / \+10 more$/);
  } finally { await s.stop(); }
});
