// pages.test.mjs: real pages through nginx and fazhi: status, type, content, escaping.
// tests: 14
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, get } from './stack.mjs';

let s;
before(async () => { s = await startStack(); });
after(async () => { await s.stop(); });

const HTML = 'text/html; charset=utf-8';

function assertSiteLook(body) {
  assert.match(body, /<html lang="zh-CN">/);
  assert.match(body, /普陀区综合行政执法局/);
  assert.match(body, /<a href="\/">返回首页<\/a>|<a class="brand" href="\/">/);
}

test('home page lists the latest cases', async () => {
  const r = await get(`${s.base}/`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), HTML);
  assertSiteLook(r.body);
  assert.match(r.body, /最新典型案例/);
  assert.match(r.body, /href="\/cases\/2023-001"|href="\/cases\/20\d\d-\d{3}"/);
});

test('a case page shows its Chinese title and every section', async () => {
  const r = await get(`${s.base}/cases/2023-001`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), HTML);
  assert.match(r.body, /<h1>某运输公司渣土车抛洒滴漏案（示例）<\/h1>/);
  for (const h of ['要旨', '基本案情', '处理结果', '以案释法', '法律依据'])
    assert.match(r.body, new RegExp(`<h2>${h}</h2>`));
  assert.match(r.body, /<cite class="law"><a href="\/laws\/shirong-huanwei-tiaoli">《城市市容和环境卫生管理条例》<\/a><\/cite> <a href="\/laws\/shirong-huanwei-tiaoli#a34">第三十四条第一款第六项<\/a>/);
  assert.match(r.body, /<p class="law-item">\(六\)运输液体、散装货物不作密封、包扎、覆盖，造成泄漏、遗撒的；<\/p>/);
  assert.match(r.body, /<dd>市容环卫<\/dd>/);
});

test('the case list is newest first and paged', async () => {
  const r = await get(`${s.base}/cases/`);
  assert.equal(r.status, 200);
  const dates = [...r.body.matchAll(/<time datetime="(\d{4}-\d\d-\d\d)"/g)].map((m) => m[1]);
  assert.ok(dates.length > 0 && dates.length <= 10, `10 per page, got ${dates.length}`);
  assert.deepEqual(dates, [...dates].sort().reverse());
  const total = Number(r.body.match(/共 (\d+) 个案例/)[1]);
  if (total > 10) {
    assert.match(r.body, /href="\/cases\/\?page=2"/);
    const p2 = await get(`${s.base}/cases/?page=2`);
    assert.equal(p2.status, 200);
    const d2 = [...p2.body.matchAll(/<time datetime="(\d{4}-\d\d-\d\d)"/g)].map((m) => m[1]);
    assert.ok(d2[0] <= dates[dates.length - 1], 'page 2 continues after page 1');
  }
  const last = Math.ceil(total / 10);
  const lastPage = await get(`${s.base}/cases/?page=${last}`);
  const onLast = (lastPage.body.match(/<li class="case-item">/g) || []).length;
  assert.equal(onLast, total - (last - 1) * 10, 'the last page holds the rest');
  assert.equal((await get(`${s.base}/cases/?page=${last + 1}`)).status, 404);
  for (const bad of ['0', 'abc', '-1', '1e3', '99999'])
    assert.equal((await get(`${s.base}/cases/?page=${bad}`)).status, 400, `page=${bad}`);
});

test('a hostile string in content comes out escaped everywhere', async () => {
  const page = await get(`${s.base}/cases/test-hostile`);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.body, /<script>|<iframe|<b>要旨|<i>"x"/);
  assert.match(page.body, /&lt;script&gt;alert\(&quot;标题&quot;\)&lt;\/script&gt; &amp; &#39;quote&#39;/);
  assert.match(page.body, /&lt;i&gt;&quot;x&quot;&lt;\/i&gt;/);
  assert.match(page.body, /&lt;iframe src=&quot;\/\/evil.example&quot;&gt;/);
  assert.match(page.body, /<a href="\/cases\/\?q=&lt;x&gt;&amp;y=&quot;1&quot;">链接<\/a>/);
  // On the list, wherever the hostile case falls (the oldest: the last page).
  let list;
  for (let p = 1; ; p++) {
    const r = await get(`${s.base}/cases/?page=${p}`);
    assert.equal(r.status, 200, `page ${p}: the list ended before the hostile case`);
    if (r.body.includes('href="/cases/test-hostile"')) { list = r; break; }
  }
  assert.doesNotMatch(list.body, /<script>/);
  assert.match(list.body, /&lt;script&gt;alert\(&quot;标题&quot;\)&lt;\/script&gt; &amp; &#39;quote&#39;/);
});

test('drafts and future items are not public; past scheduled ones are', async () => {
  assert.equal((await get(`${s.base}/cases/test-draft`)).status, 404);
  assert.equal((await get(`${s.base}/cases/test-future`)).status, 404);
  assert.equal((await get(`${s.base}/cases/test-scheduled-past`)).status, 200);
  let all = '';
  for (let p = 1; ; p++) {
    const r = await get(`${s.base}/cases/?page=${p}`);
    if (r.status !== 200) break;
    all += r.body;
  }
  assert.match(all, /test-scheduled-past/);
  assert.doesNotMatch(all, /test-draft|test-future/);
});

test('unknown paths and ids get a 404 page in the site look', async () => {
  for (const path of ['/nope', '/cases/no-such-case', '/cases/Bad_Id', '/cases/2023-001/', '/_error/400']) {
    const r = await get(`${s.base}${path}`);
    assert.equal(r.status, 404, path);
    assert.equal(r.headers.get('content-type'), HTML, path);
    assertSiteLook(r.body);
  }
});

test('methods other than GET and HEAD get 405 with Allow', async () => {
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const r = await get(`${s.base}/`, { method });
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
    assertSiteLook(r.body);
  }
});

test('HEAD answers with headers only', async () => {
  const headers = { 'accept-encoding': 'identity' };	// gzip drops the length
  const g = await get(`${s.base}/cases/2023-001`, { headers });
  const h = await get(`${s.base}/cases/2023-001`, { method: 'HEAD', headers });
  assert.equal(h.status, 200);
  assert.equal(h.body, '');
  assert.equal(h.headers.get('content-length'), String(Buffer.byteLength(g.body)));
});

test('malformed requests get 400 pages in the site look', async () => {
  for (const path of ['/%ff', '/%c0%af', '/cases/%00', '/%zz', '/%', '/?q=%e4%b8']) {
    const r = await get(`${s.base}${path}`);
    assert.equal(r.status, 400, path);
    assert.equal(r.headers.get('content-type'), HTML, path);
    assertSiteLook(r.body);
  }
});

test('over-long addresses get 414 in the site look', async () => {
  for (const n of [5000, 9000]) {
    const r = await get(`${s.base}/${'a'.repeat(n)}`);
    assert.equal(r.status, 414, `length ${n}`);
    assertSiteLook(r.body);
  }
});

test('a redirect from /cases to /cases/', async () => {
  const r = await get(`${s.base}/cases`);
  assert.equal(r.status, 301);
  assert.equal(r.headers.get('location'), '/cases/');
});

test('healthz reports status, snapshot, item count and uptime as JSON', async () => {
  const r = await get(`${s.base}/healthz`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  const h = JSON.parse(r.body);
  assert.equal(h.status, 'ok');
  assert.match(h.snapshot, /^[0-9a-f]{16}$/);
  assert.ok(Number.isInteger(h.items) && h.items >= 3, `items ${h.items}`);
  assert.ok(Number.isInteger(h.uptime) && h.uptime >= 0);
});

test('static files are served by nginx', async () => {
  const r = await get(`${s.base}/static/site.css`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/css/);
});

// The navigation and the feed links are rendered once per worker for each section,
// page and domain (fixed() in lua/engine.lua): page after page, each still marks its
// own section and page and names its own domain's feed.
test('each page marks its own place in the navigation and names its own feeds', async () => {
  const marks = (b) => [...b.match(/<nav class="main-nav"[\s\S]*?<\/nav>/)[0]
    .matchAll(/<a href="([^"]+)"(?: aria-current="([^"]+)")?>/g)].filter((m) => m[2]).map((m) => `${m[1]}=${m[2]}`);
  const feeds = (b) => [...b.matchAll(/<link rel="alternate" type="application\/atom\+xml" title="[^"]+" href="([^"]+)">/g)].map((m) => m[1]);
  const want = [
    ['/', ['/=page'], ['/feeds/all.atom']],
    ['/cases/', ['/cases/=page'], ['/feeds/cases.atom', '/feeds/all.atom']],
    ['/cases/2023-001', ['/cases/=true'], ['/feeds/cases/shirong.atom', '/feeds/cases.atom', '/feeds/all.atom']],
    ['/cases/2025-013', ['/cases/=true'], ['/feeds/cases/shichang.atom', '/feeds/cases.atom', '/feeds/all.atom']],
    ['/cases/?domain=shirong', ['/cases/=page'], ['/feeds/cases/shirong.atom', '/feeds/cases.atom', '/feeds/all.atom']],
    ['/cases/?domain=nope', ['/cases/=page'], ['/feeds/cases.atom', '/feeds/all.atom']],
    ['/about', [], ['/feeds/all.atom']],
    ['/pufa/qa-laji-fenlei', ['/pufa/=true'], ['/feeds/pufa.atom', '/feeds/all.atom']],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [p, nav, feed] of want) {
      const r = await get(`${s.base}${p}`);
      assert.equal(r.status, 200, p);
      assert.deepEqual(marks(r.body), nav, `${p}: navigation`);
      assert.deepEqual(feeds(r.body), feed, `${p}: feeds`);
      assert.match(r.body, /<footer class="foot">[\s\S]*主办单位：[\s\S]*<\/footer>/, `${p}: footer`);
    }
  }
});
