// nojs.test.mjs: with JavaScript off, / still shows its content and the elderly-mode
// switch still works (a plain GET form: the cookie is set and the page changes).
// tests: 2
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startWithBrowser, stopWithBrowser, newContext, screenshot, htmlClasses, modeCookie, switchMode,
  MODE_COOKIE, ELDER_CLASS,
} from './browser.mjs';

let s, browser;
before(async () => ({ s, browser } = await startWithBrowser()));
after(() => stopWithBrowser(s, browser));

async function noJsPage() {
  const context = await newContext(browser, { javaScriptEnabled: false });
  return { context, page: await context.newPage() };
}

test('without JavaScript, / renders its main content', async () => {
  const { context, page } = await noJsPage();
  try {
    const res = await page.goto(`${s.base}/`);
    assert.equal(res.status(), 200);
    const main = page.locator('main#main');
    assert.equal(await main.count(), 1, 'one <main id="main">');
    assert.ok(await main.isVisible(), '<main> is visible');
    assert.match(await main.innerText(), /最新典型案例/, 'the latest cases are listed');
    assert.ok(await main.locator('a[href^="/cases/"]').count() > 0, 'with links to cases');
    assert.ok(await page.getByRole('navigation').first().isVisible(), 'the navigation is visible');
    await screenshot(page, 'home-nojs-1280');
  } finally {
    await context.close();
  }
});

test('without JavaScript, the elderly-mode switch sets the cookie and the class, and back', async () => {
  const { context, page } = await noJsPage();
  try {
    await page.goto(`${s.base}/`);
    assert.ok(!(await htmlClasses(page)).includes(ELDER_CLASS), 'normal mode to begin with');
    await switchMode(page, 'elder');
    const cookie = await modeCookie(context);
    assert.equal(cookie?.value, 'elder', `${MODE_COOKIE} after switching: ${JSON.stringify(await context.cookies())}`);
    assert.ok((await htmlClasses(page)).includes(ELDER_CLASS),
      `the page the switch leads to (${page.url()}) should have <html class="${ELDER_CLASS}">`);
    await page.goto(`${s.base}/cases/2023-001`);
    assert.ok((await htmlClasses(page)).includes(ELDER_CLASS), 'elderly mode persists on the next page');
    await screenshot(page, 'case-2023-001-elder-nojs-1280');
    await switchMode(page, 'normal');
    const back = await modeCookie(context);
    assert.ok(!back || back.value === 'normal', `${MODE_COOKIE} after switching back: ${JSON.stringify(back)}`);
    assert.ok(!(await htmlClasses(page)).includes(ELDER_CLASS), 'normal mode again after switching back');
  } finally {
    await context.close();
  }
});
