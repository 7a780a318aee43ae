// laws.test.mjs: the legal basis a reader can read (content/laws): a case page quotes
// each cited article with a link to its law, the law pages list the laws by kind and,
// per article, the cases that apply it; the search finds an article by its reference;
// the API gives the same.
// tests: 8
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, get, tempDir, testContent, build } from './stack.mjs';

let s;
before(async () => {
  const dir = tempDir();
  const content = testContent(dir);
  // A case older than the version of 行政处罚法 in force (2021-07-15).
  const old = join(content, 'cases', 'test-old-basis.xml');
  copyFileSync(join(content, 'cases', '2023-002.xml'), old);
  writeFileSync(old, (await import('node:fs')).readFileSync(old, 'utf8')
    .replace('<published>2023-02-14</published>', '<published>2020-02-14</published>')
    .replace(/<title>[^<]*<\/title>/, '<title>旧案：发布于现行行政处罚法施行以前（示例）</title>'));
  // A law whose article could not be checked, and a case citing it.
  writeFileSync(join(content, 'laws', 'test-unverified.xml'), `<?xml version="1.0" encoding="UTF-8"?>
<law>
  <title>测试用示例规定</title>
  <short>测试用示例规定</short>
  <kind>local</kind>
  <issuer>测试用制定机关</issuer>
  <adopted>2020-01-01</adopted>
  <effective>2020-06-01</effective>
  <validity>current</validity>
  <checked date="2026-12-06">测试用，没有可核对的文本</checked>
  <articles>
    <article n="7" verified="no"><summary>测试用大意：不是真实条文。</summary></article>
  </articles>
</law>
`);
  const unv = join(content, 'cases', 'test-unverified-basis.xml');
  copyFileSync(join(content, 'cases', '2023-002.xml'), unv);
  writeFileSync(unv, (await import('node:fs')).readFileSync(unv, 'utf8')
    .replace(/<basis>[\s\S]*<\/basis>/, '<basis><law ref="test-unverified" article="7"/></basis>'));
  const snapshot = join(dir, 'site.db');
  const b = build(content, snapshot);
  assert.equal(b.status, 0, b.stderr);
  s = await startStack({ snapshot, workers: 1 });
});
after(async () => { await s.stop(); });

test('a case page quotes the cited article, linked to its law', async () => {
  const r = await get(`${s.base}/cases/2025-007`);
  assert.equal(r.status, 200);
  const basis = r.body.slice(r.body.indexOf('<section id="basis"'));
  assert.match(basis, /<a href="\/laws\/xiaofang-fa">《中华人民共和国消防法》<\/a>/);
  assert.match(basis, /<a href="\/laws\/xiaofang-fa#a28">第二十八条<\/a>/);
  assert.match(basis, /<details class="law-text"[^>]*>\s*<summary>消防法第二十八条条文<\/summary>/);
  assert.match(basis, /不得占用、堵塞、封闭疏散通道、安全出口、消防车通道。/);
  assert.match(basis, /第六十条第二款/);
  assert.match(basis, /个人有前款第二项、第三项、第四项、第五项行为之一的，处警告或者五百元以下罚款。/);
  assert.doesNotMatch(basis, /可能与当时适用的条文不同/, 'a case after the version in force has no note');
});

test('a case older than the version in force says the text may differ', async () => {
  const r = await get(`${s.base}/cases/test-old-basis`);
  assert.equal(r.status, 200);
  assert.match(r.body, /《中华人民共和国行政处罚法》的现行版本（2021年7月15日起施行）尚未施行：这里显示的是现行条文，可能与当时适用的条文不同。/);
});

test('an article that could not be checked says so and gives only its summary', async () => {
  const c = await get(`${s.base}/cases/test-unverified-basis`);
  assert.match(c.body, /<p class="unverified"><strong>未经核实<\/strong>：条文原文尚未核对，以下只是大意。测试用大意：不是真实条文。<\/p>/);
  assert.doesNotMatch(c.body.slice(c.body.indexOf('<section id="basis"')), /<details/);
  const l = await get(`${s.base}/laws/test-unverified`);
  assert.match(l.body, /<h3>第七条<\/h3>\s*<p class="unverified"><strong>未经核实<\/strong>/);
  assert.match((await get(`${s.base}/laws/`)).body, /<h2 id="kind-local">地方性法规（1 部）<\/h2>/,
    'a local regulation has its own kind on /laws/');
  const a = JSON.parse((await get(`${s.base}/api/v1/laws/test-unverified`)).body).data.articles[0];
  assert.equal(a.verified, false);
  assert.equal(a.summary, '测试用大意：不是真实条文。');
  assert.equal(a.text, undefined);
});

test('/laws/ lists the laws by kind with counts', async () => {
  const r = await get(`${s.base}/laws/`);
  assert.equal(r.status, 200);
  assert.match(r.body, /<h2 id="kind-law">法律（\d+ 部）<\/h2>/);
  assert.match(r.body, /<h2 id="kind-regulation">行政法规（\d+ 部）<\/h2>/);
  assert.ok(r.body.indexOf('kind-law') < r.body.indexOf('kind-regulation'), 'laws before regulations');
  assert.match(r.body, /<a href="\/laws\/xingzheng-chufa-fa">《中华人民共和国行政处罚法》<\/a> <span class="meta">现行有效；引用 \d+ 条，\d+ 篇内容适用<\/span>/);
  assert.equal((await get(`${s.base}/laws`)).headers.get('location'), '/laws/');
});

test('a law page gives its facts, history and, per article, the cases that apply it', async () => {
  const r = await get(`${s.base}/laws/xiaofang-fa`);
  assert.equal(r.status, 200);
  assert.match(r.body, /<h1>《中华人民共和国消防法》<\/h1>/);
  assert.match(r.body, /<dt>制定机关<\/dt><dd>全国人民代表大会常务委员会<\/dd>/);
  assert.match(r.body, /<dt>时效性<\/dt><dd>现行有效<\/dd>/);
  assert.match(r.body, /<a href="https:\/\/flk\.npc\.gov\.cn\/">国家法律法规数据库<\/a>/);
  assert.match(r.body, /2021年4月29日<\/time> 第十三届全国人民代表大会常务委员会第二十八次会议/);
  const a28 = r.body.slice(r.body.indexOf('<section id="a28"'), r.body.indexOf('<section id="a60"'));
  assert.match(a28, /<h3>第二十八条<\/h3>/);
  assert.match(a28, /<a href="\/cases\/2025-007">私家车占用小区消防车通道被当场警告案（示例）<\/a>/);
  assert.match(a28, /<a href="\/cases\/2024-008">/);
  assert.doesNotMatch(a28, /test-draft/, 'drafts are not listed');
  const a60 = r.body.slice(r.body.indexOf('<section id="a60"'));
  assert.match(a60, /<p class="law-item">（五）占用、堵塞、封闭消防车通道，妨碍消防车通行的；<\/p>/);
  assert.match(a60, /引用第六十条第一款第三项/);
  assert.equal((await get(`${s.base}/laws/no-such-law`)).status, 404);
  // materials and guides that cite an article are listed with the cases
  const chufa = (await get(`${s.base}/laws/xingzheng-chufa-fa`)).body;
  const a33 = chufa.slice(chufa.indexOf('<section id="a33"'), chufa.indexOf('<section id="a51"'));
  assert.match(a33, /<a href="\/pufa\/qa-shouci-buchufa">[^<]+<\/a> <span class="meta">（普法资料，引用第三十三条）<\/span>/);
  assert.match(a33, /<a href="\/cases\/2023-008">/);
});

test('searching an article reference finds the article and the cases', async () => {
  for (const [q, law, label, caseId] of [
    ['消防法第二十八条', 'xiaofang-fa', '第二十八条', '2025-007'],
    ['行政处罚法 51条', 'xingzheng-chufa-fa', '第五十一条', '2023-002'],
  ]) {
    const r = await get(`${s.base}/search?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, q);
    const box = r.body.slice(r.body.indexOf('<section class="law-hit"'));
    assert.match(box, new RegExp(`<a href="/laws/${law}#a\\d+">[^<]*${label}</a>`), q);
    assert.match(r.body, new RegExp(`href="/cases/${caseId}"`), `${q} finds ${caseId}`);
  }
});

test('the API lists the laws and gives one with its articles and citing items', async () => {
  const list = JSON.parse((await get(`${s.base}/api/v1/laws`)).body);
  assert.ok(list.data.length >= 30);
  const l = list.data.find((x) => x.id === 'xiaofang-fa');
  assert.deepEqual(Object.keys(l).sort(), ['api', 'articles', 'effective', 'id', 'items', 'kind', 'kind_name', 'short', 'title', 'url', 'validity', 'validity_name']);
  assert.equal(l.url, `${list.data[0].url.split('/laws/')[0]}/laws/xiaofang-fa`);
  const one = JSON.parse((await get(`${s.base}/api/v1/laws/xiaofang-fa`)).body);
  assert.equal(one.data.title, '中华人民共和国消防法');
  const a28 = one.data.articles.find((a) => a.n === '28');
  assert.equal(a28.label, '第二十八条');
  assert.equal(a28.verified, true);
  assert.match(a28.text, /^任何单位、个人不得损坏/);
  assert.ok(a28.cited_by.some((c) => c.id === '2025-007' && c.kind === 'case'));
  assert.equal((await get(`${s.base}/api/v1/laws/nope`)).status, 404);
  const c = JSON.parse((await get(`${s.base}/api/v1/cases/2025-007`)).body);
  assert.deepEqual(c.data.basis[0], { law: '《中华人民共和国消防法》', article: '第二十八条', law_id: 'xiaofang-fa' });
});

test('the search API names the article, the sitemap and the export list the laws', async () => {
  const q = JSON.parse((await get(`${s.base}/api/v1/search?q=${encodeURIComponent('行政处罚法 51条')}`)).body);
  assert.equal(q.meta.law.id, 'xingzheng-chufa-fa');
  assert.equal(q.meta.law.article.label, '第五十一条');
  assert.ok(q.data.some((r) => r.id === '2023-002'));
  const none = JSON.parse((await get(`${s.base}/api/v1/search?q=${encodeURIComponent('消防通道')}`)).body);
  assert.equal(none.meta.law, undefined, 'no article named: no law');
  const map = (await get(`${s.base}/sitemap-1.xml`)).body;
  assert.match(map, /<loc>[^<]*\/laws\/<\/loc>/);
  assert.match(map, /<loc>[^<]*\/laws\/xiaofang-fa<\/loc>/);
  const ex = await get(`${s.base}/export/laws.json`);
  assert.equal(ex.status, 200);
  const e = JSON.parse(ex.body);
  assert.equal(e.meta.section, 'laws');
  assert.equal(e.meta.total, e.data.length);
  const x = e.data.find((l) => l.id === 'xiaofang-fa');
  assert.ok(x.articles.find((a) => a.n === '60').cited_by.some((c) => c.id === '2024-008'));
});
