// media.test.mjs: an editor's day with a picture, in Chromium without script help: sign
// in, write a case, save it, open its media page from the editor, choose a photo and
// give its alt text, upload, go back, save and submit; another person (a reviewer)
// sees the picture on the review page and approves; the public page shows the picture,
// loaded, with its alt text, srcset and sizes. axe-core finds nothing on the media
// page, the Nu HTML Checker finds no error in the media, review and public pages, and
// the CSP refuses nothing along the way.
// tests: 1
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startWithBrowser, stopWithBrowser, newContext, runAxe, formatViolations, watchCsp, screenshot,
  consoleAccounts, consoleSignInPage, tempDir, OUT, NU_JAVA,
} from './browser.mjs';

const saved = [];	// pages as the server sent them, for the Nu HTML Checker

// Opens url in page and keeps the HTML the server sent, as name.html.
async function openAndKeep(page, url, name) {
  const res = await page.goto(url);
  const dir = join(OUT, 'html');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.html`);
  writeFileSync(file, await res.text());
  saved.push(file);
}

const ID = '2026-960';
let s, browser, photo;
before(async () => {
  ({ s, browser } = await startWithBrowser());
  consoleAccounts(s);
  // a photo: libvips' command-line tool draws one (a grey gradient, 1200 x 800)
  photo = join(tempDir('fazhi-photo-'), 'IMG_2041.jpg');
  const r = spawnSync('vips', ['grey', photo, '1200', '800', '--uchar'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
after(() => stopWithBrowser(s, browser));

const signInPage = (context, name) => consoleSignInPage(s, context, name);

test('write a case with a photo, submit, approve: the public page shows it with its alt text', async () => {
  const context = await newContext(browser);
  const other = await newContext(browser);	// the reviewer: another person, another browser
  try {
    const page = await signInPage(context, 'editor1');
    const refused = watchCsp(page);
    await page.goto(`${s.consoleBase}/console/cases/new`);
    await page.fill('#f-id', ID);
    await page.fill('#f-title', '某商铺占道经营案（示例）');
    await page.fill('#f-published', '2026-11-22');
    await page.selectOption('#f-domain', 'shirong');
    await page.selectOption('#f-town', 'shenjiamen');
    await page.selectOption('#f-procedure', 'simple');
    await page.fill('#f-keyword1', '占道经营');
    for (const f of ['gist', 'facts', 'outcome', 'explanation']) await page.fill(`#f-${f}`, `${f}：一段示例文字（当事人为虚构）。`);
    await page.selectOption('#f-law_ref1', 'shirong-huanwei-tiaoli');
    await page.fill('#f-law_article1', '14');
    await Promise.all([page.waitForNavigation(), page.click('button[value="save"]')]);
    assert.match(await page.getByRole('status').innerText(), /已保存为第 1 版草稿/);

    // the media page, from the editor's link
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '图片和附件' }).click()]);
    assert.equal(new URL(page.url()).pathname, `/console/media/cases/${ID}`);
    await page.setInputFiles('#f-file', photo);
    await page.fill('#f-alt', '商铺门前的货架占用了人行道');
    await page.fill('#f-caption', '现场照片（示例）');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '上传' }).click()]);
    assert.match(await page.getByRole('status').innerText(), /已上传/);
    const thumb = page.locator('.media-item img');
    assert.equal(await thumb.getAttribute('alt'), '商铺门前的货架占用了人行道');
    assert.ok(await thumb.evaluate((img) => img.complete && img.naturalWidth === 480), 'the 480 px width is shown');
    const v = await runAxe(page);
    assert.equal(v.length, 0, formatViolations(v));
    await screenshot(page, 'console-media-1280');
    await openAndKeep(page, page.url(), 'console-media');

    // back to the editor: save and submit
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /返回编辑案例/ }).click()]);
    await Promise.all([page.waitForNavigation(), page.click('button[value="submit"]')]);
    assert.match(await page.getByRole('status').innerText(), /并已提交审核/);

    // the reviewer sees the picture and approves
    const review = await signInPage(other, 'reviewer1');
    const refusedThere = watchCsp(review);
    await openAndKeep(review, `${s.consoleBase}/console/cases/${ID}`, 'console-case-review-media');
    const shown = review.getByRole('img', { name: '商铺门前的货架占用了人行道' });
    assert.ok(await shown.evaluate((img) => img.complete && img.naturalWidth > 0), 'the picture loads on the review page');
    await Promise.all([review.waitForNavigation(), review.getByRole('button', { name: '签发并发布' }).click()]);
    assert.match(await review.getByRole('status').innerText(), /已签发/);

    // the public page
    const pub = await context.newPage();
    const refusedPublic = watchCsp(pub);
    await pub.setViewportSize({ width: 375, height: 800 });
    await openAndKeep(pub, `${s.base}/cases/${ID}`, 'case-with-photo');
    const img = pub.getByRole('img', { name: '商铺门前的货架占用了人行道' });
    await img.scrollIntoViewIfNeeded();
    await pub.waitForFunction(() => { const i = document.querySelector('figure img'); return i && i.complete && i.naturalWidth > 0; });
    const got = await img.evaluate((i) => ({ src: i.currentSrc, loading: i.loading, srcset: i.srcset,
      sizes: i.sizes, w: i.getAttribute('width'), h: i.getAttribute('height') }));
    assert.equal(got.loading, 'lazy');
    assert.match(got.srcset, /-480\.jpg 480w, .*-960\.jpg 960w, .*\.jpg 1200w/);
    assert.ok(got.sizes.length > 0);
    assert.deepEqual([got.w, got.h], ['1200', '800']);
    assert.match(got.src, /\/media\/[0-9a-f]{20}(-\d+)?\.jpg$/, 'a width from srcset, as the phone needs');
    assert.match(await pub.locator('figcaption').innerText(), /现场照片（示例）/);
    await screenshot(pub, 'case-with-photo-375');
    assert.deepEqual([...refused, ...refusedThere, ...refusedPublic], [], 'the CSP refused nothing');
    const run = spawnSync('java', [...NU_JAVA, ...saved],
      { encoding: 'utf8', maxBuffer: 64 << 20 });
    const report = JSON.parse(run.stderr || run.stdout);
    assert.deepEqual(report.messages.map((m) => `${m.url}: ${m.message}`), [], 'the Nu HTML Checker finds no error');
  } finally {
    await other.close();
    await context.close();
  }
});
