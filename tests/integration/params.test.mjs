// params.test.mjs: every public address refuses a query parameter it does not know, and one
// given twice (req.c, req_routes), so that no address reaches fazhi as a new micro-cache key
// for an answer it already has; every parameter it knows still works.
// tests: 7
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, get } from './stack.mjs';

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const CHECK = 'date=2026-03-31&procedure=general&kind=fine&fine=5000&domain=shirong';

// Every kind of public answer that reads the query, with the query it may carry.
const PAGES = ['/', '/cases/', '/cases/2023-001', '/pufa/', '/credit/', '/credit/penalty-repair',
  '/laws/', '/laws/xiaofang-fa', '/about', '/search?q=%E5%99%AA%E5%A3%B0', '/mode?set=elder',
  '/credit/check', `/credit/check?${CHECK}`, '/credit/lookup?q=9133090381B621CLXP',
  `/credit/check.ics?${CHECK}`];
const MACHINE = ['/feeds/all.atom', '/feeds/cases.atom', '/feeds/cases/shirong.atom',
  '/sitemap.xml', '/robots.txt', '/export/cases.json'];

let s;
before(async () => { s = await startStack(); });
after(async () => { await s.stop(); });

// The address with one more parameter.
const plus = (u, p) => u + (u.includes('?') ? '&' : '?') + p;

test('an unknown parameter on a page, a feed, the sitemap or robots.txt is 400', async () => {
  for (const u of [...PAGES, ...MACHINE]) {
    const r = await get(`${s.base}${plus(u, 'x=1')}`, { redirect: 'manual' });
    assert.equal(r.status, 400, `${u} with x=1`);
    assert.equal(r.headers.get('content-type'), HTML, `${u}: the error page`);
    assert.match(r.body, /网址中有本页不认识的参数/, `${u}: says why`);
    assert.equal(r.headers.get('etag'), null, `${u}: no validators on a 400`);
  }
});

test('campaign tags (utm_*) and an empty name are refused like any other', async () => {
  for (const p of ['utm_source=weixin', 'utm_medium=x&utm_campaign=y', 'fbclid=1', '=1']) {
    assert.equal((await get(`${s.base}/cases/?${p}`)).status, 400, p);
    assert.equal((await get(`${s.base}/?${p}`)).status, 400, p);
  }
});

test('a parameter given twice is 400, even with the same value', async () => {
  for (const u of ['/cases/?page=1&page=1', '/cases/?domain=shirong&domain=shirong',
    '/pufa/?kind=article&kind=qa', '/search?q=a&q=b', '/feeds/all.atom?page=1&page=1',
    '/mode?set=elder&set=normal', `/credit/check?${CHECK}&fine=1`,
    '/credit/lookup?q=1&q=1']) {
    const r = await get(`${s.base}${u}`, { redirect: 'manual' });
    assert.equal(r.status, 400, u);
    assert.match(r.body, /网址中有重复的参数/, u);
  }
  // The API says which, in JSON, as it always did for the calculator.
  const r = await get(`${s.base}/api/v1/cases?page=1&page=2`);
  assert.equal(r.status, 400);
  assert.equal(r.headers.get('content-type'), JSON_TYPE);
  assert.deepEqual(JSON.parse(r.body).error,
    { code: 'repeated_parameter', message: '这个参数只能出现一次。', field: 'page' });
});

test('the calculator\'s kind may repeat: it is a list', async () => {
  for (const u of [`/credit/check?${CHECK}&kind=warning`,
    `/api/v1/credit/check?${CHECK}&kind=warning`]) {
    assert.equal((await get(`${s.base}${u}`)).status, 200, u);
  }
});

test('every parameter a page knows still works', async () => {
  const ok = [
    '/cases/?domain=shirong&town=taohua&year=2023&procedure=general&page=1',
    '/cases/?domain=&town=&year=&procedure=',
    '/pufa/?kind=article&page=1', '/pufa/?topic=shirong-huanjing',
    '/search?q=%E5%99%AA%E5%A3%B0&section=cases&domain=shirong&year=2023&town=taohua&page=1',
    `/credit/check?${CHECK}&tier=general&published=2026-04-02&fulfilled=2026-04-01&party=organisation`,
    '/feeds/all.atom?page=1', '/feeds/cases/shirong.atom?page=1',
    '/api/v1/cases?domain=shirong&town=taohua&year=2023&procedure=general&page=1&per_page=5',
    '/api/v1/pufa?kind=article&topic=shirong-huanjing&page=1&per_page=5',
    '/api/v1/credit?page=1&per_page=5',
  ];
  for (const u of ok) {
    const r = await get(`${s.base}${u}`);
    assert.equal(r.status, 200, u);
  }
  const mode = await get(`${s.base}/mode?set=elder&next=%2Fcases%2F`, { redirect: 'manual' });
  assert.equal(mode.status, 303);
  assert.equal(mode.headers.get('location'), '/cases/');
  const lookup = await get(`${s.base}/credit/lookup?q=9133090381B621CLXP`);
  assert.notEqual(lookup.status, 400);
});

test('answers that read nothing keep their status whatever the query', async () => {
  // A redirect to the list and a page that does not exist are the same for
  // any query; the API's unknown address is its JSON 404.
  const r = await get(`${s.base}/cases?x=1`, { redirect: 'manual' });
  assert.equal(r.status, 301);
  assert.equal((await get(`${s.base}/no-such-page?x=1`)).status, 404);
  assert.equal((await get(`${s.base}/api/v1/nope?x=1`)).status, 404);
  // And the API names the unknown parameter, as it always did.
  const a = await get(`${s.base}/api/v1/cases?x=1`);
  assert.equal(a.status, 400);
  assert.equal(JSON.parse(a.body).error.field, 'x');
});

// The HTML of a page's attribute value, as the browser reads it.
const unescape = (v) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
  .replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// The addresses a page's forms send when submitted as they stand: every named field with its
// value (a select's first option, each radio group's first choice, every checkbox) and the
// first named button.
function formAddresses(html) {
  const out = [];
  for (const [, attrs, body] of html.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)) {
    if (!/method="get"/.test(attrs)) continue;
    const action = unescape(attrs.match(/action="([^"#]*)/)[1]);
    const q = new URLSearchParams();
    const radios = new Set();
    let button = false;
    for (const [tag, name] of body.matchAll(/<(?:input|select|button)[^>]*name="([^"]*)"[^>]*>/g)) {
      const value = unescape((tag.match(/value="([^"]*)"/) || [, ''])[1]);
      if (tag.startsWith('<button')) {
        if (!button) q.append(name, value);
        button = true;
      } else if (tag.startsWith('<select')) {
        q.append(name, '');
      } else if (/type="radio"/.test(tag)) {
        if (!radios.has(name)) q.append(name, value);
        radios.add(name);
      } else {
        q.append(name, value);
      }
    }
    out.push(`${action}?${q}`);
  }
  return out;
}

test('no link or form of the site leads to a refused address', async () => {
  const pages = ['/', '/cases/', '/cases/?domain=shirong&year=2023', '/cases/2023-001', '/pufa/',
    '/pufa/?kind=article', '/credit/', '/credit/penalty-repair', '/laws/', '/laws/xiaofang-fa',
    '/about', '/search?q=%E5%99%AA%E5%A3%B0', '/search?q=%E5%99%AA%E5%A3%B0&section=cases',
    '/credit/check', `/credit/check?${CHECK}`, '/credit/lookup', '/credit/lookup?q=9133090381B621CLXP'];
  const seen = new Set();
  let links = 0, forms = 0;
  for (const page of pages) {
    const html = (await get(`${s.base}${page}`)).body;
    const hrefs = [...html.matchAll(/href="(\/[^"#]*\?[^"#]*)/g)].map((m) => unescape(m[1]));
    const sent = formAddresses(html);
    links += hrefs.length;
    forms += sent.length;
    for (const u of [...hrefs, ...sent]) {
      if (seen.has(u)) continue;
      seen.add(u);
      const r = await get(`${s.base}${u}`);
      assert.doesNotMatch(r.body, /网址中有本页不认识的参数|网址中有重复的参数/, `${page} -> ${u}`);
      // A form sent empty may be wrong in its values (400 beside the field); a link never.
      if (hrefs.includes(u)) assert.notEqual(r.status, 400, `${page} -> ${u}`);
    }
  }
  assert.ok(links > 20, `links with a query found (${links})`);
  assert.ok(forms > 10, `forms found (${forms})`);
});
