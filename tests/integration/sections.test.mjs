// sections.test.mjs: the pages beyond cases: 普法 materials with campaigns split by
// today's date, the credit-repair guides, the about page, and the case filters.
// tests: 7
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, get, tempDir } from './stack.mjs';

let s;
before(async () => {
  // Today is 2026-11-28 (China time) for this server, whatever the real date.
  const clock = join(tempDir(), 'now');
  writeFileSync(clock, String(Date.UTC(2026, 10, 28, 4, 0, 0) / 1000));
  process.env.CLOCK_FILE = clock;
  try { s = await startStack({ workers: 1 }); } finally { delete process.env.CLOCK_FILE; }
});
after(async () => { await s.stop(); });

// The part of a page between two markers (the first occurrence of each).
function between(body, from, to) {
  const a = body.indexOf(from);
  assert.ok(a >= 0, `"${from}" is on the page`);
  const b = body.indexOf(to, a + from.length);
  return body.slice(a, b < 0 ? undefined : b);
}

test('every section and item page answers in the site look', async () => {
  for (const path of ['/pufa/', '/pufa/2026-yumin-ketang', '/pufa/2024-guoan-day',
    '/credit/', '/credit/penalty-repair', '/credit/repair-timing', '/about']) {
    const r = await get(`${s.base}${path}`);
    assert.equal(r.status, 200, path);
    assert.match(r.body, /<html lang="zh-CN"/, path);
    assert.match(r.body, /<h1[ >]/, path);
  }
  for (const path of ['/pufa', '/credit'])
    assert.equal((await get(`${s.base}${path}`)).headers.get('location'), `${path}/`);
});

test('campaigns are split into upcoming and past by today', async () => {
  const r = await get(`${s.base}/pufa/`);
  const upcoming = between(r.body, '即将开展', '往期活动');
  const past = r.body.slice(r.body.indexOf('往期活动'));
  assert.match(upcoming, /2026-yumin-ketang/);
  assert.match(upcoming, /2026-xianfa-day/);
  assert.doesNotMatch(upcoming, /2024-guoan-day/);
  assert.match(past, /2025-xianfa-week/);
  assert.doesNotMatch(past, /2026-yumin-ketang/);
});

test('drafts and scheduled materials stay hidden', async () => {
  assert.equal((await get(`${s.base}/pufa/2027-guoan-day`)).status, 404);
  assert.equal((await get(`${s.base}/pufa/brochure-yanhua-anquan`)).status, 404);
  const list = await get(`${s.base}/pufa/?kind=brochure`);
  assert.doesNotMatch(list.body, /brochure-yanhua-anquan/);
});

test('a guide shows its steps, documents and questions', async () => {
  const r = await get(`${s.base}/credit/penalty-repair`);
  assert.match(r.body, /<ol[ >][\s\S]*履行处罚决定[\s\S]*<\/ol>/);
  assert.match(r.body, /信用修复申请书/);
  assert.match(r.body, /罚款交了，处罚信息会自动撤下吗？/);
  const index = await get(`${s.base}/credit/`);
  assert.match(index.body, /href="\/credit\/penalty-repair"/);
});

test('case filters combine, stay in the URL and count', async () => {
  const all = await get(`${s.base}/cases/`);
  const total = Number(all.body.match(/共 (\d+) 个案例/)[1]);
  const r = await get(`${s.base}/cases/?domain=shirong`);
  assert.equal(r.status, 200);
  const n = Number(r.body.match(/共 (\d+) 个案例/)[1]);
  assert.ok(n > 0 && n < total, `${n} of ${total}`);
  const items = r.body.match(/<li class="case-item">[\s\S]*?<\/li>/g) || [];
  assert.ok(items.length > 0);
  for (const it of items) assert.match(it, /<span class="sep"> · <\/span>市容环卫<span class="sep">/, 'only 市容环卫 cases');
  assert.match(r.body, /aria-current="true"><span class="tick" aria-hidden="true">✓<\/span>市容环卫 /, 'the chosen chip');
  const both = await get(`${s.base}/cases/?domain=shirong&year=2023`);
  const m = Number(both.body.match(/共 (\d+) 个案例/)[1]);
  assert.ok(m > 0 && m <= n);
  assert.match(both.body, /href="\/cases\/\?domain=shirong&amp;year=2024"/, 'links keep the filters');
  const none = await get(`${s.base}/cases/?domain=shirong&year=1999`);
  assert.equal(none.status, 200);
  assert.match(none.body, /共 0 个案例/);
  assert.match(none.body, /<div class="empty">(?:(?!<\/div>)[\s\S])*<a href="\/cases\/">/, 'the empty state links to all cases');
  for (const bad of ['domain=A%20B', 'year=20x3', 'procedure=fast', 'kind=x'])
    assert.equal((await get(`${s.base}/${bad.startsWith('kind') ? 'pufa' : 'cases'}/?${bad}`)).status, 400, bad);
});

test('the home page has the latest cases, guides, campaigns and the figures chart', async () => {
  const r = await get(`${s.base}/`);
  assert.match(r.body, /href="\/cases\/20\d\d-\d{3}"/);
  assert.match(r.body, /href="\/credit\//);
  assert.match(r.body, /href="\/pufa\/2026-yumin-ketang"/);
  assert.match(r.body, /<svg[^>]*role="img"/);
  assert.match(r.body, /<svg class="bars"(?:(?!<\/svg>)[\s\S])*<text class="bar-label"[^>]*>市容环卫<\/text>/, 'the chart');
});

test('the home page has the search form, which leads to the results', async () => {
  const home = await get(`${s.base}/`);
  assert.match(home.body, /<form class="search-form" action="\/search#results" method="get" role="search">/);
});
