// feeds.test.mjs: Atom feeds valid against RFC 4287's RELAX NG schema, paged as
// RFC 5005; the sitemap valid against the sitemaps.org schema; robots.txt;
// canonical links, Open Graph tags and feed autodiscovery in pages; drafts and
// future items in none of them, nor in the API or the exports.
// tests: 14
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync, mkdirSync, utimesSync, existsSync, readdirSync, rmSync, renameSync,
  statSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, FAZHI, startStack, get, tempDir, testContent, build } from './stack.mjs';

const SITE = 'https://zfj.putuo.example.gov.cn';
const FEED_PER_PAGE = 20;		// fcgi/feed.h
// Test cases, and a draft material and a future guide this file adds.
const HIDDEN = ['test-draft', 'test-future', 'test-draft-material', 'test-future-guide'];

// The test content plus a draft material and a guide scheduled for 2099.
function hiddenContent(dir) {
  const content = testContent(dir);
  const copy = (from, to, edit) => writeFileSync(join(content, to), edit(readFileSync(join(content, from), 'utf8')));
  copy('pufa/qa-laji-fenlei.xml', 'pufa/test-draft-material.xml',
    (x) => x.replace('<material status="published"', '<material status="draft"'));
  copy('guides/repair-where.xml', 'guides/test-future-guide.xml',
    (x) => x.replace('<guide status="published">', '<guide status="published" publish-at="2099-01-01T09:00:00">'));
  return content;
}

let s, work, atomRng;
before(async () => {
  work = tempDir();
  // RFC 4287 Appendix B is compact syntax; xmllint reads the XML syntax.
  atomRng = join(work, 'atom.rng');
  const t = spawnSync('trang', ['-I', 'rnc', '-O', 'rng', join(ROOT, 'tests/schema/atom.rnc'), atomRng],
    // No hsperfdata folder in /tmp: Java makes one whatever TMPDIR says.
    { encoding: 'utf8', env: { ...process.env, JAVA_TOOL_OPTIONS: '-XX:-UsePerfData' } });
  assert.equal(t.status, 0, t.stderr);
  const snapshot = join(work, 'site.db');
  const b = build(hiddenContent(work), snapshot);
  assert.equal(b.status, 0, b.stderr);
  s = await startStack({ snapshot });
});
after(async () => { await s.stop(); });

// Runs xmllint with args on text; returns { ok, out }.
let n = 0;
function xmllint(args, text) {
  const f = join(work, `doc-${n++}.xml`);
  writeFileSync(f, text);
  const r = spawnSync('xmllint', ['--noout', ...args, f], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stderr };
}

const links = (xml, rel) => [...xml.matchAll(new RegExp(`<link rel="${rel}"[^>]* href="([^"]+)"`, 'g'))].map((m) => m[1]);
const local = (u) => u.replace(SITE, '');

// Every page of a feed, following rel="next"; checks each against the schema.
async function allPages(path) {
  const pages = [];
  for (let url = path; url; ) {
    const r = await get(`${s.base}${url}`);
    assert.equal(r.status, 200, url);
    assert.equal(r.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
    const v = xmllint(['--relaxng', atomRng], r.body);
    assert.ok(v.ok, `${url} is not valid Atom:\n${v.out}`);
    pages.push(r.body);
    const next = links(r.body, 'next')[0];
    url = next && local(next);
    assert.ok(pages.length < 50, 'paging ends');
  }
  return pages;
}

const entryIds = (xml) => [...xml.matchAll(/<entry><id>([^<]+)<\/id>/g)].map((m) => m[1]);

test('every feed, every page of it, is valid Atom (RFC 4287 schema)', async () => {
  const paths = ['/feeds/all.atom', '/feeds/cases.atom', '/feeds/pufa.atom', '/feeds/credit.atom'];
  for (const code of ['shirong', 'shichang', 'xiaofang', 'jianshe']) paths.push(`/feeds/cases/${code}.atom`);
  for (const p of paths) {
    const pages = await allPages(p);
    assert.ok(pages.length >= 1);
    assert.match(pages[0], /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom" xml:lang="zh-CN">/);
  }
});

test('feeds are newest first, paged FEED_PER_PAGE at a time with RFC 5005 links', async () => {
  const pages = await allPages('/feeds/all.atom');
  assert.ok(pages.length >= 3, `${pages.length} pages`);
  const ids = pages.flatMap(entryIds);
  assert.equal(new Set(ids).size, ids.length, 'no entry twice');
  for (const [i, p] of pages.entries()) {
    const count = entryIds(p).length;
    if (i < pages.length - 1) assert.equal(count, FEED_PER_PAGE);
    else assert.ok(count >= 1 && count <= FEED_PER_PAGE);
    assert.deepEqual(links(p, 'first'), [`${SITE}/feeds/all.atom`]);
    assert.deepEqual(links(p, 'last'), [`${SITE}/feeds/all.atom?page=${pages.length}`]);
    assert.equal(links(p, 'previous').length, i > 0 ? 1 : 0);
    assert.equal(links(p, 'next').length, i < pages.length - 1 ? 1 : 0);
    assert.deepEqual(links(p, 'self'), [`${SITE}/feeds/all.atom${i ? `?page=${i + 1}` : ''}`]);
    // one feed id on every page: the first page's address
    assert.match(p, new RegExp(`<feed [^>]*><id>${SITE}/feeds/all\\.atom</id>`));
  }
  const published = pages.flatMap((p) => [...p.matchAll(/<published>([^<]+)</g)].map((m) => m[1]));
  assert.deepEqual(published, [...published].sort().reverse(), 'newest first');
  assert.equal((await get(`${s.base}/feeds/all.atom?page=${pages.length + 1}`)).status, 404);
  assert.equal((await get(`${s.base}/feeds/all.atom?page=0`)).status, 400);
});

test('an entry has a stable id, a link, updated, published and the summary', async () => {
  const r = await get(`${s.base}/feeds/cases/shirong.atom`);
  const e = r.body.match(/<entry><id>https:\/\/zfj\.putuo\.example\.gov\.cn\/cases\/2023-001<\/id>.*?<\/entry>/s);
  assert.ok(e, 'case 2023-001 is in the 市容环卫 feed');
  assert.match(e[0], /<title>某运输公司渣土车抛洒滴漏案（示例）<\/title>/);
  assert.match(e[0], /<updated>2023-05-15T16:00:00Z<\/updated>/);
  assert.match(e[0], /<published>2023-05-16T00:00:00\+08:00<\/published>/);
  assert.match(e[0], /<link rel="alternate" type="text\/html" href="https:\/\/zfj\.putuo\.example\.gov\.cn\/cases\/2023-001"\/>/);
  assert.match(e[0], /<summary type="text">运输建筑垃圾的车辆应当密闭/);
  assert.doesNotMatch(r.body, /\/cases\/2025-013</, 'other domains stay out');
  assert.match(r.body, /<title>[^<]*典型案例 · 市容环卫<\/title>/);
  assert.equal((await get(`${s.base}/feeds/cases/no-such-domain.atom`)).status, 404);
  assert.equal((await get(`${s.base}/feeds/other.atom`)).status, 404);
});

test('hostile text is escaped by the writer, not pasted', async () => {
  const pages = await allPages('/feeds/cases.atom');
  const hostile = pages.join('').match(/<entry><id>[^<]*test-hostile<\/id>.*?<\/entry>/s);
  assert.ok(hostile, 'the hostile test case is in the feed');
  assert.doesNotMatch(hostile[0], /<script|<img/i);
});

// The sitemap index at base and the files it names, each checked against its schema.
async function sitemapFiles(base) {
  const r = await get(`${base}/sitemap.xml`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/xml; charset=utf-8');
  const v = xmllint(['--schema', join(ROOT, 'tests/schema/siteindex.xsd')], r.body);
  assert.ok(v.ok, v.out);
  const files = [];
  for (const [, loc] of r.body.matchAll(/<loc>([^<]+)<\/loc>/g)) {
    const f = await get(`${base}${local(loc)}`);
    assert.equal(f.status, 200, loc);
    assert.equal(f.headers.get('content-type'), 'application/xml; charset=utf-8');
    const w = xmllint(['--schema', join(ROOT, 'tests/schema/sitemap.xsd')], f.body);
    assert.ok(w.ok, w.out);
    files.push([...f.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]));
  }
  return { index: r.body, files };
}

test('the sitemap index names files that list every public page, valid against the sitemaps.org schemas', async () => {
  const { files } = await sitemapFiles(s.base);
  assert.equal(files.length, 1, 'the test content fits in one file');
  const locs = files.flat();
  for (const p of ['/', '/cases/', '/pufa/', '/credit/', '/laws/', '/about', '/cases/2023-001',
    '/pufa/qa-laji-fenlei', '/credit/penalty-repair', '/cases/test-scheduled-past', '/laws/xiaofang-fa'])
    assert.ok(locs.includes(SITE + p), p);
  const health = JSON.parse((await get(`${s.base}/healthz`)).body);
  const laws = JSON.parse((await get(`${s.base}/api/v1/laws`)).body).meta.total;
  assert.equal(locs.length, health.items + 6 + laws, 'six site pages, every visible item and every law');
  assert.equal((await get(`${s.base}/sitemap-2.xml`)).status, 404, 'no second file');
  assert.equal((await get(`${s.base}/sitemap-0.xml`)).status, 404);
  assert.equal((await get(`${s.base}/sitemap-x.xml`)).status, 404);
});

test('the sitemap is split into files of --sitemap-urls addresses, at most EXPORT_SITEMAP_URLS', async () => {
  const PER_FILE = 7;
  process.env.SITEMAP_URLS = String(PER_FILE);
  let st;
  try { st = await startStack({ snapshot: s.snapshot, workers: 1 }); } finally { delete process.env.SITEMAP_URLS; }
  try {
    const { index, files } = await sitemapFiles(st.base);
    const all = (await sitemapFiles(s.base)).files.flat();
    assert.equal(files.length, Math.ceil(all.length / PER_FILE));
    assert.ok(files.length > 2);
    for (const f of files.slice(0, -1)) assert.equal(f.length, PER_FILE);
    assert.deepEqual(files.flat(), all, 'the same addresses in the same order');
    assert.match(index, new RegExp(`<loc>${SITE}/sitemap-${files.length}\\.xml</loc>`));
  } finally { await st.stop(); }
  // EXPORT_SITEMAP_URLS (fcgi/export.h) is the protocol's 50 000: more is refused.
  for (const n of ['50001', '0']) {
    const r = spawnSync(FAZHI, ['serve', '--socket', join(work, 'x.sock'), '--snapshot', s.snapshot,
      '--sitemap-urls', n], { encoding: 'utf8' });
    assert.equal(r.status, 1, n);
    assert.match(r.stderr, /--sitemap-urls must be 1 to 50000/);
  }
});

test('robots.txt allows the public site and names the sitemap', async () => {
  const r = await get(`${s.base}/robots.txt`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.match(r.body, /^User-agent: \*$/m);
  assert.match(r.body, /^Disallow: \/api\/$/m);
  assert.doesNotMatch(r.body, /^Disallow: \/$/m);
  assert.match(r.body, new RegExp(`^Sitemap: ${SITE}/sitemap\\.xml$`, 'm'));
});

test('pages name their canonical address, Open Graph data and their feeds', async () => {
  const c = (await get(`${s.base}/cases/2023-001`)).body;
  assert.match(c, new RegExp(`<link rel="canonical" href="${SITE}/cases/2023-001">`));
  assert.match(c, /<meta property="og:type" content="article">/);
  assert.match(c, /<meta property="og:title" content="某运输公司渣土车抛洒滴漏案（示例）">/);
  assert.match(c, new RegExp(`<meta property="og:url" content="${SITE}/cases/2023-001">`));
  assert.match(c, /<meta property="og:site_name" content="普陀区综合行政执法局 · 法治公开平台">/);
  assert.match(c, /<meta property="og:description" content="运输建筑垃圾的车辆应当密闭/);
  const feeds = [...c.matchAll(/<link rel="alternate" type="application\/atom\+xml" title="[^"]+" href="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(feeds, ['/feeds/cases/shirong.atom', '/feeds/cases.atom', '/feeds/all.atom']);
  // A list's canonical address has its filters in a fixed order, whatever the query.
  const l = (await get(`${s.base}/cases/?procedure=general&domain=shirong`)).body;
  assert.match(l, new RegExp(`<link rel="canonical" href="${SITE}/cases/\\?domain=shirong&amp;procedure=general">`));
  assert.match(l, /<meta property="og:type" content="website">/);
  for (const [p, feed] of [['/', '/feeds/all.atom'], ['/pufa/', '/feeds/pufa.atom'], ['/credit/', '/feeds/credit.atom'],
    ['/credit/penalty-repair', '/feeds/credit.atom'], ['/pufa/qa-laji-fenlei', '/feeds/pufa.atom']]) {
    const b = (await get(`${s.base}${p}`)).body;
    assert.match(b, new RegExp(`<link rel="alternate" type="application/atom\\+xml" title="[^"]+" href="${feed.replace(/\./g, '\\.')}">`), p);
    assert.match(b, /<link rel="canonical" href="https:\/\//, p);
  }
  const e = (await get(`${s.base}/no-such-page`)).body;
  assert.doesNotMatch(e, /rel="canonical"/, 'error pages name no canonical address');
});

// Everything the public can read about items, in one string.
async function everything(st) {
  let all = '';
  for (const f of ['all', 'cases', 'pufa', 'credit', 'cases/shirong'])
    all += (await allPagesOf(st, `/feeds/${f}.atom`)).join('');
  all += (await get(`${st.base}/sitemap.xml`)).body;
  for (let i = 1; ; i++) {
    const r = await get(`${st.base}/sitemap-${i}.xml`);
    if (r.status !== 200) break;
    all += r.body;
  }
  for (const sec of ['cases', 'pufa', 'credit']) {
    for (let p = 1; ; p++) {
      const r = await get(`${st.base}/api/v1/${sec}?per_page=50&page=${p}`);
      if (r.status !== 200) break;
      all += r.body;
    }
    all += (await get(`${st.base}/export/${sec}.json`)).body;
  }
  return all;
}
async function allPagesOf(st, path) {
  const out = [];
  for (let url = path; url; ) {
    const r = await get(`${st.base}${url}`);
    out.push(r.body);
    const next = links(r.body, 'next')[0];
    url = next && local(next);
  }
  return out;
}

test('drafts and future items are in no feed, sitemap, API answer or export', async () => {
  const inSnapshot = spawnSync('sqlite3', [s.snapshot, `SELECT count(*) FROM items WHERE id IN (${
    HIDDEN.map((id) => `'${id}'`).join(', ')})`], { encoding: 'utf8' });
  assert.equal(inSnapshot.stdout.trim(), String(HIDDEN.length), 'the hidden items are in the snapshot');
  const all = await everything(s);
  for (const id of HIDDEN) assert.doesNotMatch(all, new RegExp(id), id);
  assert.match(all, /test-scheduled-past/, 'a scheduled item whose time has come is public');
  for (const [sec, id] of [['cases', 'test-draft'], ['cases', 'test-future'],
    ['pufa', 'test-draft-material'], ['credit', 'test-future-guide']]) {
    assert.equal((await get(`${s.base}/api/v1/${sec}/${id}`)).status, 404, id);
    assert.equal((await get(`${s.base}/${sec}/${id}`)).status, 404, id);
  }
});

test('a scheduled item joins feeds, sitemap, API and export by itself when its time comes', async () => {
  const clock = join(tempDir(), 'now');
  // test-future.xml: publish-at 2099-01-01T09:00:00 China time = 4070912400.
  writeFileSync(clock, String(4070912400 - 60));
  process.env.CLOCK_FILE = clock;
  let st;
  try { st = await startStack({ workers: 1 }); } finally { delete process.env.CLOCK_FILE; }
  try {
    const before = await everything(st);
    assert.doesNotMatch(before, /test-future/);
    const feedBefore = await get(`${st.base}/feeds/all.atom`);
    const exportBefore = await get(`${st.base}/export/cases.json`);
    writeFileSync(clock, String(4070912400 + 1));
    const after = await everything(st);
    assert.match(after, /\/cases\/test-future/);
    assert.doesNotMatch(after, /test-draft/, 'drafts stay hidden');
    const feedAfter = await get(`${st.base}/feeds/all.atom`);
    assert.notEqual(feedAfter.headers.get('etag'), feedBefore.headers.get('etag'));
    assert.ok(Date.parse(feedAfter.headers.get('last-modified')) > Date.parse(feedBefore.headers.get('last-modified')),
      'Last-Modified moves when the item appears');
    // the entry's updated is the moment it became public
    const domainFeed = (await allPagesOf(st, '/feeds/cases/shirong.atom')).join('');
    assert.match(domainFeed, /<id>[^<]*test-future<\/id><title>[^<]*<\/title><updated>2099-01-01T01:00:00Z<\/updated>/);
    const exportAfter = await get(`${st.base}/export/cases.json`);
    assert.equal(JSON.parse(exportAfter.body).meta.total, JSON.parse(exportBefore.body).meta.total + 1);
  } finally { await st.stop(); }
});

test('the master writes the set of the next scheduled moment ahead of it, and the one after when it comes', async () => {
  // Two guides scheduled a few seconds from now, on the real clock.
  const dir = tempDir();
  const content = testContent(dir);
  const now = Math.floor(Date.now() / 1000);
  const t1 = now + 8, t2 = now + 14;
  const china = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 19);
  const guide = readFileSync(join(content, 'guides', 'repair-where.xml'), 'utf8');
  for (const [id, t] of [['soon-1', t1], ['soon-2', t2]])
    writeFileSync(join(content, 'guides', `${id}.xml`),
      guide.replace('<guide status="published">', `<guide status="published" publish-at="${china(t)}">`));
  const snapshot = join(dir, 'site.db');
  const b = build(content, snapshot);
  assert.equal(b.status, 0, b.stderr);
  const st = await startStack({ snapshot, workers: 1 });
  try {
    const id = JSON.parse((await get(`${st.base}/healthz`)).body).snapshot;
    const exportDir = join(st.run, 'export');
    const has = (t) => existsSync(join(exportDir, `${id}-${t}`, 'credit.json'));
    const guides = async () => JSON.parse((await get(`${st.base}/export/credit.json`)).body).data.map((g) => g.id);
    assert.ok(has(t1), 'the next moment\'s set is written ahead');
    assert.ok(!has(t2), 'only the next one');
    assert.ok(!(await guides()).includes('soon-1'));
    const until = (t) => new Promise((r) => setTimeout(r, Math.max(0, t * 1000 - Date.now())));
    await until(t1 + 2);
    assert.ok(has(t2), 'when the moment came, the master wrote the next one ahead');
    const at1 = await guides();
    assert.ok(at1.includes('soon-1') && !at1.includes('soon-2'), at1.join(' '));
    await until(t2 + 1);
    assert.ok((await guides()).includes('soon-2'));
    assert.match(st.log(), new RegExp(`wrote the sitemap and exports of ${id}-${t2}`));
  } finally { await st.stop(); }
});

test('exports: one file per section, the API envelope, old sets pruned', async () => {
  for (const [sec, id] of [['cases', '2023-001'], ['pufa', 'qa-laji-fenlei'], ['credit', 'penalty-repair']]) {
    const r = await get(`${s.base}/export/${sec}.json`);
    assert.equal(r.status, 200, sec);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.ok(r.headers.get('etag') && r.headers.get('last-modified'), 'nginx validators');
    const j = JSON.parse(r.body);
    assert.equal(j.meta.section, sec);
    assert.equal(j.meta.total, j.data.length);
    const item = j.data.find((x) => x.id === id);
    assert.ok(item, `${sec} holds ${id}`);
    assert.ok(Array.isArray(item.sections) && Array.isArray(item.related));
    // the same item as the API shows it
    const api = JSON.parse((await get(`${s.base}/api/v1/${sec}/${id}`)).body).data;
    assert.deepEqual(item, api);
  }
  const cases = JSON.parse((await get(`${s.base}/export/cases.json`)).body);
  const health = JSON.parse((await get(`${s.base}/healthz`)).body);
  assert.ok(cases.meta.snapshot === health.snapshot);
  assert.equal((await get(`${s.base}/export/other.json`)).status, 404);
  // A set made more than EXPORT_KEEP (600 s) ago goes when the writer next runs
  // (here a reload); a recent one stays, for downloads in progress.
  const dir = join(s.run, 'export');
  const old = join(dir, 'old-1'), recent = join(dir, 'old-2');
  mkdirSync(old); mkdirSync(recent);
  writeFileSync(join(old, 'cases.json'), '{}');
  // As the server's own sets are: its user's (scripts/run started by root runs it as fazhi).
  const owner = statSync(dir);
  for (const p of [old, recent, join(old, 'cases.json')]) chownSync(p, owner.uid, owner.gid);
  const hourAgo = Date.now() / 1000 - 3600;
  utimesSync(old, hourAgo, hourAgo);
  process.kill(s.masterPid(), 'SIGHUP');
  for (let t = 0; t < 5000 && existsSync(old); t += 50) await new Promise((r) => setTimeout(r, 50));
  assert.ok(!existsSync(old), 'an old set is removed');
  assert.ok(existsSync(recent), 'a recent one is kept for downloads in progress');
  assert.equal((await get(`${s.base}/export/cases.json`)).status, 200);
  rmSync(recent, { recursive: true });
});

test('workers only read: with no set for their snapshot and moment they answer 503, and write nothing', async () => {
  const dir = join(s.run, 'export');
  const health = JSON.parse((await get(`${s.base}/healthz`)).body);
  const sets = readdirSync(dir).filter((d) => d.startsWith(health.snapshot));
  const aside = join(s.dir, 'aside');
  mkdirSync(aside);
  for (const d of sets) renameSync(join(dir, d), join(aside, d));
  try {
    for (const p of ['/sitemap.xml', '/sitemap-1.xml', '/export/cases.json']) {
      const r = await get(`${s.base}${p}`);
      assert.equal(r.status, 503, p);
      assert.equal(r.headers.get('cache-control'), 'no-store', p);
    }
    assert.deepEqual(readdirSync(dir).filter((d) => d.startsWith(health.snapshot)), [], 'no worker wrote a set');
  } finally {
    for (const d of sets) renameSync(join(aside, d), join(dir, d));
  }
  assert.equal((await get(`${s.base}/export/cases.json`)).status, 200);
});

test('publish writes the new snapshot\'s exports before anyone asks', async () => {
  const st = await startStack({ workers: 1 });
  try {
    const f = join(st.content, 'cases', '2023-002.xml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('</title>', '（导出）</title>'));
    const r = spawnSync(FAZHI, ['publish', '--content', st.content, '--snapshot', st.snapshot,
      '--pid', join(st.run, 'fazhi.pid'), '--url', `${st.base}/healthz`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /exports written/);
    const id = JSON.parse((await get(`${st.base}/healthz`)).body).snapshot;
    // The set of now, and the set of the next scheduled item's moment, written ahead.
    const sets = readdirSync(join(st.run, 'export')).filter((d) => d.startsWith(id)).sort();
    assert.deepEqual(sets.map((d) => d.slice(id.length + 1) > String(Date.now() / 1000)), [false, true]);
    for (const set of sets) {
      for (const f of ['cases.json', 'pufa.json', 'credit.json', 'laws.json', 'sitemap.xml', 'sitemap-1.xml'])
        assert.ok(existsSync(join(st.run, 'export', set, f)), f);
      assert.match(readFileSync(join(st.run, 'export', set, 'cases.json'), 'utf8'), /（导出）/);
    }
    const count = (set) => readFileSync(join(st.run, 'export', set, 'sitemap-1.xml'), 'utf8').split('<loc>').length;
    assert.equal(count(sets[1]), count(sets[0]) + 1, 'the scheduled item is in the set written ahead');
  } finally { await st.stop(); }
});
