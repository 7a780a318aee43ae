// import.test.mjs: `fazhi import penalties` merges a feed into the store by decision
// number, reports new/updated/unchanged/rejected with reasons, and a second import of
// the same feed changes nothing. A credit code that fails only its check character is
// a warning (path:line:col), not a refusal: the record is kept and can be looked up.
// tests: 5
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, FAZHI, build, get, startStack, tempDir } from './stack.mjs';

const SAMPLE = join(ROOT, 'content', 'penalties', 'sample-feed.xml');

// A content folder with the shipped site description and schemas, and no records.
function emptyStore() {
  const dir = join(tempDir(), 'content');
  mkdirSync(join(dir, 'penalties'), { recursive: true });
  cpSync(join(ROOT, 'content', 'schema'), join(dir, 'schema'), { recursive: true });
  cpSync(join(ROOT, 'content', 'site.xml'), join(dir, 'site.xml'));
  return dir;
}

const importFeed = (content, feed) => spawnSync(FAZHI, ['import', 'penalties', '--content', content, feed], { encoding: 'utf8' });
const count = (out, what) => Number(out.match(new RegExp(`(\\d+) ${what}`))[1]);

const record = (n, extra = '') => `<record><decision-number>舟普综执罚决字〔2025〕第${n}号</decision-number>
<party>测试公司${n}（虚构）</party><credit-code>91310115591693856A</credit-code>
<decision-date>2025-02-0${n % 9 + 1}</decision-date><kinds><kind>罚款</kind></kinds><fine>1000.00</fine>
<severity>general</severity><domain>shirong</domain>${extra}</record>`;
const feed = (records) => `<?xml version="1.0" encoding="UTF-8"?>\n<penalties>${records.join('\n')}</penalties>\n`;

test('the sample feed imports whole, and a second import changes nothing', () => {
  const content = emptyStore();
  const first = importFeed(content, SAMPLE);
  assert.equal(first.status, 0, first.stderr);
  const n = count(first.stdout, 'new');
  assert.ok(n >= 200, `${n} records`);
  assert.equal(count(first.stdout, 'rejected'), 0);
  const store = join(content, 'penalties', 'records.xml');
  const bytes = readFileSync(store);
  const mtime = statSync(store).mtimeMs;
  const second = importFeed(content, SAMPLE);
  assert.equal(second.status, 0);
  assert.equal(count(second.stdout, 'new'), 0);
  assert.equal(count(second.stdout, 'updated'), 0);
  assert.equal(count(second.stdout, 'unchanged'), n);
  assert.deepEqual(readFileSync(store), bytes);
  assert.equal(statSync(store).mtimeMs, mtime, 'the store was not rewritten');
});

test('records are updated by decision number and bad ones rejected with reasons', () => {
  const content = emptyStore();
  const dir = tempDir();
  writeFileSync(join(dir, 'a.xml'), feed([record(1), record(2), record(3)]));
  assert.equal(importFeed(content, join(dir, 'a.xml')).status, 0);
  writeFileSync(join(dir, 'b.xml'), feed([
    record(1),                                         // unchanged
    record(2, '<fulfilled>2025-03-01</fulfilled>'),    // updated: now fulfilled
    record(4),                                         // new
    record(4),                                         // duplicate in the feed
    record(5).replace('91310115591693856A', '9131011559169385IA'),   // I is no code character
    record(6).replace(/2025-02-0\d/, '2099-01-01'),    // in the future
    record(7).replace('<domain>shirong</domain>', '<domain>nosuch</domain>'),
    record(8).replace('91310115591693856A', '91310115591693856B'),   // wrong check character: kept
    record(9).replace('91310115591693856A', '913101A5591693856A'),   // a letter in the area code
  ]));
  const r = importFeed(content, join(dir, 'b.xml'));
  assert.equal(r.status, 2, 'some were rejected');
  assert.match(r.stdout, /2 new, 1 updated, 1 unchanged, 5 rejected/);
  assert.match(r.stdout, /第4号: the decision number appears twice in the feed/);
  assert.match(r.stdout, /第5号: credit code 9131011559169385IA is not a unified social credit code/);
  assert.match(r.stdout, /第6号: decision date 2099-01-01 is in the future/);
  assert.match(r.stdout, /第7号: unknown domain code/);
  assert.match(r.stdout, /第9号: credit code 913101A5591693856A is not a unified social credit code/);
  assert.doesNotMatch(r.stdout, /第8号/, 'a wrong check character is no refusal');
  assert.match(r.stderr, /b\.xml:\d+:\d+: warning: 舟普综执罚决字〔2025〕第8号: credit code 91310115591693856B has a wrong check character: the last one should be A/);
  const store = readFileSync(join(content, 'penalties', 'records.xml'), 'utf8');
  assert.match(store, /<fulfilled>2025-03-01<\/fulfilled>/);
  assert.doesNotMatch(store, /第5号|第6号|第7号|第9号/);
  assert.match(store, /第8号[\s\S]*91310115591693856B/);
  assert.equal((store.match(/<record>/g) || []).length, 5);
});

test('a record whose credit code fails only its check character is checked, built and found', async () => {
  const content = emptyStore();
  mkdirSync(join(content, 'cases'));
  const dir = tempDir();
  // 91350203M0001FUE2P: an early code that is valid and fails the check (it computes J).
  writeFileSync(join(dir, 'feed.xml'), feed([record(1).replace('91310115591693856A', '91350203M0001FUE2P')]));
  const imp = importFeed(content, join(dir, 'feed.xml'));
  assert.equal(imp.status, 0, imp.stdout);
  assert.match(imp.stdout, /1 new, 0 updated, 0 unchanged, 0 rejected/);
  const check = spawnSync(FAZHI, ['check', '--content', content], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stderr, /penalties\/records\.xml:\d+:\d+: warning: credit code 91350203M0001FUE2P has a wrong check character: the last one should be J/);
  assert.match(check.stdout, /0 items and 1 penalty records, no errors, 1 warning/);
  const out = join(tempDir(), 'site.db');
  const b = build(content, out);
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stderr, /warning: credit code 91350203M0001FUE2P/);
  assert.match(b.stdout, /0 items, 1 penalty records/);
  const s = await startStack({ snapshot: out });
  try {
    const page = await get(`${s.base}/credit/lookup?q=91350203M0001FUE2P`);
    assert.equal(page.status, 200);
    assert.match(page.body, /测试公司1（虚构）/);
    assert.match(page.body, /校验位与按国家标准计算的结果（J）不符/);
    const api = await get(`${s.base}/api/v1/credit/lookup?q=91350203m0001fue2p`);
    assert.equal(api.status, 200);
    const j = JSON.parse(api.body);
    assert.equal(j.data.length, 1);
    assert.equal(j.data[0].credit_code, '91350203M0001FUE2P');
    assert.match(j.meta.warning, /（J）/);
  } finally { await s.stop(); }
});

test('a malformed feed is refused whole and the store is untouched', () => {
  const content = emptyStore();
  assert.equal(importFeed(content, SAMPLE).status, 0);
  const store = join(content, 'penalties', 'records.xml');
  const bytes = readFileSync(store);
  const dir = tempDir();
  writeFileSync(join(dir, 'bad.xml'), '<penalties><record><party>x</party></record>');
  const r = importFeed(content, join(dir, 'bad.xml'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.xml:\d+:\d+: /);
  assert.match(r.stderr, /was refused; nothing changed/);
  assert.deepEqual(readFileSync(store), bytes);
});

test('imported records go into the snapshot', () => {
  const content = emptyStore();
  mkdirSync(join(content, 'cases'));
  assert.equal(importFeed(content, SAMPLE).status, 0);
  const out = join(tempDir(), 'site.db');
  const b = build(content, out);
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /0 items, 2\d\d penalty records/);
  assert.ok(existsSync(out));
});
