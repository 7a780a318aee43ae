// build.test.mjs: `fazhi build` refuses bad content with path:line:col errors, reads
// nothing from outside, and leaves the previous snapshot exactly as it was.
// tests: 15
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { build, testContent, tempDir, FAZHI, ROOT } from './stack.mjs';

// The 1-based line of the first occurrence of needle in a file.
const lineOf = (file, needle) => readFileSync(file, 'utf8').split(needle)[0].split('\n').length;
const sha = (p) => createHash('sha256').update(readFileSync(p)).digest('hex');

// Builds a good snapshot, then breaks one file with edit() and builds again.
function breakAndBuild(edit) {
  const dir = tempDir();
  const content = testContent(dir);
  const out = join(dir, 'site.db');
  assert.equal(build(content, out).status, 0);
  const before = sha(out);
  const file = join(content, 'cases', '2023-001.xml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  const r = build(content, out);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(sha(out), before, 'old snapshot untouched');
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp.')), [], 'no temp file left');
  return { ...r, file };
}

test('a malformed file fails with path:line:col', () => {
  const r = breakAndBuild((x) => x.replace('</title>', '</titel>'));
  assert.match(r.stderr, new RegExp(`^${r.file}:${lineOf(r.file, '</titel>')}:\\d+: .*does not match`, 'm'));
  assert.doesNotMatch(r.stderr, /related item "2023-001" does not exist/, 'no cascade from the broken file');
  assert.match(r.stderr, /snapshot .* was not changed/);
});

test('a schema violation names the file and line', () => {
  const r = breakAndBuild((x) => x.replace(/<procedure>general<\/procedure>/, '<procedure>fast</procedure>'));
  assert.match(r.stderr, new RegExp(`^${r.file}:${lineOf(r.file, '<procedure>')}:\\d+: `, 'm'));
});

test('an unknown domain code is an error at its line', () => {
  const r = breakAndBuild((x) => x.replace('<domain>shirong</domain>', '<domain>nosuch</domain>'));
  assert.match(r.stderr, new RegExp(`^${r.file}:${lineOf(r.file, '<domain>')}:\\d+: 没有 "nosuch" 这个执法领域代码.* \\/ unknown domain code "nosuch"`, 'm'));
});

test('more than 7 keywords is an error', () => {
  const r = breakAndBuild((x) => x.replace('</keywords>', '<k>五</k><k>六</k><k>七</k><k>八</k></keywords>'));
  assert.match(r.stderr, /too many keywords: at most 7/);
});

test('a related id that does not exist is an error', () => {
  const r = breakAndBuild((x) => x.replace('</case>', '<related><ref id="no-such-item"/></related></case>'));
  assert.match(r.stderr, /related item "no-such-item" does not exist/);
});

test('an external entity is refused and nothing is read from outside', () => {
  const secret = join(tempDir(), 'secret.txt');
  writeFileSync(secret, 'TOP-SECRET-CONTENT');
  const r = breakAndBuild((x) => x.replace('<?xml version="1.0" encoding="UTF-8"?>',
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE case [<!ENTITY s SYSTEM "file://${secret}">]>`)
    .replace('<title>', '<title>&s;'));
  assert.match(r.stderr, new RegExp(`^${r.file}:2:1: a document type declaration .*not allowed`, 'm'));
  assert.doesNotMatch(r.stderr + r.stdout, /TOP-SECRET/);
});

test('an entity bomb is refused', () => {
  const lol = ['<!ENTITY a "lollollollollollollollollollol">'];
  for (let i = 1; i < 10; i++) lol.push(`<!ENTITY ${String.fromCharCode(97 + i)} "${`&${String.fromCharCode(96 + i)};`.repeat(10)}">`);
  const r = breakAndBuild((x) => x.replace('<?xml version="1.0" encoding="UTF-8"?>',
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE case [${lol.join('')}]>`).replace('<title>', '<title>&j;'));
  assert.match(r.stderr, /document type declaration/);
});

test('deep nesting is refused with a clear message', () => {
  const r = breakAndBuild((x) => x.replace('<gist>', `<gist>${'<p>'.repeat(40)}`).replace('</gist>', `${'</p>'.repeat(40)}</gist>`));
  assert.match(r.stderr, new RegExp(`^${r.file}:\\d+:\\d+: elements nested deeper than 32 levels`, 'm'));
});

test('10 000-deep nesting is refused without a crash', () => {
  const r = breakAndBuild((x) => x.replace('<gist>', `<gist>${'<p>'.repeat(10000)}`).replace('</gist>', `${'</p>'.repeat(10000)}</gist>`));
  assert.match(r.stderr, new RegExp(`^${r.file}:\\d+:\\d+: `, 'm'));
});

test('a file over XML_MAX_FILE (1 MiB) is refused', () => {
  const r = breakAndBuild((x) => x.replace('</facts>', `<p>${'长'.repeat(400000)}</p></facts>`));
  assert.match(r.stderr, new RegExp(`^${r.file}:1:1: file is larger than 1048576 bytes`, 'm'));
});

test('every error is reported, not only the first', () => {
  const r = breakAndBuild((x) => x.replace('<domain>shirong</domain>', '<domain>nosuch</domain>')
    .replace('<town>shenjiamen</town>', '<town>nowhere</town>'));
  assert.match(r.stderr, /unknown domain code "nosuch"/);
  assert.match(r.stderr, /unknown town code "nowhere"/);
  assert.match(r.stderr, /^2 errors; /m);
});

test('the shipped content builds', () => {
  const out = join(tempDir(), 'site.db');
  const r = build(join(process.cwd(), 'content'), out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /built .*: \d+ items, \d+ penalty records, snapshot [0-9a-f]{16}/);
});

test('allocation failures end the build cleanly with an error, never a crash', () => {
  const dir = tempDir();
  const content = testContent(dir);
  const out = join(dir, 'site.db');
  for (let n = 1; n <= 40; n++) {
    const r = spawnSync(FAZHI, ['build', '--content', content, '--output', out],
      { encoding: 'utf8', env: { ...process.env, FAZHI_FAIL_ALLOC: String(n) } });
    // The Nth allocation and every one after it fail, and a build makes many
    // more than 40: each run must fail, say so and write no snapshot.
    assert.equal(r.signal, null, `allocation ${n}: killed by ${r.signal}`);
    assert.equal(r.status, 1, `allocation ${n}: status ${r.status}\n${r.stderr}`);
    assert.match(r.stderr, /out of memory/, `allocation ${n}`);
    assert.match(r.stderr, /the snapshot .* was not changed/, `allocation ${n}`);
    assert.ok(!existsSync(out), `allocation ${n}: a snapshot was written`);
  }
});

test('fazhi serve refuses to start when it cannot allocate, and says so', () => {
  const dir = tempDir();
  const out = join(dir, 'site.db');
  assert.equal(build(testContent(dir), out).status, 0);
  for (let n = 1; n <= 6; n++) {
    const r = spawnSync(FAZHI, ['serve', '--socket', join(dir, 's.sock'), '--snapshot', out,
      '--lua', join(ROOT, 'lua'), '--workers', '1'],
      { encoding: 'utf8', timeout: 5000, env: { ...process.env, FAZHI_FAIL_ALLOC: String(n) } });
    assert.equal(r.signal, null, `allocation ${n}`);
    assert.equal(r.status, 1, `allocation ${n}`);
    assert.match(r.stderr, /out of memory/);
  }
});

test('links that would leave the site for another host are refused', () => {
  for (const href of ['//evil.example/', '/\\evil.example', 'javascript:alert(1)', 'data:text/html,x']) {
    const r = breakAndBuild((x) => x.replace('<p>本案', `<p><a href="${href}">x</a>本案`));
    assert.match(r.stderr, /<a> has a missing or wrong attribute: a link needs href/, href);
  }
});
