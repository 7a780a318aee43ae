// a11y.test.mjs: every kind of page, in normal and in elderly mode, at a phone's and
// a desktop's width, has no axe-core violations of WCAG 2.1 A and AA; a screenshot
// of each goes to build/test-output/screenshots/<page>[-elder]-<width>.png.
// tests: 97
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startWithBrowser, stopWithBrowser, newContext, runAxe, formatViolations, screenshot, htmlClasses, modeCookie,
  switchMode, PAGES, WIDTHS, MODE_COOKIE, ELDER_CLASS, CONSOLE_PAGES, consoleAccounts, consoleItems, consoleSignIn,
} from './browser.mjs';

let s, browser;
before(async () => {
  ({ s, browser } = await startWithBrowser());
  consoleAccounts(s);
  await consoleItems(s);
});
after(() => stopWithBrowser(s, browser));

// Switches a fresh page to elderly mode the way a visitor does: the button in the
// header of /. Fails (does not skip) when the switch is not there or does not stick.
async function enterElderMode(page) {
  await page.goto(`${s.base}/`);
  await switchMode(page, 'elder');
  const cookie = await modeCookie(page.context());
  assert.equal(cookie?.value, 'elder', `the switch should set the cookie ${MODE_COOKIE}=elder; cookies: ` +
    JSON.stringify(await page.context().cookies()));
  await page.goto(`${s.base}/cases/`);
  assert.ok((await htmlClasses(page)).includes(ELDER_CLASS),
    `after switching, the next page (/cases/) should have <html class="${ELDER_CLASS}">; ` +
    `has class="${(await htmlClasses(page)).join(' ')}"`);
}

// Visits one page at each width: saves a screenshot, checks the status and the mode,
// and runs axe on a page that answered as it should; returns the problems found,
// each labelled with the page, mode and width.
async function checkPage(page, p, mode, base = s.base, widths = WIDTHS) {
  const found = [];
  for (const width of widths) {
    const where = `${p.path} ${mode} ${width}px`;
    await page.setViewportSize({ width, height: 900 });
    const res = await page.goto(`${base}${p.path}`, { waitUntil: 'load' });
    await screenshot(page, `${p.name}${mode === 'elder' ? '-elder' : ''}-${width}`);
    if (res.status() !== p.status) {
      found.push(`${where}: answered ${res.status()}, not ${p.status}; not checked further`);
      continue;
    }
    const elder = (await htmlClasses(page)).includes(ELDER_CLASS);
    if (elder !== (mode === 'elder'))
      found.push(`${where}: <html> class ${ELDER_CLASS} ${elder ? 'present' : 'missing'}`);
    const v = await runAxe(page);
    if (v.length) found.push(formatViolations(v, `${where} `));
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (wide > 0) found.push(`${where}: ${wide} px wider than the screen (scrolls sideways)`);
  }
  return found;
}

for (const mode of ['normal', 'elder']) {
  for (const p of PAGES) {
    test(`${p.path} in ${mode} mode has no WCAG 2.1 AA violations`, async () => {
      const context = await newContext(browser);
      try {
        const page = await context.newPage();
        if (mode === 'elder') await enterElderMode(page);
        const found = await checkPage(page, p, mode);
        assert.equal(found.length, 0, `problems:\n${found.join('\n')}`);
      } finally {
        await context.close();
      }
    });
  }
}

// The staff console: no display modes, signed in with a session cookie where the
// page needs one; at a tablet's width and a desktop's.
const CONSOLE_WIDTHS = [768, 1280];
for (const p of CONSOLE_PAGES) {
  test(`console ${p.path}${p.as ? ` (signed in as ${p.as})` : ''} has no WCAG 2.1 AA violations`, async () => {
    const context = await newContext(browser);
    try {
      if (p.as) await context.addCookies([{ name: 'fazhi_console', value: await consoleSignIn(s, p.as),
        url: s.consoleBase, httpOnly: true, sameSite: 'Strict' }]);
      const page = await context.newPage();
      const found = await checkPage(page, p, 'normal', s.consoleBase, CONSOLE_WIDTHS);
      assert.equal(found.length, 0, `problems:\n${found.join('\n')}`);
    } finally {
      await context.close();
    }
  });
}

test('the elderly-mode switch persists across pages and switches back', async () => {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await enterElderMode(page);
    await page.goto(`${s.base}/cases/2023-001`);
    assert.ok((await htmlClasses(page)).includes(ELDER_CLASS), 'still elderly mode on a case page');
    await switchMode(page, 'normal');
    const cookie = await modeCookie(context);
    assert.ok(!cookie || cookie.value === 'normal', `back to normal: cookie ${JSON.stringify(cookie)}`);
    await page.goto(`${s.base}/`);
    assert.ok(!(await htmlClasses(page)).includes(ELDER_CLASS), 'normal mode again on /');
  } finally {
    await context.close();
  }
});

test('axe-core reports violations it is given', async () => {
  // So that an axe that silently checks nothing cannot pass every page.
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.setContent('<!DOCTYPE html><html><head><title>x</title></head><body><main>' +
      '<img src="data:,"><a href="/"></a><p style="color:#eee;background:#fff">浅色文字</p></main></body></html>');
    const ids = (await runAxe(page)).map((v) => v.id).sort();
    assert.deepEqual(ids, ['color-contrast', 'html-has-lang', 'image-alt', 'link-name']);
  } finally {
    await context.close();
  }
});
