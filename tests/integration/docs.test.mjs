// docs.test.mjs: every example of docs/api.md (a ```console block: `$ command`, then
// its output) is run again against a real stack on the day the examples were taken,
// 2026-11-28, and must still print what the document shows. JSON is compared as
// JSON (member order carries no meaning); validators, lengths and snapshot ids, which
// change with every build, are not compared.
// tests: 38
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, build, startStack, tempDir } from './stack.mjs';

const NOW = Date.UTC(2026, 10, 28, 4, 20, 0) / 1000;	// 2026-11-28 12:20 China time
const DOC = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
const EXAMPLES = [...DOC.matchAll(/```console\n\$ (.*)\n([\s\S]*?)```/g)]
  .map(([, command, output]) => ({ command, output: output.replace(/\n$/, '') }));

let s;
before(async () => {
  const clock = join(tempDir(), 'now');
  writeFileSync(clock, String(NOW));
  process.env.CLOCK_FILE = clock;
  // The shipped content alone, as `make run` serves it.
  const snapshot = join(tempDir(), 'site.db');
  const b = build(join(ROOT, 'content'), snapshot);
  if (b.status !== 0) throw new Error(b.stderr);
  try { s = await startStack({ snapshot, workers: 1 }); } finally { delete process.env.CLOCK_FILE; }
});
after(async () => { await s?.stop(); });

// What may differ between two builds of the same content.
const mask = (text) => text
  .replace(/^(ETag|Last-Modified|Content-Length): .*$/gim, '$1: -')
  .replace(/\b[0-9a-f]{16}\b/g, '-');

// A line as JSON (with curl's " %{http_code}" after it, if any), or null.
function asJson(line) {
  const m = line.match(/^(\{.*\})( \d{3})?$/);
  if (!m) return null;
  try { return [JSON.parse(m[1]), m[2] ?? '']; } catch { return null; }
}

// Compares output with what the document shows, as JSON where it is JSON.
function same(got, want, what) {
  got = mask(got);
  want = mask(want);
  try {
    assert.deepEqual(JSON.parse(got), JSON.parse(want), what);
    return;
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
  }
  const g = got.split('\n'), w = want.split('\n');
  assert.equal(g.length, w.length, `${what}: ${got}`);
  for (let i = 0; i < w.length; i++) {
    const gj = asJson(g[i]), wj = asJson(w[i]);
    if (gj && wj) assert.deepEqual(gj, wj, what);
    else assert.equal(g[i], w[i], what);
  }
}

test('docs/api.md has examples for every endpoint kind', () => {
  assert.ok(EXAMPLES.length >= 20, `${EXAMPLES.length} examples`);
  for (const path of ['/api/v1/cases', '/api/v1/pufa', '/api/v1/credit?', '/api/v1/credit/check',
    '/api/v1/credit/lookup', '/feeds/', '/export/', '/sitemap.xml', '/robots.txt'])
    assert.ok(EXAMPLES.some((e) => e.command.includes(path)), path);
});

for (const [i, { command, output }] of EXAMPLES.entries()) {
  test(`docs/api.md example ${i + 1}: ${command.slice(0, 90)}`, () => {
    const r = spawnSync('bash', ['-c', command.split('http://127.0.0.1:8080').join(s.base)],
      { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    same(r.stdout.replace(/\r$/gm, '').replace(/\n$/, ''), output, command);
  });
}
