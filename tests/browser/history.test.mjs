// history.test.mjs: an editor in Chromium opens a draft's preview (the public page,
// its style sheet and icon loaded from the console's address with the CSP refusing
// nothing, the banner shown), compares two versions from the history page, restores
// the first as a new draft, deletes the draft and brings it back, all with buttons
// and links only; axe-core finds nothing on the pages along the way.
// tests: 1
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startWithBrowser, stopWithBrowser, newContext, runAxe, formatViolations, watchCsp, screenshot,
  consoleAccounts, CONSOLE_PASSWORD,
} from './browser.mjs';

let s, browser;
before(async () => {
  ({ s, browser } = await startWithBrowser());
  consoleAccounts(s);
});
after(() => stopWithBrowser(s, browser));

async function noViolations(page, what) {
  const v = await runAxe(page);
  assert.equal(v.length, 0, `${what}:\n${formatViolations(v)}`);
}

test('preview, compare, restore, delete and undelete in the browser', async () => {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    const refused = watchCsp(page);
    const failed = [];
    // (a request cut short by the next navigation, such as the icon's, is not a failure)
    page.on('requestfailed', (r) => { if (r.failure()?.errorText !== 'net::ERR_ABORTED') failed.push(r.url()); });
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await page.goto(`${s.consoleBase}/console/signin`);
    await page.fill('#name', 'editor1');
    await page.fill('#password', CONSOLE_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);

    await page.goto(`${s.consoleBase}/console/cases/new`);
    await page.fill('#f-id', '2026-970');
    await page.fill('#f-title', '浏览器里的第一稿（示例）');
    await page.selectOption('#f-domain', 'shirong');
    await page.selectOption('#f-town', 'shenjiamen');
    await page.selectOption('#f-procedure', 'simple');
    await page.fill('#f-published', '2026-11-22');
    await page.fill('#f-keyword1', '测试');
    for (const f of ['gist', 'facts', 'outcome', 'explanation']) await page.fill(`#f-${f}`, `${f}：第一稿的文字。`);
    await page.selectOption('#f-law_ref1', 'xingzheng-chufa-fa');
    await page.fill('#f-law_article1', '51');
    await Promise.all([page.waitForNavigation(), page.click('button[value="save"]')]);
    await page.fill('#f-title', '浏览器里的第二稿（示例）');
    await page.fill('#f-facts', 'facts：第二稿的文字。');
    await Promise.all([page.waitForNavigation(), page.click('button[value="save"]')]);
    assert.match(await page.getByRole('status').innerText(), /第 2 版/);

    // the preview: the public page, styled by its own sheet, with the banner
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '预览网站页面' }).click()]);
    assert.equal(new URL(page.url()).pathname, '/console/cases/2026-970/preview');
    assert.match(await page.locator('.preview-banner').innerText(), /预览：尚未发布/);
    assert.match(await page.locator('h1').innerText(), /浏览器里的第二稿/);
    assert.equal(await page.locator('.preview-banner').evaluate((e) => getComputedStyle(e).backgroundColor),
      'rgb(255, 243, 191)', 'site.css loaded and applied');
    await noViolations(page, 'preview');
    await screenshot(page, 'console-case-preview-1280');

    // the history, and what the second version changed
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '返回工作台' }).click()]);
    assert.equal(new URL(page.url()).pathname, '/console/cases/2026-970/history');
    await noViolations(page, 'history');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '第 2 版改了什么' }).click()]);
    assert.match(await page.locator('.diff-single del').first().innerText(), /第一稿/);
    assert.match(await page.locator('.diff-single ins').first().innerText(), /第二稿/);
    await noViolations(page, 'diff');
    await screenshot(page, 'console-case-diff-1280');

    // restore the first version as a new draft
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '返回版本历史' }).click()]);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '恢复第 1 版为新草稿' }).click()]);
    assert.match(await page.getByRole('status').innerText(), /第 3 版草稿/);
    await page.goto(`${s.consoleBase}/console/cases/2026-970/edit`);
    assert.equal(await page.inputValue('#f-title'), '浏览器里的第一稿（示例）');

    // delete, find it under 已删除, bring it back
    await page.goto(`${s.consoleBase}/console/cases/2026-970/history`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '删除这篇草稿' }).click()]);
    assert.match(await page.getByRole('status').innerText(), /草稿已删除/);
    await noViolations(page, 'history of a deleted draft');
    await page.goto(`${s.consoleBase}/console/cases`);
    assert.equal(await page.getByRole('link', { name: '浏览器里的第一稿（示例）' }).count(), 0);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '已删除' }).click()]);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '浏览器里的第一稿（示例）' }).click()]);
    await page.goto(`${s.consoleBase}/console/cases/2026-970/history`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '恢复这篇草稿' }).click()]);
    assert.match(await page.getByRole('status').innerText(), /草稿已恢复/);
    await page.goto(`${s.consoleBase}/console/cases`);
    assert.equal(await page.getByRole('link', { name: '浏览器里的第一稿（示例）' }).count(), 1);

    assert.deepEqual(refused, [], 'the CSP refused nothing');
    assert.deepEqual(failed, [], 'every request of every page answered');
  } finally {
    await context.close();
  }
});
