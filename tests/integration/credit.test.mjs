// credit.test.mjs: the credit tools through real nginx and fazhi: the calculator
// (/credit/check and /api/v1/credit/check), the penalty-record look-up
// (/credit/lookup and /api/v1/credit/lookup) with the shipped sample records, bad
// and contradictory input, and nginx's rate limit (429). The server's "today" is
// fixed by a clock file: 2026-11-28, noon in China.
// tests: 32
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, get, tempDir, ROOT, FAZHI, build, testContent } from './stack.mjs';

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0) / 1000;	// 2026-11-28 12:00 China time
const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
// The limits of nginx/fazhi.conf.in (LOOKUP_BURST, API_BURST) and fcgi/tool.h
// (TOOL_MAX_LOOKUP).
const CONF = readFileSync(join(ROOT, 'nginx', 'fazhi.conf.in'), 'utf8');
const BURST = Number(CONF.match(/location = \/credit\/lookup \{\s*limit_req zone=credit_lookup burst=(\d+)/)[1]);
const API_BURST = Number(CONF.match(/location = \/api\/v1\/credit\/check \{\s*limit_req zone=credit_api burst=(\d+)/)[1]);
const MAX_LOOKUP = Number(readFileSync(join(ROOT, 'fcgi', 'tool.h'), 'utf8')
  .match(/#define TOOL_MAX_LOOKUP\s+(\d+)/)[1]);

let s;
before(async () => {
  const clock = join(tempDir(), 'now');
  writeFileSync(clock, String(NOW));
  process.env.CLOCK_FILE = clock;
  try { s = await startStack({ workers: 2 }); } finally { delete process.env.CLOCK_FILE; }
});
after(async () => { await s?.stop(); });

// A query string from pairs (kind may repeat).
const qs = (pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
const good = [['date', '2026-03-31'], ['procedure', 'general'], ['kind', 'fine'],
  ['fine', '5000'], ['domain', 'shirong'], ['fulfilled', '2026-04-10']];
const without = (key) => good.filter(([k]) => k !== key);
const withValue = (key, v) => [...without(key), [key, v]];

async function page(pairs) { return get(`${s.base}/credit/check?${qs(pairs)}`); }
async function api(pairs) {
  const r = await get(`${s.base}/api/v1/credit/check?${qs(pairs)}`);
  return { ...r, json: JSON.parse(r.body) };
}

test('the calculator without parameters is an empty GET form that needs no script', async () => {
  const r = await get(`${s.base}/credit/check`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), HTML);
  assert.match(r.body, /<form class="credit-form" action="\/credit\/check#answer" method="get">/);
  for (const name of ['date', 'party', 'procedure', 'kind', 'fine', 'domain', 'tier', 'published', 'fulfilled'])
    assert.match(r.body, new RegExp(`name="${name}"`), name);
  assert.doesNotMatch(r.body, /<script/);
  assert.doesNotMatch(r.body, /计算结果/);
  assert.match(r.body, /以作出处罚决定的机关和“信用中国”网站/, 'who decides');
  assert.match(r.body, /到期月份没有这一天的，以该月最后一天为届满日/, 'the month-end rule is stated');
});

test('a decision on 2026-03-31 falls under Order 58, with month-end dates', async () => {
  const r = await page(good);
  assert.equal(r.status, 200);
  assert.match(r.body, /《失信行为纠正后的信用信息修复管理办法（试行）》/);
  assert.match(r.body, /最早可以在2026年7月1日申请信用修复/);
  assert.match(r.body, /<dt>最短公示期届满<\/dt>\s*<dd><time datetime="2026-06-30">/);
  assert.match(r.body, /<dt>最长公示至<\/dt>\s*<dd><time datetime="2029-03-31">/);
  assert.match(r.body, /总窗口/, 'where to apply: applying today, under Order 36 (its transition rule)');
  assert.match(r.body, /10个工作日内/, 'processing time');
  assert.match(r.body, /已经可以申请信用修复/, 'status as of the fixed today');
  assert.match(r.body, /value="2026-03-31"/, 'the form keeps what was sent');
});

test('a decision on 2026-04-01 falls under Order 36; unverified facts are marked', async () => {
  const r = await page([...withValue('date', '2026-04-01'), ['tier', 'general']]);
  assert.equal(r.status, 200);
  assert.match(r.body, /《信用修复管理办法》（国家发展和改革委员会令第36号）/);
  assert.match(r.body, /（未经核实）/);
  assert.match(r.body, /（部分核实）/);
  assert.match(r.body, /<dt>起算日<\/dt>\s*<dd><time datetime="2026-04-01">/, 'counted from the decision');
  assert.doesNotMatch(r.body, /本页按处罚决定日期估算/, 'no estimate: publication is not the start');
});

test('market regulation: SAMR Order 45; suspension is never repaired early', async () => {
  const r = await page([...withValue('domain', 'shichang'), ['kind', 'suspension']]);
  assert.equal(r.status, 200);
  assert.match(r.body, /《市场监督管理行政处罚信息公示规定》/);
  assert.match(r.body, /不能提前修复：受到责令停产停业处罚的/);
  const simple = await page([['date', '2025-05-05'], ['procedure', 'simple'], ['kind', 'warning'],
    ['domain', 'shichang']]);
  assert.match(simple.body, /无需修复：按这一规定，这项处罚信息不公示/);
});

test('the API gives the same answer as the page, as JSON', async () => {
  const r = await api(good);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), JSON_TYPE);
  const d = r.json.data;
  assert.equal(d.regime_id, 'ndrc-order-58');
  assert.equal(d.min_end, '2026-06-30');
  assert.equal(d.max_end, '2029-03-31');
  assert.equal(d.earliest, '2026-07-01');
  assert.equal(d.repair, 'from');
  assert.equal(d.status, 'can_apply');
  assert.equal(d.published, true);
  assert.equal(d.regime.title, '失信行为纠正后的信用信息修复管理办法（试行）');
  assert.ok(d.regime.conditions.length >= 3 && d.regime.documents.length >= 1);
  assert.equal(r.json.meta.today, '2026-11-28');
  const p = await page(good);
  for (const day of [d.min_end, d.max_end]) assert.match(p.body, new RegExp(`datetime="${day}"`));
});

// [what, pairs, field, code]
const BAD = [
  ['missing date', without('date'), 'date', 'missing'],
  ['garbage date', withValue('date', '<script>x</script>'), 'date', 'invalid'],
  ['30 February', withValue('date', '2025-02-30'), 'date', 'invalid'],
  ['decision after today', withValue('date', '2026-11-29'), 'date', 'future'],
  ['before any regime', withValue('date', '2019-06-30'), 'date', 'not_covered'],
  ['fulfilled before the decision', withValue('fulfilled', '2026-03-01'), 'fulfilled', 'order'],
  ['negative fine', withValue('fine', '-5000'), 'fine', 'negative'],
  ['fine that is not a number', withValue('fine', '5千'), 'fine', 'invalid'],
  ['fine without 罚款', [...without('kind').filter(([k]) => k !== 'kind'), ['kind', 'warning']], 'fine', 'contradiction'],
  ['unknown kind', [...good, ['kind', 'flogging']], 'kind', 'unknown'],
  ['no kind', without('kind').filter(([k]) => k !== 'fine'), 'kind', 'missing'],
  ['summary procedure with a revocation', [...withValue('procedure', 'simple'), ['kind', 'licence-revoked']],
    'procedure', 'contradiction'],
  ['unknown domain', withValue('domain', 'nosuch'), 'domain', 'unknown'],
  ['garbage domain', withValue('domain', '../../etc'), 'domain', 'unknown'],
  ['unknown tier', [...good, ['tier', 'huge']], 'tier', 'invalid'],
];

for (const [what, pairs, field, code] of BAD) {
  test(`bad input, ${what}: 400, the message beside ${field}, and the same in JSON`, async () => {
    const r = await page(pairs);
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('content-type'), HTML);
    assert.match(r.body, new RegExp(`<p class="field-error" id="e-${field}">错误：`));
    assert.match(r.body, new RegExp(`<li><a href="#f-${field}">`), 'in the summary too, linked to the field');
    assert.doesNotMatch(r.body, /<script>x/);
    const j = await api(pairs);
    assert.equal(j.status, 400);
    assert.equal(j.headers.get('content-type'), JSON_TYPE);
    assert.equal(j.json.error.field, field);
    assert.equal(j.json.error.code, code);
    assert.ok(j.json.error.message.length > 0);
  });
}

test('more kind= values than kinds, and a method other than GET, are refused cleanly', async () => {
  const many = [...good, ...Array(13).fill(['kind', 'fine'])];
  assert.equal((await api(many)).json.error.code, 'too_many');
  const post = await fetch(`${s.base}/api/v1/credit/check`, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('content-type'), JSON_TYPE);
  assert.equal((await post.json()).error.code, 'method_not_allowed');
});

// Look-ups, fewer than the rate limit's burst before the test that hits it.
const NUMBER = '舟普综执罚决字〔2026〕第13号';
const lookup = (q) => get(`${s.base}/credit/lookup?q=${encodeURIComponent(q)}`);

test('look-up by exact decision number shows the record and its status today', async () => {
  const r = await lookup(NUMBER);
  assert.equal(r.status, 200);
  assert.match(r.body, /查询结果：1 条记录/);
  assert.match(r.body, /<h3 id="rec-1">舟普综执罚决字〔2026〕第13号<\/h3>/);
  assert.match(r.body, /已经可以申请信用修复/);
  const j = JSON.parse((await get(`${s.base}/api/v1/credit/lookup?q=${encodeURIComponent(NUMBER)}`)).body);
  assert.equal(j.data.length, 1);
  assert.equal(j.data[0].number, NUMBER);
  assert.equal(j.data[0].answer.status, 'can_apply');
  assert.equal(j.data[0].answer.max_end, '2029-01-08');
  assert.equal(j.meta.by, 'decision_number');
});

test('a decision number matches with any brackets, with or without 第, in Traditional too', async () => {
  for (const q of ['舟普综执罚决字(2026)13号', '舟普综执罚决字【２０２６】第13号', '舟普綜執罰決字［2026］第13號']) {
    const r = await lookup(q);
    assert.equal(r.status, 200, q);
    assert.match(r.body, /<h3 id="rec-1">舟普综执罚决字〔2026〕第13号<\/h3>/, `${q}: the record as published`);
  }
});

test('look-up by exact credit code shows every record of that code, any case', async () => {
  const r = await lookup('9133090381b621clxp');
  assert.equal(r.status, 200);
  assert.match(r.body, /查询结果：2 条记录/);
  const j = await get(`${s.base}/api/v1/credit/lookup?q=9133090381B621CLXP`);
  assert.equal(j.headers.get('content-type'), JSON_TYPE);
  assert.equal(JSON.parse(j.body).data.length, 2);
});

test('partial input finds nothing: guidance, no listing', async () => {
  const r = await lookup('舟普综执罚决字〔2026〕');
  assert.equal(r.status, 404);
  assert.match(r.body, /只显示与输入<strong>完全一致<\/strong>的记录/);
  assert.doesNotMatch(r.body, /class="record"/);
  const j = await get(`${s.base}/api/v1/credit/lookup?q=${encodeURIComponent('第13号')}`);
  assert.equal(j.status, 404);
  assert.equal(JSON.parse(j.body).error.code, 'not_found');
});

test('a malformed credit code is refused; a wrong check character only warns', async () => {
  const short = await lookup('9133090381B621CLX');
  assert.equal(short.status, 400);
  assert.match(short.body, /统一社会信用代码应为 18 位/);
  const forbidden = await lookup('9133090381B621CLXO');
  assert.equal(forbidden.status, 400);
  assert.match(forbidden.body, /不含 I、O、Z、S、V/);
  const check = await lookup('9133090381B621CLXA');
  assert.equal(check.status, 404, 'still looked up');
  assert.match(check.body, /校验位与按国家标准计算的结果（P）不符/);
});

test('look-up input: empty is the form, too long is 400, hostile text is escaped', async () => {
  const empty = await get(`${s.base}/credit/lookup`);
  assert.equal(empty.status, 200);
  assert.match(empty.body, /<form class="lookup-form" action="\/credit\/lookup#answer" method="get"/);
  assert.equal(JSON.parse((await get(`${s.base}/api/v1/credit/lookup`)).body).error.code, 'missing');
  assert.equal((await lookup('号'.repeat(MAX_LOOKUP / 3 + 1))).status, 400, 'TOOL_MAX_LOOKUP + 1 bytes');
  assert.equal((await lookup('号'.repeat(MAX_LOOKUP / 3))).status, 404, 'TOOL_MAX_LOOKUP bytes');
  const hostile = await lookup('<b>"x"号</b>');
  assert.doesNotMatch(hostile.body, /<b>"x"/);
  assert.match(hostile.body, /&lt;b&gt;&quot;x&quot;号&lt;\/b&gt;/);
});

test('the credit section and the home page link the tools; /credit/check is no guide', async () => {
  for (const path of ['/credit/', '/']) {
    const r = await get(`${s.base}${path}`);
    assert.match(r.body, /href="\/credit\/check"/, path);
    assert.match(r.body, /href="\/credit\/lookup"/, path);
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Sends n requests for url at once; returns those answered 429, and how many were.
async function flood(url, n) {
  const rs = await Promise.all(Array.from({ length: n }, () => get(url)));
  return rs.filter((r) => r.status === 429);
}

test(`nginx limits look-ups per address: past LOOKUP_BURST (${BURST}) answers 429`, async () => {
  await sleep((BURST / 5 + 1) * 1000);	// let the bucket drain (LOOKUP_RATE 5/s)
  const n = BURST + 15;
  const limited = await flood(`${s.base}/api/v1/credit/lookup?q=${encodeURIComponent(NUMBER)}`, n);
  assert.ok(limited.length >= 10, `${limited.length} of ${n} answered 429`);
  assert.ok(n - limited.length <= BURST + 3, `${n - limited.length} got through`);
  assert.equal(limited[0].headers.get('content-type'), JSON_TYPE);
  assert.equal(JSON.parse(limited[0].body).error.code, 'rate_limited');
  const pages = await flood(`${s.base}/credit/lookup?q=${encodeURIComponent(NUMBER)}`, 10);
  assert.ok(pages.length > 0, 'the page shares the limit');
  assert.equal(pages[0].headers.get('content-type'), HTML);
  assert.match(pages[0].body, /请求过于频繁/);
  const calc = await Promise.all(Array.from({ length: 10 }, () => page(good)));
  assert.ok(calc.every((r) => r.status === 200), 'the calculator page itself is not limited');
});

test(`nginx limits the calculator API per address: past API_BURST (${API_BURST}) answers 429`, async () => {
  await sleep((API_BURST / 20 + 1) * 1000);	// API_RATE 20/s
  const n = API_BURST + 30;
  const limited = await flood(`${s.base}/api/v1/credit/check?${qs(good)}`, n);
  assert.ok(limited.length >= 15, `${limited.length} of ${n} answered 429`);
  assert.ok(n - limited.length <= API_BURST + 10, `${n - limited.length} got through`);
  assert.equal(JSON.parse(limited[0].body).error.code, 'rate_limited');
});

// ---- Limits of the rules' loader and of the look-up, on content of their own.

test('fazhi check refuses more than CREDIT_MAX_REGIMES regimes, CREDIT_MAX_RULES rules, CREDIT_MAX_DOMAINS', () => {
  const check = (content) => spawnSync(FAZHI, ['check', '--content', content], { encoding: 'utf8' });
  const many = testContent(tempDir());
  const samr = readFileSync(join(many, 'credit', 'samr-order-45.xml'), 'utf8');
  const later = (i) => samr.replace('from="2021-09-01"', `from="20${40 + 2 * i}-01-01" until="20${41 + 2 * i}-12-31"`)
    .replace('domains="shichang"', 'domains="jianshe"');
  for (let i = 0; i < 4; i++)	// 4 shipped + 4 = 8: the most allowed
    writeFileSync(join(many, 'credit', `extra-${i}.xml`), later(i));
  assert.equal(check(many).status, 0, 'CREDIT_MAX_REGIMES regimes pass');
  writeFileSync(join(many, 'credit', 'extra-9.xml'), later(9));
  const r = check(many);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\/credit:1:1: more than 8 files/);

  const one = testContent(tempDir());
  writeFileSync(join(one, 'credit', 'samr-order-45.xml'), samr
    .replace('<period max-months="36">', '<period tier="serious" max-months="36">x</period>\n'.repeat(8) +
      '<period max-months="36">')
    .replace('domains="shichang"', `domains="${'shichang '.repeat(29)}shichang"`));
  const r2 = check(one);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /samr-order-45\.xml:\d+:1: too many <period>: at most 8/);
  assert.match(r2.stderr, /samr-order-45\.xml:\d+:1: too many domains: at most 255 characters/);
});

test(`a credit code's look-up shows at most TOOL_LOOKUP_RECORDS records, newest first`, async () => {
  const dir = tempDir();
  const content = testContent(dir);
  const record = (i) => `  <record>
    <decision-number>测试罚决字〔2025〕第${i}号</decision-number>
    <party>测试有限公司（虚构）</party>
    <credit-code>91310110666007217T</credit-code>
    <decision-date>2025-01-${String(i).padStart(2, '0')}</decision-date>
    <kinds><kind>罚款</kind></kinds>
    <fine>100.00</fine>
    <severity>general</severity>
    <domain>shirong</domain>
  </record>\n`;
  writeFileSync(join(content, 'penalties', 'records.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<penalties>\n${Array.from({ length: 25 }, (_, i) => record(i + 1)).join('')}</penalties>\n`);
  const snapshot = join(dir, 'site.db');
  const b = build(content, snapshot);
  assert.equal(b.status, 0, b.stderr);
  const t = await startStack({ snapshot, workers: 1 });
  try {
    const r = await get(`${t.base}/api/v1/credit/lookup?q=91310110666007217T`);
    const data = JSON.parse(r.body).data;
    assert.equal(data.length, 20);
    assert.equal(data[0].decided, '2025-01-25');
  } finally { await t.stop(); }
});
