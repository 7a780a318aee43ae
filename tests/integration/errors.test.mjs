// errors.test.mjs: a template that fails gives a 500 page and the worker lives on.
// tests: 3
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, get, tempDir, ROOT, workerPids, logMatch } from './stack.mjs';

let s;
before(async () => {
  // The real templates, with case.html made to fail for one case.
  const templates = join(tempDir(), 'templates');
  cpSync(join(ROOT, 'lua', 'templates'), templates, { recursive: true });
  appendFileSync(join(templates, 'case.html'),
    '<% if ctx.id == "test-hostile" then error("deliberate failure") end %>\n' +
    '<% if ctx.id == "test-scheduled-past" then while true do end end %>\n');
  s = await startStack({ templates, workers: 1 });
});
after(async () => { await s.stop(); });

test('a failing template gives a 500 page in the site look', async () => {
  const r = await get(`${s.base}/cases/test-hostile`);
  assert.equal(r.status, 500);
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(r.body, /<html lang="zh-CN">/);
  assert.match(r.body, /服务器出错/);
  assert.match(await logMatch(s, /deliberate failure/), /template case: .*deliberate failure/);
});

test('a runaway template is stopped by its budget', async () => {
  const r = await get(`${s.base}/cases/test-scheduled-past`);
  assert.equal(r.status, 500);
  assert.match(await logMatch(s, /exceeded its budget/), /exceeded its budget/);
});

test('the worker survives template failures', async () => {
  const before = workerPids(s.masterPid());
  await get(`${s.base}/cases/test-hostile`);
  const r = await get(`${s.base}/cases/2023-001`);
  assert.equal(r.status, 200);
  assert.deepEqual(workerPids(s.masterPid()), before);
});
