// phone.test.mjs: phone numbers can be called from a phone. Every page the sitemap
// lists, plus /about, an error page and a look-up that finds nothing, has each phone number (a landline such as 0580-0000000, a
// 123xx government hotline such as 12345, or a mobile number) inside a tel: link; and
// the 问题咨询与投诉 block of site.xml is on the home page, the about page and every
// case page, with a tel: link for each channel that has a number.
// tests: 5
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, get, testContent, FAZHI } from './stack.mjs';

let s;
before(async () => { s = await startStack(); });
after(async () => { await s?.stop(); });

// A number as the content writes one, not inside a longer run of digits or a web
// address (www.12339.gov.cn is an address, not a number to call).
const NUMBER = /(?<![0-9A-Za-z./-])(0\d{2,3}-\d{7,8}|123\d\d|1[3-9]\d{9})(?![0-9.])/g;

// The text of a page a reader sees, without tel: links and their text. Keywords
// (关键词) are left out as well: they are search terms, printed as tags.
function textOutsideTel(html) {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<a [^>]*href="tel:[^"]*"[^>]*>[\s\S]*?<\/a>/g, ' ')
    .replace(/<p class="meta keywords">[\s\S]*?<\/p>/g, ' ')
    .replace(/<dt>关键词<\/dt><dd>[\s\S]*?<\/dd>/g, ' ')
    .replace(/<[^>]+>/g, ' ');
}

async function sitemapPaths() {
  // The test content's addresses fit in the sitemap index's first file.
  const r = await get(`${s.base}/sitemap-1.xml`);
  assert.equal(r.status, 200);
  const paths = [...r.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  assert.ok(paths.length > 50, `the sitemap lists ${paths.length} pages`);
  return paths;
}

test('every phone number on every public page is a tel: link', async () => {
  const paths = [...(await sitemapPaths()).map((p) => [p, 200]), ['/about', 200], ['/no-such-page', 404],
    ['/credit/lookup?q=%E7%AC%AC13%E5%8F%B7', 404]];
  const bare = [];
  let links = 0;
  for (const [path, status] of paths) {
    const r = await get(`${s.base}${path}`);
    assert.equal(r.status, status, path);
    links += (r.body.match(/href="tel:/g) || []).length;
    for (const m of textOutsideTel(r.body).matchAll(NUMBER)) bare.push(`${path}: ${m[1]}`);
    for (const m of r.body.matchAll(/href="tel:([^"]*)"/g))
      assert.match(m[1], /^\+?[0-9]+(-[0-9]+)*$/, `${path}: a tel: address of digits and hyphens`);
  }
  assert.deepEqual(bare, [], 'phone numbers outside tel: links');
  assert.ok(links > paths.length, `${links} tel: links on ${paths.length} pages: at least the footer's on each`);
});

test('the check finds a number that is not a link', () => {
  // So that a pattern that matches nothing cannot pass every page.
  const html = '<p>请拨打12345或<a href="tel:12315">12315</a>，电话 0580-0000000（示例），' +
    '网址 www.12339.gov.cn，罚款10000元。</p>';
  assert.deepEqual([...textOutsideTel(html).matchAll(NUMBER)].map((m) => m[1]), ['12345', '0580-0000000']);
});

test('the footer and the about page make the bureau\'s number a tel: link', async () => {
  const about = await get(`${s.base}/about`);
  assert.match(about.body, /<dt>电话<\/dt><dd><a class="tel" href="tel:0580-0000000">0580-0000000<\/a>（示例）<\/dd>/);
  const home = await get(`${s.base}/`);
  assert.match(home.body, /<footer[\s\S]*电话：<a class="tel" href="tel:0580-0000000">0580-0000000<\/a>（示例）/);
});

test('the 问题咨询与投诉 block is on the home page, the about page and every case page', async () => {
  const cases = (await sitemapPaths()).filter((p) => /^\/cases\/[^/]+$/.test(p));
  assert.ok(cases.length >= 10, `${cases.length} case pages`);
  for (const path of ['/', '/about', ...cases]) {
    const r = await get(`${s.base}${path}`);
    const block = r.body.match(/<section class="help" aria-labelledby="help-title">[\s\S]*?<\/section>/);
    assert.ok(block, `${path}: no 问题咨询与投诉 block`);
    assert.match(block[0], /<h2 id="help-title">问题咨询与投诉<\/h2>/, path);
    assert.match(block[0], /政务服务便民热线/, path);
    assert.match(block[0], /href="tel:12345"/, `${path}: 12345 to call`);
    assert.match(block[0], /href="tel:0580-0000000"[^>]*>[\s\S]*?0580-0000000<\/a>（示例）/, `${path}: the bureau to call`);
    assert.match(block[0], /工作日 8:30—12:00，13:30—17:00/, `${path}: the window's hours`);
  }
  const list = await get(`${s.base}/cases/`);
  assert.doesNotMatch(list.body, /class="help"/, 'not on every page: the case list has none');
});

test('fazhi check refuses a help channel whose phone is not a number', () => {
  const content = testContent();
  const site = join(content, 'site.xml');
  writeFileSync(site, readFileSync(site, 'utf8').replace('<phone>12345</phone>', '<phone>电话待定</phone>'));
  const r = spawnSync(FAZHI, ['check', '--content', content], { encoding: 'utf8' });
  assert.notEqual(r.status, 0, 'check fails');
  assert.match(r.stderr + r.stdout, /site\.xml:\d+:\d+: .*phone/, 'with the file, line and element');
});
