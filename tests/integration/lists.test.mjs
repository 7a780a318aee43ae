// lists.test.mjs: the lists the build computes once (fcgi/lists.c), on a generated
// corpus (scripts/gen-corpus) large enough for deep pages. Every page of a list, its
// count and its facets must be what a hand-computed order over the content's own
// files gives: filtered, deep, through the pages, the API and the feeds; guides
// paged; items whose publish-at passes after the build taken in (few: merged at
// request time; more than SNAP_MAX_LATE: read from the items); no page too large.
// tests: 5
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, build, get, startStack, tempDir } from './stack.mjs';

const PER_PAGE = 10;		// REQ_PER_PAGE
const FEED_PER_PAGE = 20;	// FEED_PER_PAGE
const SNAP_MAX_LATE = 64;	// fcgi/snap.h
const MAX_PAGE_BYTES = 300 * 1024;	// no page over 300 KB
const COUNT = 8000;		// about 80 items with a publish-at in 2099

// Every item of the generated content, as its file says.
function readItems(content) {
  const items = [];
  for (const [folder, kind] of [['cases', 'case'], ['guides', 'guide'], ['pufa', 'material']]) {
    for (const f of readdirSync(join(content, folder))) {
      if (!f.endsWith('.xml')) continue;
      const x = readFileSync(join(content, folder, f), 'utf8');
      const root = x.match(/<(case|guide|material)\b([^>]*)>/)[2];
      const attr = (n) => (root.match(new RegExp(`\\b${n}="([^"]*)"`)) || [])[1];
      const el = (n) => (x.match(new RegExp(`<${n}>([^<]*)</${n}>`)) || [])[1];
      const at = attr('publish-at');
      const published = el('published');
      items.push({ id: f.slice(0, -4), kind, status: attr('status'),
        publishAt: at ? Date.parse(at) / 1000 : 0, published, year: published.slice(0, 4),
        domain: el('domain'), town: el('town'), procedure: el('procedure'),
        subkind: attr('kind'), topic: el('topic') });
    }
  }
  return items;
}

// The visible items of kind at Unix time now matching filters, in list order
// (newest first; guides with the same date by id, the rest by id descending).
function expected(items, now, kind, filters = {}) {
  const list = items.filter((i) => i.status === 'published' && i.publishAt <= now &&
    (kind === null || i.kind === kind) &&
    Object.entries(filters).every(([k, v]) => i[k] === v));
  return list.sort((a, b) => {
    if (a.published !== b.published) return a.published < b.published ? 1 : -1;
    if (a.id === b.id) return 0;
    return (a.id < b.id) === (kind === 'guide') ? -1 : 1;
  }).map((i) => i.id);
}

const ids = (body, re) => [...body.matchAll(re)].map((m) => m[1]);
const CASE_RE = /<li class="case-item">\s*<h3><a href="\/cases\/([^"]+)"/g;
const MATERIAL_RE = /<li class="material-item">\s*<h3><a href="\/pufa\/([^"]+)"/g;
const GUIDE_RE = /<li class="guide-item">\s*<h3><a href="\/credit\/([^"]+)"/g;
const FEED_RE = /<entry>[\s\S]*?<link[^>]*href="[^"]*\/(?:cases|pufa|credit)\/([^"]+)"/g;

let s, items, clock;
const NOW = Math.floor(Date.now() / 1000);
const MID_2099 = Date.parse('2099-06-01T00:00:00+08:00') / 1000;
const AFTER_2099 = Date.parse('2100-01-02T00:00:00+08:00') / 1000;

before(async () => {
  const dir = tempDir();
  const content = join(dir, 'content');
  const g = spawnSync(join(ROOT, 'scripts', 'gen-corpus'), ['--out', content, '--count',
    String(COUNT)], { encoding: 'utf8' });
  assert.equal(g.status, 0, g.stderr);
  const snapshot = join(dir, 'site.db');
  const b = build(content, snapshot);
  assert.equal(b.status, 0, b.stderr);
  items = readItems(content);
  clock = join(dir, 'now');
  writeFileSync(clock, String(NOW));
  process.env.CLOCK_FILE = clock;
  try { s = await startStack({ snapshot, workers: 1 }); } finally { delete process.env.CLOCK_FILE; }
});
after(async () => { if (s) await s.stop(); });

// The ids of page p of an HTML list, checked to be a 200.
async function page(path, p, re) {
  const sep = path.includes('?') ? '&' : '?';
  const r = await get(`${s.base}${path}${p > 1 ? `${sep}page=${p}` : ''}`);
  assert.equal(r.status, 200, `${path} page ${p}`);
  return { ids: ids(r.body, re), body: r.body };
}

// Checks pages of a list (the first, some deep ones and the last) against want.
async function checkList(path, re, want, per = PER_PAGE) {
  const pages = Math.max(1, Math.ceil(want.length / per));
  const some = [...new Set([1, 2, Math.ceil(pages / 2), pages - 1, pages].filter((p) => p >= 1 && p <= pages))];
  for (const p of some) {
    const got = (await page(path, p, re)).ids;
    assert.deepEqual(got, want.slice((p - 1) * per, p * per), `${path} page ${p} of ${pages}`);
  }
  const sep = path.includes('?') ? '&' : '?';
  if (want.length > 0)
    assert.equal((await get(`${s.base}${path}${sep}page=${pages + 1}`)).status, 404, `${path} past the last page`);
}

// The counts a facet group shows: { code: n } from its chips' links.
function facet(body, key) {
  const group = body.match(new RegExp(`aria-labelledby="facet-${key}">([\\s\\S]*?)</ul>`))[1];
  const out = {};
  const re = new RegExp(`href="[^"]*[?&;]${key}=([^"&]+)[^"]*">[^<]*<span class="n">\\((\\d+)\\)`, 'g');
  for (const m of group.matchAll(re))
    out[m[1]] = Number(m[2]);
  return out;
}

// Every check of one moment: pages, API, feeds and counts against the content.
async function checkAll(now) {
  const cases = expected(items, now, 'case');
  const domain = items.find((i) => i.kind === 'case').domain;
  const year = '2024';
  await checkList('/cases/', CASE_RE, cases);
  await checkList(`/cases/?domain=${domain}`, CASE_RE, expected(items, now, 'case', { domain }));
  const town = items.find((i) => i.kind === 'case' && i.town).town;
  await checkList(`/cases/?domain=${domain}&town=${town}&year=${year}&procedure=general`, CASE_RE,
    expected(items, now, 'case', { domain, town, year, procedure: 'general' }));
  await checkList('/pufa/?kind=article', MATERIAL_RE, expected(items, now, 'material', { subkind: 'article' }));
  await checkList('/credit/', GUIDE_RE, expected(items, now, 'guide'));
  // The count and the facets of a filtered list: each facet under the other filters.
  const first = await page(`/cases/?year=${year}`, 1, CASE_RE);
  const n = expected(items, now, 'case', { year }).length;
  assert.match(first.body, new RegExp(`共 ${n} 个案例`));
  const byDomain = {};
  for (const i of items)
    if (expected([i], now, 'case', { year }).length) byDomain[i.domain] = (byDomain[i.domain] || 0) + 1;
  assert.deepEqual(facet(first.body, 'domain'), byDomain);
  // The API: an odd page size, deep.
  const want = expected(items, now, 'case', { domain });
  for (const p of [1, 7, Math.ceil(want.length / 7)]) {
    const r = await get(`${s.base}/api/v1/cases?domain=${domain}&per_page=7&page=${p}`);
    assert.equal(r.status, 200);
    const j = JSON.parse(r.body);
    assert.equal(j.meta.total, want.length);
    assert.deepEqual(j.data.map((c) => c.id), want.slice((p - 1) * 7, p * 7), `API page ${p}`);
  }
  // The feeds: every item, and one domain's cases.
  const all = expected(items, now, null);
  for (const p of [1, 30, Math.ceil(all.length / FEED_PER_PAGE)]) {
    const r = await get(`${s.base}/feeds/all.atom${p > 1 ? `?page=${p}` : ''}`);
    assert.equal(r.status, 200);
    assert.deepEqual(ids(r.body, FEED_RE), all.slice((p - 1) * FEED_PER_PAGE, p * FEED_PER_PAGE), `feed page ${p}`);
  }
  const credit = await get(`${s.base}/feeds/credit.atom`);
  const guides = expected(items, now, null).filter((id) => id.startsWith('gen-g-'));
  assert.deepEqual(ids(credit.body, FEED_RE), guides.slice(0, FEED_PER_PAGE));
  const h = JSON.parse((await get(`${s.base}/healthz`)).body);
  assert.equal(h.items, all.length);
}

test('deep pages of every list, filtered or not, give the hand-computed order', async () => {
  writeFileSync(clock, String(NOW));
  await checkAll(NOW);
});

test('guides are paged like cases: every guide once, in order, no page past the last', async () => {
  writeFileSync(clock, String(NOW));
  const want = expected(items, NOW, 'guide');
  assert.ok(want.length > 3 * PER_PAGE, `${want.length} guides`);
  const seen = [];
  for (let p = 1; p <= Math.ceil(want.length / PER_PAGE); p++) {
    const r = await page('/credit/', p, GUIDE_RE);
    assert.ok(r.ids.length <= PER_PAGE);
    seen.push(...r.ids);
    if (p === 1) assert.match(r.body, new RegExp(`共 ${want.length} 篇指南`));
  }
  assert.deepEqual(seen, want);
  assert.equal((await get(`${s.base}/credit/?page=0`)).status, 400);
});

test('items public after the build join lists, counts and feeds when their time comes', async () => {
  const late = (t) => items.filter((i) => i.status === 'published' && i.publishAt > NOW && i.publishAt <= t).length;
  // Some of them: merged into the lists at request time.
  assert.ok(late(MID_2099) > 0 && late(MID_2099) <= SNAP_MAX_LATE, `${late(MID_2099)} by mid-2099`);
  writeFileSync(clock, String(MID_2099));
  await checkAll(MID_2099);
  // More than SNAP_MAX_LATE: the lists are read from the items, with the same answers.
  assert.ok(late(AFTER_2099) > SNAP_MAX_LATE, `${late(AFTER_2099)} by 2100`);
  writeFileSync(clock, String(AFTER_2099));
  await checkAll(AFTER_2099);
  writeFileSync(clock, String(NOW));
  const r = await get(`${s.base}/cases/`);
  assert.match(r.body, new RegExp(`共 ${expected(items, NOW, 'case').length} 个案例`));
});

test('a law lists the newest citing items under each article, with the count and a search for all', async () => {
  writeFileSync(clock, String(NOW));
  const laws = JSON.parse((await get(`${s.base}/api/v1/laws`)).body).data;
  const most = laws.reduce((a, b) => (b.items > a.items ? b : a));
  const r = await get(`${s.base}/laws/${most.id}`);
  assert.equal(r.status, 200);
  const j = JSON.parse((await get(`${s.base}/api/v1/laws/${most.id}`)).body).data;
  const a = j.articles.reduce((x, y) => (y.cited > x.cited ? y : x));
  assert.ok(a.cited > 20, `${a.cited} citations`);
  assert.equal(a.cited_by.length, 20);
  const dates = a.cited_by.map((c) => c.published);
  assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
  assert.match(r.body, new RegExp(`适用本条的案例和资料（${a.cited}）`));
  assert.match(r.body, /以上是最新的 20 项。<a href="\/search\?q=[^"]+">搜索引用/);
});

test(`no page is over ${MAX_PAGE_BYTES / 1024} KB`, async () => {
  writeFileSync(clock, String(NOW));
  const laws = JSON.parse((await get(`${s.base}/api/v1/laws`)).body).data;
  const paths = ['/', '/cases/', '/cases/?page=500', '/pufa/', '/credit/', '/laws/', '/about',
    '/feeds/all.atom', '/feeds/credit.atom', '/api/v1/cases?per_page=50', '/api/v1/credit?per_page=50',
    '/api/v1/laws', '/search?q=%E7%BD%9A%E6%AC%BE', ...laws.flatMap((l) => [`/laws/${l.id}`, `/api/v1/laws/${l.id}`])];
  for (const p of paths) {
    const r = await get(`${s.base}${p}`);
    assert.equal(r.status, 200, p);
    assert.ok(Buffer.byteLength(r.body) <= MAX_PAGE_BYTES, `${p}: ${Buffer.byteLength(r.body)} bytes`);
  }
});
