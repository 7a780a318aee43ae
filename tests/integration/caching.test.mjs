// caching.test.mjs: HTTP validators and nginx's micro-cache. Every GET answer
// carries ETag and Last-Modified and its Content-Type with charset; conditional
// requests get 304; HEAD has no body; a publish changes the ETag and is visible
// within the cache lifetime; preview is never cached; cookies other than the display
// mode share one cached copy. The credit tools answer as of
// today: their Last-Modified is at least the start of today in China, so a new day
// makes yesterday's validators stale.
// tests: 6
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAZHI, startStack, get, sleep, tempDir } from './stack.mjs';

const CHECK = 'date=2026-03-31&procedure=general&kind=fine&fine=5000&domain=shirong&fulfilled=2026-04-10';
const ANSWERS = [
  ['/', 'text/html; charset=utf-8'],
  ['/cases/?domain=shirong', 'text/html; charset=utf-8'],
  ['/cases/2023-001', 'text/html; charset=utf-8'],
  ['/feeds/all.atom', 'application/atom+xml; charset=utf-8'],
  ['/feeds/cases/shirong.atom?page=1', 'application/atom+xml; charset=utf-8'],
  ['/api/v1/cases', 'application/json; charset=utf-8'],
  ['/api/v1/credit/penalty-repair', 'application/json; charset=utf-8'],
  ['/sitemap.xml', 'application/xml; charset=utf-8'],
  ['/robots.txt', 'text/plain; charset=utf-8'],
  ['/healthz', 'application/json; charset=utf-8'],
  // The credit tools: answers that depend on today (see the day test below).
  [`/credit/check?${CHECK}`, 'text/html; charset=utf-8'],
  [`/api/v1/credit/check?${CHECK}`, 'application/json; charset=utf-8'],
  [`/credit/check.ics?${CHECK}`, 'text/calendar; charset=utf-8'],
  ['/credit/lookup?q=9133090381B621CLXP', 'text/html; charset=utf-8'],
  ['/api/v1/credit/lookup?q=9133090381B621CLXP', 'application/json; charset=utf-8'],
];

// An ETag without nginx's weak mark (W/, added when gzip compresses a body).
const tag = (e) => (e ?? '').replace(/^W\//, '');

// Runs `fazhi publish` against the stack without blocking the event loop.
function publish(s) {
  return new Promise((resolve) => {
    const p = spawn(FAZHI, ['publish', '--content', s.content, '--snapshot', s.snapshot,
      '--pid', join(s.run, 'fazhi.pid'), '--url', `${s.base}/healthz`]);
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (status) => resolve({ status, err }));
  });
}

// Changes the title of case 2023-002 in the stack's content.
function retitle(s, suffix) {
  const f = join(s.content, 'cases', '2023-002.xml');
  writeFileSync(f, readFileSync(f, 'utf8').replace('</title>', `${suffix}</title>`));
}

test('every GET has its validators and type; 304 when the copy is current; HEAD has no body', async () => {
  const s = await startStack({ workers: 1 });
  try {
    for (const [path, type] of ANSWERS) {
      const r = await get(`${s.base}${path}`);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('content-type'), type, path);
      const etag = r.headers.get('etag'), lm = r.headers.get('last-modified');
      // strong from fazhi; nginx's gzip makes it weak (W/) when it compresses; the
      // sitemap is a file written once per snapshot, with nginx's own (mtime-size)
      assert.match(etag ?? '', path === '/sitemap.xml' ? /^(W\/)?"[0-9a-f]+-[0-9a-f]+"$/ :
        /^(W\/)?"[0-9a-f]{16}"$/, path);
      assert.ok(Date.parse(lm) <= Date.now() + 1000, `${path}: ${lm}`);
      assert.equal(r.headers.get('cache-control'), 'no-cache', `${path}: browsers revalidate`);
      if (path === '/healthz') continue;	// uptime changes every second
      const nm = await get(`${s.base}${path}`, { headers: { 'if-none-match': etag } });
      assert.equal(nm.status, 304, `${path} If-None-Match`);
      assert.equal(nm.body, '');
      assert.equal(tag(nm.headers.get('etag')), tag(etag));
      assert.equal(nm.headers.get('last-modified'), lm);
      const weak = await get(`${s.base}${path}`, { headers: { 'if-none-match': `"x", W/${tag(etag)}` } });
      assert.equal(weak.status, 304, `${path}: a list, and weak comparison`);
      const ims = await get(`${s.base}${path}`, { headers: { 'if-modified-since': lm } });
      assert.equal(ims.status, 304, `${path} If-Modified-Since`);
      const older = new Date(Date.parse(lm) - 1000).toUTCString();
      assert.equal((await get(`${s.base}${path}`, { headers: { 'if-modified-since': older } })).status, 200);
      // If-None-Match decides when both are sent (RFC 9110 13.2.2)
      const both = await get(`${s.base}${path}`, { headers: { 'if-none-match': '"0000000000000000"', 'if-modified-since': lm } });
      assert.equal(both.status, 200, path);
      const head = await get(`${s.base}${path}`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.body, '', `${path}: HEAD without a body`);
      assert.equal(tag(head.headers.get('etag')), tag(etag));
      assert.equal(head.headers.get('content-type'), type);
    }
    // The elderly mode's page is other bytes, so another ETag.
    const normal = await get(`${s.base}/cases/2023-001`);
    const elder = await get(`${s.base}/cases/2023-001`, { headers: { cookie: 'fazhi_mode=elder' } });
    assert.notEqual(elder.headers.get('etag'), normal.headers.get('etag'));
    assert.match(normal.headers.get('vary'), /Cookie/);
    // Errors carry no validators, and are never 304.
    const e = await get(`${s.base}/no-such-page`, { headers: { 'if-none-match': '*' } });
    assert.equal(e.status, 404);
    assert.equal(e.headers.get('etag'), null);
  } finally { await s.stop(); }
});

test('the credit tools answer as of today: a new day in China makes yesterday\'s validators stale', async () => {
  // Noon in China, two days from now (after the snapshot is built), then the next day.
  const day = Math.floor((Date.now() / 1000 + 8 * 3600) / 86400) + 2;
  const midnight = (d) => d * 86400 - 8 * 3600;
  const clock = join(tempDir(), 'now');
  writeFileSync(clock, String(midnight(day) + 12 * 3600));
  process.env.CLOCK_FILE = clock;
  let s;
  try { s = await startStack({ workers: 1 }); } finally { delete process.env.CLOCK_FILE; }
  try {
    const paths = [`/credit/check?${CHECK}`, `/api/v1/credit/check?${CHECK}`,
      '/credit/lookup?q=9133090381B621CLXP', '/api/v1/credit/lookup?q=9133090381B621CLXP'];
    const first = {};
    for (const path of paths) {
      const r = await get(`${s.base}${path}`);
      assert.equal(r.status, 200, path);
      assert.equal(Date.parse(r.headers.get('last-modified')), midnight(day) * 1000,
        `${path}: Last-Modified is the start of today in China`);
      first[path] = r;
    }
    assert.equal(JSON.parse(first[paths[3]].body).meta.today.length, 10);
    writeFileSync(clock, String(midnight(day + 1) + 60));	// one minute into the next day
    for (const path of paths) {
      const { headers } = first[path];
      const r = await get(`${s.base}${path}`, { headers: { 'if-modified-since': headers.get('last-modified') } });
      assert.equal(r.status, 200, `${path}: If-Modified-Since of yesterday is stale`);
      assert.equal(Date.parse(r.headers.get('last-modified')), midnight(day + 1) * 1000, path);
      const again = await get(`${s.base}${path}`, { headers: { 'if-none-match': r.headers.get('etag') } });
      assert.equal(again.status, 304, `${path}: today's copy is current`);
    }
    // The API states the day it answers for, so its ETag moves with the day.
    for (const path of [paths[1], paths[3]]) {
      const r = await get(`${s.base}${path}`, { headers: { 'if-none-match': first[path].headers.get('etag') } });
      assert.equal(r.status, 200, `${path}: yesterday's ETag`);
      assert.notEqual(tag(r.headers.get('etag')), tag(first[path].headers.get('etag')));
    }
    // Problems and not-found answers carry no validators.
    for (const path of ['/credit/check?date=bad', '/api/v1/credit/check?date=bad', '/credit/lookup?q=nothing',
      '/api/v1/credit/lookup?q=nothing']) {
      const r = await get(`${s.base}${path}`, { headers: { 'if-none-match': '*' } });
      assert.ok(r.status === 400 || r.status === 404, `${path}: ${r.status}`);
      assert.equal(r.headers.get('etag'), null, path);
      assert.equal(r.headers.get('last-modified'), null, path);
    }
  } finally { await s.stop(); }
});

test('a publish changes the ETag and Last-Modified of what it changes', async () => {
  const s = await startStack({ workers: 1 });
  try {
    // each of these shows case 2023-002 or the new case
    const paths = ['/cases/?domain=shirong', '/cases/2023-002', '/feeds/cases/shirong.atom',
      '/api/v1/cases/2023-002', '/api/v1/cases?domain=shirong', '/sitemap.xml'];
    const before = {};
    for (const p of paths) before[p] = (await get(`${s.base}${p}`)).headers;
    await sleep(1100);		// Last-Modified has one-second steps
    retitle(s, '（更新）');
    copyFileSync(join(s.content, 'cases', '2023-001.xml'), join(s.content, 'cases', 'zz-new.xml'));
    const r = await publish(s);
    assert.equal(r.status, 0, r.err);
    for (const p of paths) {
      const after = await get(`${s.base}${p}`, { headers: { 'if-none-match': before[p].get('etag') } });
      assert.equal(after.status, 200, `${p}: the old ETag no longer matches`);
      assert.notEqual(after.headers.get('etag'), before[p].get('etag'), p);
      assert.ok(Date.parse(after.headers.get('last-modified')) > Date.parse(before[p].get('last-modified')), p);
    }
    assert.match((await get(`${s.base}/api/v1/cases/2023-002`)).body, /（更新）/);
  } finally { await s.stop(); }
});

test('nginx micro-caches public answers, and none is served from before a publish once it returns', async () => {
  process.env.CACHE = 'on';
  let s;
  try { s = await startStack({ workers: 1 }); } finally { delete process.env.CACHE; }
  try {
    for (const p of ['/cases/2023-002', '/feeds/cases.atom', '/api/v1/cases/2023-002']) {
      await get(`${s.base}${p}`);
      const hit = await get(`${s.base}${p}`);
      assert.equal(hit.headers.get('x-cache'), 'HIT', p);
      const nm = await get(`${s.base}${p}`, { headers: { 'if-none-match': hit.headers.get('etag') } });
      assert.equal(nm.status, 304, `${p}: nginx answers conditionals from the cache`);
    }
    assert.notEqual((await get(`${s.base}/healthz`)).headers.get('x-cache'), 'HIT', 'health is never cached');
    // "Not found" is cached too, so that it replaces the copy of a withdrawn item.
    await get(`${s.base}/cases/no-such-case`);
    assert.equal((await get(`${s.base}/cases/no-such-case`)).headers.get('x-cache'), 'HIT', '404 cached');
    for (let i = 0; i < 3; i++) {		// exports: nginx's file, cached redirect or not
      const x = await get(`${s.base}/export/cases.json`);
      assert.equal(x.status, 200);
      assert.equal(JSON.parse(x.body).meta.section, 'cases');
    }
    retitle(s, '（再次更新）');
    const r = await publish(s);
    assert.equal(r.status, 0, r.err);
    // publish returns once no cached copy of the old snapshot can be served.
    for (const p of ['/api/v1/cases/2023-002', '/cases/2023-002']) {
      const a = await get(`${s.base}${p}`);
      assert.match(a.body, /再次更新/, `${p}: the first answer after publish`);
      assert.ok(!['STALE', 'UPDATING'].includes(a.headers.get('x-cache')), p);
    }
  } finally { await s.stop(); }
});

test('preview is never cached, even behind a caching nginx', async () => {
  process.env.CACHE = 'on';
  process.env.PREVIEW = '1';
  let s;
  try { s = await startStack({ workers: 1 }); } finally { delete process.env.CACHE; delete process.env.PREVIEW; }
  try {
    for (const p of ['/cases/test-draft', '/feeds/all.atom', '/api/v1/cases/test-draft', '/robots.txt']) {
      for (let i = 0; i < 3; i++) {
        const r = await get(`${s.base}${p}`);
        assert.equal(r.status, 200, p);
        assert.notEqual(r.headers.get('x-cache'), 'HIT', p);
        assert.match(r.headers.get('cache-control'), /no-store/, p);
      }
    }
    assert.match((await get(`${s.base}/robots.txt`)).body, /^Disallow: \/$/m, 'preview asks robots to stay away');
    assert.equal((await get(`${s.base}/export/cases.json`)).status, 404, 'no exports of drafts');
  } finally { await s.stop(); }
});

test('cookies other than the display mode, and HEAD beside GET, neither split nor bypass the micro-cache', async () => {
  process.env.CACHE = 'on';
  let s;
  try { s = await startStack({ workers: 1 }); } finally { delete process.env.CACHE; }
  try {
    // Two answers within one cache lifetime: the second comes from the cache unless
    // something in the request split the key. A pair that straddles the end of a
    // second is tried again, with cookie values never sent before (a value seen
    // once could have a copy of its own).
    let n = 0;
    async function secondIsHit(p, first, second) {
      for (let i = 0; i < 5; i++) {
        const v = `${process.pid}${++n}`;
        await get(`${s.base}${p}`, { headers: { cookie: first.replaceAll('N', v) } });
        const r = await get(`${s.base}${p}`, { headers: { cookie: second.replaceAll('N', v) } });
        if (r.headers.get('x-cache') === 'HIT') return r;
      }
      return null;
    }
    // A visitor's other cookies (an analytics id, made-up values) share one copy:
    // the page says "Vary: Cookie" to browsers, but nginx keys on fazhi_mode alone.
    for (const p of ['/cases/2023-002', '/api/v1/cases'])
      assert.ok(await secondIsHit(p, 'Hm_lvt_1=N', 'x=N; y=3'), `${p}: another cookie is a hit`);
    const elder = await secondIsHit('/cases/2023-002', 'fazhi_mode=elder; b=N', 'a=N; fazhi_mode=elder');
    assert.ok(elder, 'the elder copy is shared by all elder-mode visitors');
    const normal = await secondIsHit('/cases/2023-002', 'z=N', 'w=N');
    assert.ok(normal, 'the normal copy is shared by visitors with different cookies');
    assert.notEqual(elder.body, normal.body, 'each display mode has its own copy');
    assert.match(normal.headers.get('vary') ?? '', /Cookie/, 'browsers are still told the page varies');
    // HEAD and GET share one copy, and HEAD still gets no body (each try on an
    // address not asked for before in this stack).
    let head;
    for (const p of ['/pufa/', '/laws/', '/cases/2023-001', '/cases/2024-001', '/credit/']) {
      await get(`${s.base}${p}`);
      head = await get(`${s.base}${p}`, { method: 'HEAD' });
      if (head.headers.get('x-cache') === 'HIT') break;
    }
    assert.equal(head.headers.get('x-cache'), 'HIT', 'HEAD after GET: a hit');
    assert.equal(head.body, '', 'HEAD: no body');
  } finally { await s.stop(); }
});
