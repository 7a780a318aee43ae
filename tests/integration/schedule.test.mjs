// schedule.test.mjs: drafts and scheduled items. A future publish-at item appears by
// itself when its time comes (the server's clock is a file the test sets); preview
// shows drafts and future items with a banner, on its own port, never the public one.
// tests: 2
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, get, tempDir, build, testContent } from './stack.mjs';

// All list pages of /cases/ joined.
async function allCases(s) {
  let all = '';
  for (let p = 1; ; p++) {
    const r = await get(`${s.base}/cases/?page=${p}`);
    if (r.status !== 200) return all;
    all += r.body;
  }
}

test('a future item appears by itself when its publish-at passes, in pages and lists', async () => {
  const clock = join(tempDir(), 'now');
  // test-future.xml: publish-at 2099-01-01T09:00:00 China time = 4070912400.
  writeFileSync(clock, String(4070912400 - 60));
  process.env.CLOCK_FILE = clock;
  let s;
  try { s = await startStack({ workers: 1 }); } finally { delete process.env.CLOCK_FILE; }
  try {
    // Last-Modified: the start of that day in China until the publish-at, then it.
    const lastModified = async () => (await get(`${s.base}/cases/`)).headers.get('last-modified');
    assert.equal((await get(`${s.base}/cases/test-future`)).status, 404);
    assert.doesNotMatch(await allCases(s), /test-future/);
    assert.equal(await lastModified(), 'Wed, 31 Dec 2098 16:00:00 GMT');
    const before = JSON.parse((await get(`${s.base}/healthz`)).body).items;
    writeFileSync(clock, String(4070912400 + 1));
    assert.equal((await get(`${s.base}/cases/test-future`)).status, 200);
    assert.match(await allCases(s), /href="\/cases\/test-future"/);
    assert.equal(await lastModified(), 'Thu, 01 Jan 2099 01:00:00 GMT');
    assert.equal(JSON.parse((await get(`${s.base}/healthz`)).body).items, before + 1);
    assert.equal((await get(`${s.base}/cases/test-draft`)).status, 404, 'drafts stay hidden');
    writeFileSync(clock, String(4070912400 - 60));		// and back again
    assert.equal(await lastModified(), 'Wed, 31 Dec 2098 16:00:00 GMT');
    assert.equal((await get(`${s.base}/cases/test-future`)).status, 404);
  } finally { await s.stop(); }
});

test('preview shows drafts and future items with a banner; the public site does not', async () => {
  const dir = tempDir();
  const snapshot = join(dir, 'site.db');
  assert.equal(build(testContent(dir), snapshot).status, 0);
  process.env.PREVIEW = '1';
  let preview;
  try { preview = await startStack({ snapshot, workers: 1 }); } finally { delete process.env.PREVIEW; }
  const pub = await startStack({ snapshot, workers: 1 });
  try {
    for (const id of ['test-draft', 'test-future']) {
      const p = await get(`${preview.base}/cases/${id}`);
      assert.equal(p.status, 200, `preview ${id}`);
      assert.match(p.body, /class="preview-banner"/);
      assert.match(p.body, /<meta name="robots" content="noindex, nofollow">/);
      assert.equal((await get(`${pub.base}/cases/${id}`)).status, 404, `public ${id}`);
    }
    const home = await get(`${pub.base}/`);
    assert.doesNotMatch(home.body, /preview-banner/);
    assert.notEqual(preview.socket, pub.socket);
  } finally { await preview.stop(); await pub.stop(); }
});
