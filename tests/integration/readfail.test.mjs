// readfail.test.mjs: a snapshot read that fails, through nginx, the FastCGI socket
// and fazhi serve. The snapshot's pages are overwritten in place while the worker has
// the file open, as a damaged disk would leave them: fazhi reads the file through a
// memory map (snap.c), so the next read sees the damage and SQLite reports the file
// malformed. Every answer that reads it must then be a 500 -- the error page, or the
// JSON error on the API and /healthz -- without ETag or Last-Modified, with
// Cache-Control: no-store, which nginx's micro-cache neither keeps (no HIT after it)
// nor hides behind an older copy (no STALE); the worker lives on, and once the file is
// whole again the same addresses answer as before.
// tests: 2
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, get, sleep, workerPids } from './stack.mjs';

// What fazhi says when a read failed (page.c, page_read_failed).
const READ_FAILED = /暂时无法读取网站数据/;
// An ETag without nginx's weak mark (W/, added when gzip compresses a body).
const tag = (e) => (e ?? '').replace(/^W\//, '');

// The snapshot's page size, from its header (bytes 16-17; 1 means 65536).
function pageSize(file) {
  const n = readFileSync(file).readUInt16BE(16);
  return n === 1 ? 65536 : n;
}

// The number of the first page of table name's b-tree, read as any client would.
function rootPage(file, name) {
  const out = execFileSync('sqlite3', ['-readonly', file,
    `SELECT rootpage FROM sqlite_master WHERE name = '${name}'`], { encoding: 'utf8' });
  return Number(out.trim());
}

// Overwrites pages [first, first + n) of file (numbered from 1) with zeros, in place.
function damage(file, first, n) {
  const size = pageSize(file);
  const fd = openSync(file, 'r+');
  try { writeSync(fd, Buffer.alloc(size * n), 0, size * n, (first - 1) * size); } finally { closeSync(fd); }
}

// Writes bytes back over file, in place: the open file is whole again.
function restore(file, bytes) {
  const fd = openSync(file, 'r+');
  try { writeSync(fd, bytes, 0, bytes.length, 0); } finally { closeSync(fd); }
}

// A GET that gives up: a worker that died on the damage would leave it hanging.
const fetchOnce = (url) => get(url, { signal: AbortSignal.timeout(5000) });

// Checks that r is the 500 of a failed read, in the form its address answers in.
function assertReadFailure(r, path, json) {
  const where = `${path} (X-Cache: ${r.headers.get('x-cache')})`;
  assert.equal(r.status, 500, where);
  assert.notEqual(r.headers.get('x-cache'), 'STALE', `${where}: no older copy instead`);
  assert.notEqual(r.headers.get('x-cache'), 'HIT', `${where}: a 500 is never cached`);
  assert.equal(r.headers.get('etag'), null, `${where}: no ETag`);
  assert.equal(r.headers.get('last-modified'), null, `${where}: no Last-Modified`);
  assert.equal(r.headers.get('cache-control'), 'no-store', where);
  if (json) {
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8', where);
    const e = JSON.parse(r.body).error;
    assert.equal(e.code, 'internal_error', where);
    assert.match(e.message, READ_FAILED, where);
  } else {
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8', where);
    assert.match(r.body, /<html lang="zh-CN">/, where);
    assert.match(r.body, /服务器出错/, where);
    assert.match(r.body, READ_FAILED, where);
  }
}

// Starts a stack with nginx's micro-cache on, as in production.
async function cachedStack() {
  process.env.CACHE = 'on';
  try { return await startStack({ workers: 1 }); } finally { delete process.env.CACHE; }
}

test('one damaged table: its pages are an uncached 500, never a stale copy, until the file is whole', async () => {
  const s = await cachedStack();
  try {
    // Every item's sections, legal basis and keywords live in item_data (packed); the
    // item's own row does not, so these would read "successfully", only shorter.
    const paths = [['/cases/2023-001', false], ['/api/v1/cases/2023-001', true],
      ['/credit/penalty-repair', false]];
    const good = {};
    for (const [p] of paths) {
      good[p] = await fetchOnce(`${s.base}${p}`);
      assert.equal(good[p].status, 200, p);
      assert.equal((await fetchOnce(`${s.base}${p}`)).headers.get('x-cache'), 'HIT',
        `${p}: nginx holds a copy`);
    }
    const workers = workerPids(s.masterPid());
    const whole = readFileSync(s.snapshot);
    // Past the copies' lifetime: nginx keeps them one second past the whole second
    // they were stored in, so up to two.
    await sleep(2100);
    damage(s.snapshot, rootPage(s.snapshot, 'item_data'), 1);
    for (const [p, json] of paths) {
      for (let i = 0; i < 3; i++) assertReadFailure(await fetchOnce(`${s.base}${p}`), p, json);
    }
    // What does not read the damaged table is served as before.
    assert.equal((await fetchOnce(`${s.base}/cases/`)).status, 200, '/cases/ reads no item_data');
    assert.deepEqual(workerPids(s.masterPid()), workers, 'the worker lives on');
    assert.match(s.log(), /snapshot read failed, query \d+: database disk image is malformed/);
    restore(s.snapshot, whole);
    for (const [p] of paths) {
      const r = await fetchOnce(`${s.base}${p}`);
      assert.equal(r.status, 200, `${p}: whole again`);
      assert.equal(tag(r.headers.get('etag')), tag(good[p].headers.get('etag')), `${p}: the same page`);
    }
  } finally { await s.stop(); }
});

test('a damaged file: every answer that reads it is a 500 in its own form, and no export is written', async () => {
  const s = await cachedStack();
  try {
    const workers = workerPids(s.masterPid());
    const pages = readFileSync(s.snapshot).length / pageSize(s.snapshot);
    // The sitemap and the exports are files the master writes (export.c): remove the
    // ones written at start, so that only a write from the damaged file could make one.
    const exportDir = join(s.run, 'export');
    rmSync(exportDir, { recursive: true });
    mkdirSync(exportDir);
    damage(s.snapshot, 2, pages - 1);	// page 1, the schema, stays
    process.kill(s.masterPid(), 'SIGHUP');	// the master would write them again now
    await sleep(1000);
    const q = encodeURIComponent('噪声');
    const paths = [['/', false], ['/cases/?domain=shirong', false], ['/pufa/', false],
      ['/credit/', false], [`/search?q=${q}`, false], ['/feeds/all.atom', false],
      ['/feeds/cases/shirong.atom', false], ['/credit/lookup?q=9133090381B621CLXP', false],
      ['/healthz', true], ['/api/v1/cases', true], ['/api/v1/pufa/2024-xianfa-week', true],
      [`/api/v1/search?q=${q}`, true]];
    for (const [p, json] of paths) {
      assertReadFailure(await fetchOnce(`${s.base}${p}`), p, json);
      assertReadFailure(await fetchOnce(`${s.base}${p}`), `${p}, again`, json);
    }
    for (const p of ['/sitemap.xml', '/export/cases.json']) {
      const r = await fetchOnce(`${s.base}${p}`);
      assert.ok(r.status === 503 || r.status === 500, `${p}: ${r.status}`);
      assert.equal(r.headers.get('cache-control'), 'no-store', p);
    }
    const exported = readdirSync(exportDir, { recursive: true })
      .filter((f) => /\.(json|xml)$/.test(String(f)));
    assert.deepEqual(exported, [], 'no export or sitemap made of a failed read');
    assert.equal((await fetchOnce(`${s.base}/robots.txt`)).status, 200, 'robots.txt reads nothing');
    assert.deepEqual(workerPids(s.masterPid()), workers, 'the worker lives on');
  } finally { await s.stop(); }
});
