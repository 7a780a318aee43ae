// ratelimit.test.mjs: nginx limits what reaches fazhi per client address, generously
// (SITE_RATE 20 requests/s, SITE_BURST 100 in nginx/fazhi.conf.in): a burst from one
// address gets 429 -- the static page in Chinese, JSON on the API -- while a person's
// browsing pace never does; SITE_RATE=off lifts it for tests and the benchmark.
// tests: 3
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startStack, get, sleep, tempDir, testContent, build } from './stack.mjs';

const SITE_RATE = 20, SITE_BURST = 100;	// nginx/fazhi.conf.in, scripts/nginx-conf

let s, snapshot;
before(async () => {
  const dir = tempDir();
  snapshot = join(dir, 'site.db');
  const b = build(testContent(dir), snapshot);
  assert.equal(b.status, 0, b.stderr);
  s = await startStack({ snapshot, siteRate: 'on' });
});
after(async () => { await s.stop(); });

// Sends n requests for each of paths at once (each a made-up address, a cache miss, which
// fazhi refuses: x is no parameter of theirs, 400); returns the answers, each with its path.
async function burst(base, paths, n) {
  const all = [];
  for (let i = 0; i < n; i++) for (const p of paths) all.push(get(`${base}${p}?x=${i}`).then((r) => ({ ...r, path: p })));
  return Promise.all(all);
}

test(`a burst from one address past SITE_BURST (${SITE_BURST}) gets 429: a page in Chinese, JSON on the API`, async () => {
  const rs = await burst(s.base, ['/cases/', '/api/v1/cases'], SITE_BURST * 2);
  const limited = rs.filter((r) => r.status === 429);
  assert.ok(limited.length >= SITE_BURST / 2, `${limited.length} of ${rs.length} answered 429`);
  assert.ok(rs.every((r) => r.status === 429 || r.status === 200 || r.status === 400),
    [...new Set(rs.map((r) => r.status))].join(' '));
  const page = limited.find((r) => r.path === '/cases/');
  assert.ok(page, 'a page was limited');
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(page.body, /<html lang="zh-CN">/);
  assert.match(page.body, /请求过于频繁/);
  const api = limited.find((r) => r.path === '/api/v1/cases');
  assert.ok(api, 'an API answer was limited');
  assert.equal(JSON.parse(api.body).error.code, 'rate_limited');
  // Static files never count, and are served through the burst.
  assert.equal((await get(`${s.base}/static/site.css`)).status, 200);
});

test(`a person's pace (a page a second, a few at once) never gets 429`, async () => {
  await sleep((SITE_BURST / SITE_RATE + 1) * 1000);	// let the bucket drain
  const statuses = [];
  for (let i = 0; i < 8; i++) {
    // A page and what it links to that reaches fazhi, then a pause.
    const rs = await Promise.all(['/', '/cases/2023-001', '/pufa/'].map((p) => get(`${s.base}${p}`)));
    for (const r of rs) statuses.push(r.status);
    statuses.push((await get(`${s.base}/healthz`)).status);
    await sleep(250);
  }
  assert.ok(statuses.every((c) => c === 200), statuses.join(' '));
});

test('SITE_RATE=off lifts the limit: the same burst is answered', async () => {
  const st = await startStack({ snapshot, workers: 1, siteRate: 'off' });
  try {
    const rs = await burst(st.base, ['/cases/'], SITE_BURST * 2);
    assert.deepEqual([...new Set(rs.map((r) => r.status))], [400], 'each answered by fazhi');
  } finally { await st.stop(); }
});
