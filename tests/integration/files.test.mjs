// files.test.mjs: every file under content/ is either loaded or reported. Empty files
// fail check, build and publish; files with another extension, backups, editors'
// temporary files and files in the wrong folder are reported as content/README.md
// says (an error when staff may have meant it to be published, a warning for a
// backup); `check PATH` outside the content folder is an error. And the invisible
// characters the build cleans away do not stop search from finding an item.
// tests: 26
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAZHI, ROOT, build, get, startStack, tempDir, testContent } from './stack.mjs';

const check = (content, ...paths) =>
  spawnSync(FAZHI, ['check', '--content', content, ...paths], { encoding: 'utf8' });
const MAX_KINDS = Number(readFileSync(join(ROOT, 'fcgi', 'xmlchar.h'), 'utf8')
  .match(/#define XMLCHAR_MAX_KINDS\s+(\d+)/)[1]);

const EMPTY = /文件是空的.* \/ the file is empty: write its content, or delete the file/;

for (const [what, file, body] of [
  ['an empty case file', 'cases/2023-002.xml', ''],
  ['a case file of white space only', 'cases/2023-002.xml', ' \n\t\n'],
  ['an empty penalty store', 'penalties/records.xml', ''],
  ['an empty credit regime', 'credit/ndrc-order-58.xml', ''],
]) {
  test(`${what} fails check, build and publish, and is never published as removed`, () => {
    const dir = tempDir();
    const content = testContent(dir);
    const snap = join(dir, 'site.db');
    assert.equal(build(content, snap).status, 0);
    const before = readFileSync(snap);
    writeFileSync(join(content, file), body);
    const c = check(content);
    assert.equal(c.status, 1);
    assert.match(c.stderr, new RegExp(`^${join(content, file)}:1:1: ${EMPTY.source}`, 'm'));
    assert.match(c.stderr, /^1 error$/m);
    assert.equal(build(content, snap).status, 1);
    const p = spawnSync(FAZHI, ['publish', '--content', content, '--snapshot', snap,
      '--pid', join(dir, 'none.pid')], { encoding: 'utf8' });
    assert.equal(p.status, 1, p.stdout);
    assert.doesNotMatch(p.stdout, /removed/);
    assert.match(p.stderr, EMPTY);
    assert.deepEqual(readFileSync(snap), before, 'the snapshot is unchanged');
  });
}

// Each kind of file that is not loaded: where it is, what it is called, whether it
// is an error (1) or a warning (0), and what the message must say.
const STRAYS = [
  ['cases', '2023-001.xml.txt', 1, /不会发布：把它改名为 2023-001\.xml \/ .*rename it to 2023-001\.xml/],
  ['cases', '2026-001.XML', 1, /扩展名要用小写的 \.xml.*rename it to 2026-001\.xml/],
  ['guides', 'Repair.Xml', 1, /rename it to repair\.xml/],
  ['cases', 'notes.docx', 1, /只放 \.xml 内容文件，notes\.docx 不会发布/],
  ['cases', 'old', 1, /子文件夹里的文件不会发布.*move them up one folder/, 'dir'],
  ['cases', '2023-001.xml~', 0, /备份文件，不会发布.*a backup copy, not published/],
  ['cases', '2023-001.xml.bak', 0, /a backup copy, not published/],
  ['pufa', 'x.xml.orig', 0, /a backup copy, not published/],
  ['cases', '2023-002.xml.tmp.4711', 0, /a backup copy, not published/],
  ['cases', '.#2023-001.xml', 0, /临时文件，不会发布.*an editor's temporary file/],
  ['cases', '.2023-001.xml.swp', 0, /an editor's temporary file/],
  ['guides', '~$guide.docx', 0, /an editor's temporary file/],
  ['penalties', 'records.xml.bak', 0, /a backup copy/],
  ['', '2026-002.xml', 1, /内容文件要放在 cases\/、guides\/、pufa\/ 或 credit\/ 文件夹里.*move it/],
  ['', 'case', 1, /没有 case 这个文件夹.*did you mean cases\/\?/, 'dir'],
  ['', 'drafts', 1, /没有 drafts 这个文件夹.*cases go in cases\//, 'dir'],
  ['', 'notes.txt', 0, /这不是内容文件，不会发布 \/ not a content file/],
];

for (const [folder, name, error, message, dir] of STRAYS) {
  test(`${folder || 'content'}/${name} is reported as ${error ? 'an error' : 'a warning'}`, () => {
    const content = testContent();
    const path = join(content, folder, name);
    if (dir) {
      mkdirSync(path);
      writeFileSync(join(path, '2026-009.xml'), readFileSync(join(content, 'cases', '2023-001.xml')));
    } else writeFileSync(path, readFileSync(join(content, 'cases', '2023-001.xml')));
    const r = check(content);
    const line = r.stderr.split('\n').find((l) => l.startsWith(`${path}:1:1: `));
    assert.ok(line, `reported: ${r.stderr}`);
    assert.match(line, message);
    assert.equal(line.startsWith(`${path}:1:1: warning: `), !error);
    assert.equal(r.status, error ? 1 : 0, r.stderr);
    if (!error) assert.match(r.stdout, /no errors, 1 warning$/m);
    // Asked about that one file, check names it too.
    assert.match(check(content, path).stderr, message);
  });
}

test('hidden files such as .gitkeep and feeds kept in penalties/ are not reported', () => {
  const content = testContent();
  writeFileSync(join(content, 'cases', '.gitkeep'), '');
  writeFileSync(join(content, 'penalties', 'feed-2026-12.xml'), '<penalties/>');
  const r = check(content);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});

test('check PATH outside the content folder, or of nothing, is an error that says so', () => {
  const content = testContent();
  const outside = join(tempDir(), 'x.xml');
  writeFileSync(outside, readFileSync(join(content, 'cases', '2023-001.xml')));
  let r = check(content, outside);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^${outside}:1:1: 不在内容文件夹 ${content} 里.* / not inside the content folder`, 'm'));
  assert.doesNotMatch(r.stdout, /no errors/);
  r = check(content, join(content, 'cases', 'no-such.xml'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no-such\.xml:1:1: 找不到这个文件或文件夹 \/ no such file or folder/);
  // The same file named another way is found: problems in it are shown.
  writeFileSync(join(content, 'cases', '2023-002.xml'), '');
  r = spawnSync(FAZHI, ['check', '--content', content, join(content, '.', 'cases', '..', 'cases', '2023-002.xml')],
    { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, EMPTY);
});

test(`at most XMLCHAR_MAX_KINDS (${MAX_KINDS}) refused characters are named per file, the rest counted`, () => {
  const content = testContent();
  const file = join(content, 'cases', '2023-001.xml');
  let odd = '';
  for (let i = 0; i < MAX_KINDS + 3; i++) odd += String.fromCodePoint(0xe000 + i);
  writeFileSync(file, readFileSync(file, 'utf8').replace('执法队员当场', `执法队员当场${odd}`));
  const r = check(content);
  assert.equal(r.status, 1);
  const named = r.stderr.match(/不能使用的字符 U\+E0/g) ?? [];
  assert.equal(named.length, MAX_KINDS);
  assert.match(r.stderr, /还有 3 处其他不能使用的字符.* \/ 3 more characters/);
  assert.match(r.stderr, new RegExp(`^${MAX_KINDS + 1} errors$`, 'm'));
});

// The characters content/README.md says the build cleans away, each put inside a
// phrase that search must still find, on the page and in the API.
const CLEANED = [['\u200b', '责令该公司'], ['\u00a0', '责令该公司'], ['\u00ad', '责令该公司'],
  ['\u200c', '责令该公司'], ['\u200d', '责令该公司'], ['\u2060', '责令该公司'], ['\ufeff', '责令该公司'],
  ['\u200e', '责令该公司'], ['\u202f', '责令该公司'], ['\u2007', '责令该公司']];
// Those that become an ordinary space.
const SPACED = ['\u00a0', '\u202f', '\u2007'];

test('invisible characters are cleaned at build: search finds the case, the page shows none', async () => {
  const dir = tempDir();
  const content = testContent(dir);
  const ids = [];
  CLEANED.forEach(([ch], i) => {
    const id = `2099-${String(i + 1).padStart(3, '0')}`;
    ids.push(id);
    const x = readFileSync(join(content, 'cases', '2023-001.xml'), 'utf8')
      .replace('执法队员当场拍照取证', `执法队员当场拍照取证，责令该${ch}公司检修篷布，编号Z${i}Q`)
      .replace('<k>建筑垃圾</k>', `<k>篷布${ch}检修</k>`);
    writeFileSync(join(content, 'cases', `${id}.xml`), x);
  });
  const snapshot = join(dir, 'site.db');
  const b = build(content, snapshot);
  assert.equal(b.status, 0, b.stderr);
  assert.equal(b.stderr, '', 'cleaning is silent');
  const s = await startStack({ snapshot, workers: 1 });
  try {
    for (const [i, id] of ids.entries()) {
      const [ch, phrase] = CLEANED[i];
      const what = `U+${ch.codePointAt(0).toString(16).toUpperCase()}`;
      // A space stays a space: those are found by the words on either side.
      const spaced = SPACED.includes(ch);
      const q = encodeURIComponent(`${spaced ? '责令该' : phrase} Z${i}Q`);
      const api = JSON.parse((await get(`${s.base}/api/v1/search?q=${q}`)).body);
      assert.deepEqual(api.data.map((r) => r.id), [id], `${what}: found through the API`);
      const page = await get(`${s.base}/search?q=${q}&page=1`);
      assert.match(page.body, new RegExp(`href="/cases/${id}"`), `${what}: found on the search page`);
      const item = await get(`${s.base}/cases/${id}`);
      assert.equal(item.status, 200);
      assert.ok(!item.body.includes(ch), `${what}: not on the page`);
      assert.match(item.body, spaced ? /责令该 公司/ : /责令该公司/, `${what}: cleaned as the table says`);
      assert.match(item.body, spaced ? /篷布 检修/ : /篷布检修/, `${what}: in keywords too`);
    }
  } finally { await s.stop(); }
});

test('an empty site.xml is one error, not one more for every code the items use', () => {
  const content = testContent();
  writeFileSync(join(content, 'site.xml'), '');
  const r = check(content);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^${join(content, 'site.xml')}:1:1: ${EMPTY.source}`, 'm'));
  assert.doesNotMatch(r.stderr, /(cases|guides|pufa|penalties)\/[^:]+:\d+:\d+: .*unknown (domain|town|topic) code/);
});
