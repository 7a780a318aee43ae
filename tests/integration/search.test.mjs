// search.test.mjs: full-text search through nginx: relevance on the shipped content,
// the page and the API giving the same results, exact decision numbers and ids,
// filters, paging and the named limits, hostile queries, drafts, and the rate limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startStack, get, build, tempDir, ROOT } from './stack.mjs';

const HEADER = readFileSync(join(ROOT, 'fcgi', 'search.h'), 'utf8');
const limit = (name) => Number(HEADER.match(new RegExp(`#define ${name}\\s+(\\d+)`))[1]);
const MAX_QUERY = limit('SEARCH_MAX_QUERY');
const PER_PAGE = limit('SEARCH_PER_PAGE');
const MAX_MATCHES = limit('SEARCH_MAX_MATCHES');
const CONF = readFileSync(join(ROOT, 'nginx', 'fazhi.conf.in'), 'utf8');
const BURST = Number(CONF.match(/location = \/search \{\s*limit_req zone=search burst=(\d+)/)[1]);

// Many searches from one address: this stack lifts the limit; the last test
// checks it on a stack of its own.
let s;
before(async () => { s = await startStack({ workers: 1, searchRate: 'off' }); });
after(async () => { await s.stop(); });

const enc = encodeURIComponent;
const page = (q, extra = '') => get(`${s.base}/search?q=${enc(q)}${extra}`);
async function api(q, extra = '', base = s.base) {
  const r = await get(`${base}/api/v1/search?q=${enc(q)}${extra}`);
  assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  return { status: r.status, json: JSON.parse(r.body) };
}
// The item addresses of a results page, in order.
const pageIds = (body) => [...body.matchAll(/<h2 class="result-title"><a href="\/(?:cases|credit|pufa)\/([^"]+)"/g)]
  .map((m) => m[1]);

// Each query, and an item that must be among its first three results.
const RELEVANCE = [
  ['渣土', '2023-001'], ['抛洒滴漏', '2023-001'], ['噪音', '2024-002'],
  ['违建', '2023-003'], ['违建', '2025-002'], ['宪法', '2026-xianfa-day'],
  ['休渔', 'qa-xiuyu-yuchuan'], ['首违不罚', 'qa-shouci-buchufa'],
  ['信用修复 材料', 'repair-documents'], ['消防车通道', '2025-007'],
  ['GB 50016', '2025-007'], ['gb50016', '2025-007'], ['ＧＢ５００１６', '2025-007'],
  ['烟花爆竹', '2025-006'], ['网约车', '2025-010'], ['农民工工资', '2025-011'],
  ['垃圾分类', 'qa-laji-fenlei'], ['油烟', '2023-004'], ['病死猪', '2025-004'],
  ['国家安全教育日', '2025-guoan-day'], ['医疗美容', '2024-006'],
  ['网吧 未成年人', '2025-009'], ['民宿 消防', 'qa-minsu-xiaofang'],
  ['液化石油气', '2023-011'], ['功德箱', '2023-013'], ['信用中国', 'penalty-repair'],
  ['有限空间', '2023-012'], ['舟普综执罚决字〔2023〕第501号', '2023-001'],
];

test(`relevance: ${RELEVANCE.length} queries, each with its item in the top 3; page and API agree`, async () => {
  for (const [q, id] of RELEVANCE) {
    const a = await api(q);
    assert.equal(a.status, 200, q);
    const ids = a.json.data.map((r) => r.id);
    assert.ok(ids.slice(0, 3).includes(id), `${q}: ${id} in the top 3 of ${ids.join(' ')}`);
    const p = await page(q, '&page=1');	// page=1: no jump to an exact match
    assert.equal(p.status, 200, q);
    assert.deepEqual(pageIds(p.body), ids, `${q}: the page lists what the API does`);
  }
});

test('one and two characters find what they should; the match is marked', async () => {
  const one = await api('罚');
  assert.ok(one.json.meta.total > 20, 'one character finds many items');
  assert.ok(one.json.data.every((r) => r.snippet_html.includes('<mark>罚</mark>') ||
    r.title_html.includes('<mark>罚</mark>')), 'every result shows 罚 marked');
  const two = await api('噪音');
  assert.equal(two.json.data[0].id, '2024-002');
  const p = await page('渣土');
  assert.match(p.body, /<mark>渣土<\/mark>/);
  assert.match(p.body, /<p class="meta">典型案例 · 市容环卫 · <time datetime="2023-05-16">/,
    'section, domain and date');
});

test('a decision number or an item id goes straight to the item', async () => {
  for (const q of ['舟普综执罚决字〔2023〕第501号', '舟普综执罚决字[2023]第５０１号', ' 舟普综执罚决字(2023)第501号 ']) {
    const r = await page(q);
    assert.equal(r.status, 303, q);
    assert.equal(r.headers.get('location'), '/cases/2023-001', q);
  }
  const id = await page('2024-003');
  assert.equal(id.status, 303);
  assert.equal(id.headers.get('location'), '/cases/2024-003');
  const a = await api('舟普综执罚决字〔2023〕第501号');
  assert.match(a.json.meta.exact, /\/cases\/2023-001$/);
  assert.equal(a.json.data[0].id, '2023-001');
  const other = await page('舟普综执罚决字〔2023〕第999号');
  assert.equal(other.status, 200, 'another number is a search');
  assert.equal((await page('test-draft')).status, 200, 'a draft\'s id does not jump to it');
  const filtered = await page('2024-003', '&section=cases');
  assert.equal(filtered.status, 200, 'a filtered search lists, it does not jump');
});

test('filters combine with the query and stay in the URL; counts per section', async () => {
  const all = await api('信用');
  const counts = Object.fromEntries(all.json.meta.counts.map((c) => [c.section, c.n]));
  assert.equal(counts.cases + counts.credit + counts.pufa, all.json.meta.total);
  for (const section of ['cases', 'credit', 'pufa']) {
    const r = await api('信用', `&section=${section}`);
    assert.equal(r.json.meta.total, counts[section], section);
    const kind = { cases: 'case', credit: 'guide', pufa: 'material' }[section];
    assert.ok(r.json.data.every((x) => x.kind === kind), section);
  }
  const d = await api('罚', '&domain=shirong');
  assert.ok(d.json.data.length > 0);
  assert.ok(d.json.data.every((x) => x.domain_code === 'shirong'));
  const y = await api('罚', '&year=2024&section=cases');
  assert.ok(y.json.data.length > 0);
  assert.ok(y.json.data.every((x) => x.published.startsWith('2024') && x.kind === 'case'));
  const p = await page('罚', '&section=cases&year=2024');
  assert.match(p.body, /href="\/search\?q=%E7%BD%9A&amp;section=cases&amp;year=2024&amp;page=2"|已选条件/);
  assert.match(p.body, /<option value="2024" selected>/);
  const none = await api('渣土', '&domain=haiyang');
  assert.equal(none.json.meta.total, 0);
  assert.deepEqual(none.json.data, []);
});

test(`paging: SEARCH_PER_PAGE (${PER_PAGE}) a page, the same order on page and API`, async () => {
  const first = await api('罚');
  assert.equal(first.json.data.length, PER_PAGE);
  assert.equal(first.json.meta.pages, Math.ceil(first.json.meta.total / PER_PAGE));
  const second = await api('罚', '&page=2');
  assert.equal(second.json.meta.page, 2);
  const a = first.json.data.map((r) => r.id), b = second.json.data.map((r) => r.id);
  assert.ok(b.every((id) => !a.includes(id)), 'page 2 holds other items');
  assert.deepEqual(pageIds((await page('罚', '&page=2')).body), b);
  assert.equal((await page('罚', `&page=${first.json.meta.pages + 1}`)).status, 404);
  assert.equal((await api('罚', `&page=${first.json.meta.pages + 1}`)).status, 404);
  assert.equal((await page('罚', '&page=0')).status, 400);
});

test(`the query length is capped at SEARCH_MAX_QUERY (${MAX_QUERY} bytes)`, async () => {
  const at = '长'.repeat(MAX_QUERY / 3);
  assert.equal((await page(at)).status, 200);
  const over = await page(`${at}长`);
  assert.equal(over.status, 400);
  assert.match(over.body, /搜索内容过长/);
  const a = await api(`${at}长`);
  assert.equal(a.status, 400);
  assert.equal(a.json.error.code, 'query_too_long');
});

test('hostile queries give results or a clear message, never a 500', async () => {
  const hostile = ['"', '""', '"unbalanced', "'<b>", 'a AND b', 'AND', 'OR', 'NOT 罚', '*', '罚*',
    'NEAR(罚 款)', '(((', ')', '{title}: 罚', 'title:罚', '^罚', '-罚', '+', '%', '_', '\\',
    '罚款 OR 警告', 'x'.repeat(MAX_QUERY), '🙂', '🙂罚', '\u200b', '﻿罚', '\u0001'];
  for (const q of hostile) {
    const r = await page(q);
    assert.ok(r.status === 200 || r.status === 400, `${JSON.stringify(q)}: ${r.status}`);
    if (r.status === 400)
      assert.match(r.body, /class="field-error"|<h1>请求有误/, JSON.stringify(q));
    const a = await api(q);
    assert.ok(a.status === 200 || a.status === 400, `API ${JSON.stringify(q)}: ${a.status}`);
    if (a.status === 400) assert.ok(a.json.error.message.length > 0);
  }
  const star = await api('*');
  assert.equal(star.status, 400);
  assert.equal(star.json.error.code, 'empty_query');
  const and = await api('罚 AND');	// AND is a word to look for, not an operator
  assert.equal(and.json.meta.total, 0);
  const bad = await get(`${s.base}/search?q=%E7%BD%9A%FF`);
  assert.equal(bad.status, 400, 'not UTF-8');
});

test('what a template prints from a match is escaped; marks are the only markup', async () => {
  const r = await api('alert');
  const hit = r.json.data.find((x) => x.id === 'test-hostile');
  assert.ok(hit, 'the hostile test case is found');
  assert.match(hit.title_html, /&lt;script&gt;<mark>alert<\/mark>/);
  assert.doesNotMatch(hit.title_html, /<script/);
  const p = await page('alert');
  assert.doesNotMatch(p.body, /<script>alert/);
  assert.match(p.body, /&lt;script&gt;<mark>alert<\/mark>/);
  const echo = await page('<script>x</script>');
  assert.doesNotMatch(echo.body, /<script>x/);
});

test('drafts and future items never appear; a scheduled item whose time came does', async () => {
  for (const q of ['草稿', '定时发布', '未来案例', '测试']) {
    const a = await api(q);
    const ids = a.json.status === 400 ? [] : a.json.data.map((r) => r.id);
    assert.ok(!ids.includes('test-draft') && !ids.includes('test-future'), `${q}: ${ids}`);
    assert.doesNotMatch((await page(q)).body, /test-draft|test-future/);
  }
  const past = await api('定时发布且时间已到');
  assert.ok(past.json.data.some((r) => r.id === 'test-scheduled-past'));
});

test('no results: says so and offers browsing', async () => {
  const r = await page('没有这种内容的词');
  assert.match(r.body, /共 0 条结果/);
  assert.match(r.body, /href="\/cases\/"/);
  assert.match(r.body, /href="\/credit\/"/);
  assert.match(r.body, /href="\/pufa\/"/);
  const empty = await page('');
  assert.equal(empty.status, 200, 'an empty query shows the form');
});

test('parameters: unknown ones, bad filters, a missing query', async () => {
  const cases = [['&foo=1', 'unknown_parameter'], ['&section=video', 'bad_filter'],
    ['&domain=nowhere', 'unknown_filter_value'], ['&year=20x4', 'bad_filter'],
    ['&page=x', 'bad_page']];
  for (const [extra, code] of cases) {
    const a = await api('罚', extra);
    assert.equal(a.status, 400, extra);
    assert.equal(a.json.error.code, code, extra);
    assert.equal(a.json.error.field, extra.slice(1, extra.indexOf('=')), `${extra}: the field at fault`);
  }
  assert.equal((await page('罚', '&section=video')).status, 400);
  const missing = await get(`${s.base}/api/v1/search`);
  assert.equal(missing.status, 400);
  assert.equal(JSON.parse(missing.body).error.code, 'missing_query');
});

test(`SEARCH_MAX_MATCHES (${MAX_MATCHES}): more matches are counted as "more", ranked among the newest`, async () => {
  const dir = tempDir();
  const corpus = join(dir, 'corpus');
  mkdirSync(corpus);
  const g = spawnSync(join(ROOT, 'scripts', 'gen-corpus'), ['--out', corpus, '--count', String(MAX_MATCHES * 2)],
    { encoding: 'utf8' });
  assert.equal(g.status, 0, g.stderr);
  const db = join(dir, 'big.db');
  assert.equal(build(corpus, db).status, 0);
  const big = await startStack({ snapshot: db, workers: 1, searchRate: 'off' });
  try {
    const a = await api('罚', '', big.base);
    assert.equal(a.json.meta.capped, true);
    assert.equal(a.json.meta.total, MAX_MATCHES);
    assert.equal(a.json.meta.pages, MAX_MATCHES / PER_PAGE);
    assert.equal((await api('罚', `&page=${MAX_MATCHES / PER_PAGE + 1}`, big.base)).status, 404);
    const p = await get(`${big.base}/search?q=${enc('罚')}`);
    assert.match(p.body, new RegExp(`结果超过 ${MAX_MATCHES} 条`));
  } finally {
    await big.stop();
  }
});

test(`nginx limits search per address: past SEARCH_BURST (${BURST}), 429`, async () => {
  const limitedStack = await startStack({ workers: 1 });
  try {
    await burst(limitedStack.base);
  } finally {
    await limitedStack.stop();
  }
});

async function burst(base) {
  const n = BURST + 30;
  const rs = await Promise.all(Array.from({ length: n }, () => get(`${base}/search?q=${enc('罚')}`)));
  const limited = rs.filter((r) => r.status === 429);
  assert.ok(limited.length >= 10, `${limited.length} of ${n} answered 429`);
  assert.ok(rs.every((r) => r.status === 200 || r.status === 429));
  assert.match(limited[0].body, /<html lang="zh-CN"/, 'the site\'s own 429 page');
  const as = await Promise.all(Array.from({ length: n }, () => get(`${base}/api/v1/search?q=${enc('罚')}`)));
  const al = as.filter((r) => r.status === 429);
  assert.ok(al.length >= 10);
  assert.equal(JSON.parse(al[0].body).error.code, 'rate_limited');
}
