// phone.test.mjs: the site laid out for a phone first (375 x 667 CSS px, normal and
// elderly mode): breadcrumbs never leave a separator alone on a line; the home page's
// credit-repair entry is within the first two screens; a search or a record look-up,
// once submitted, opens at its answer rather than at the form.
// tests: 9
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWithBrowser, stopWithBrowser, newContext, screenshot, MODE_COOKIE } from './browser.mjs';

const PHONE = { width: 375, height: 667 };
const MODES = ['normal', 'elder'];

let s, browser;
before(async () => ({ s, browser } = await startWithBrowser()));
after(() => stopWithBrowser(s, browser));

async function phonePage(mode) {
  const context = await newContext(browser, { viewport: PHONE });
  if (mode === 'elder') await context.addCookies([{ name: MODE_COOKIE, value: 'elder', url: s.base }]);
  return { context, page: await context.newPage() };
}

// Pages with breadcrumbs, the item pages among them with long titles.
const CRUMB_PAGES = ['/cases/2023-001', '/cases/2024-002', '/credit/penalty-repair', '/pufa/2025-guoan-day',
  '/cases/', '/about', '/search?q=%E5%BB%BA%E7%AD%91'];

// Runs in the page: each crumb whose content does not start on the crumb's first line
// (something, such as a separator, sits alone above it), or which takes more lines
// than its content (a separator wrapped onto a line of its own). An inline box is
// shorter than its line, so "on the first line" means within half a line of it.
function crumbProblems() {
  const out = [];
  const items = [...document.querySelectorAll('.crumbs li')];
  if (items.length < 2) return [`${items.length} breadcrumb items`];
  items.forEach((li, i) => {
    const r = li.getBoundingClientRect();
    const kid = li.firstElementChild;
    if (!kid) { out.push(`item ${i + 1} has no link or text element`); return; }
    const rects = kid.getClientRects();
    const first = rects[0], last = rects[rects.length - 1];
    const half = (parseFloat(getComputedStyle(li).lineHeight) || 20) / 2;
    const what = `item ${i + 1} "${li.textContent.trim().slice(0, 20)}"`;
    if (first.top - r.top > half) out.push(`${what}: its text starts ${Math.round(first.top - r.top)} px below the item's top`);
    if (r.bottom - last.bottom > half) out.push(`${what}: ${Math.round(r.bottom - last.bottom)} px of the item below its text`);
  });
  return out;
}

for (const mode of MODES) {
  test(`breadcrumbs at 375 px (${mode}): no separator alone on a line`, async () => {
    const { context, page } = await phonePage(mode);
    try {
      const problems = [];
      for (const path of CRUMB_PAGES) {
        await page.goto(`${s.base}${path}`);
        for (const p of await page.evaluate(crumbProblems)) problems.push(`${path}: ${p}`);
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test(`home at 375 px (${mode}): the credit-repair entry within the first two screens`, async () => {
    const { context, page } = await phonePage(mode);
    try {
      await page.goto(`${s.base}/`);
      const at = await page.evaluate(() => {
        const top = (el) => el ? el.getBoundingClientRect().top + window.scrollY : null;
        return {
          heading: top(document.getElementById('credit-entry')),
          calculator: top(document.querySelector('main a[href="/credit/check"]')),
          lookup: top(document.querySelector('main a[href="/credit/lookup"]')),
          screen: window.innerHeight,
        };
      });
      for (const k of ['heading', 'calculator', 'lookup']) {
        assert.notEqual(at[k], null, `the credit entry's ${k} is on the page`);
        assert.ok(at[k] < 2 * at.screen - 44, `the credit entry's ${k} at ${Math.round(at[k])} px, ` +
          `past the first two screens (${2 * at.screen} px)`);
      }
      await screenshot(page, `home-phone${mode === 'elder' ? '-elder' : ''}-375x667`);
    } finally {
      await context.close();
    }
  });

  test(`search at 375 px (${mode}): after submitting, the results are on the first screen`, async () => {
    const { context, page } = await phonePage(mode);
    try {
      await page.goto(`${s.base}/`);
      await page.getByLabel('搜索案例、指南和普法资料').fill('建筑');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
        page.getByRole('button', { name: '搜索', exact: true }).click()]);
      assert.equal(new URL(page.url()).hash, '#results', `the answer opens at #results: ${page.url()}`);
      const at = await page.evaluate(() => {
        const count = document.getElementById('results');
        const first = document.querySelector('.search-results a');
        return { count: count?.getBoundingClientRect().top, first: first?.getBoundingClientRect().bottom,
          screen: window.innerHeight };
      });
      assert.ok(at.count >= -1 && at.count < 100, `the result count starts at ${at.count} px: at the top of the screen`);
      assert.ok(at.first > 0 && at.first <= at.screen, `the first result ends at ${at.first} px: on the first screen`);
      // The filter form below the results leads back to them as well.
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
        page.getByRole('button', { name: '筛选', exact: true }).click()]);
      assert.equal(new URL(page.url()).hash, '#results', `the filter form opens at #results: ${page.url()}`);
    } finally {
      await context.close();
    }
  });
}

for (const mode of MODES) {
  test(`look-up at 375 px (${mode}): after submitting, the record is on the first screen`, async () => {
    const { context, page } = await phonePage(mode);
    try {
      await page.goto(`${s.base}/credit/lookup`);
      await page.getByLabel('处罚决定书文号或统一社会信用代码').fill('9133090381B621CLXP');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
        page.getByRole('button', { name: '查询', exact: true }).click()]);
      assert.equal(new URL(page.url()).hash, '#answer', `the answer opens at #answer: ${page.url()}`);
      const top = await page.evaluate(() => document.getElementById('answer')?.getBoundingClientRect().top);
      assert.ok(top >= -1 && top < 100, `the answer starts at ${top} px: at the top of the screen`);
    } finally {
      await context.close();
    }
  });
}

test('the breadcrumb check finds a separator alone on a line', async () => {
  // The layout this file guards against: the separator before a title too long to
  // share its line, so the title moves down and leaves "›" by itself.
  const context = await newContext(browser, { viewport: PHONE });
  try {
    const page = await context.newPage();
    await page.setContent('<!DOCTYPE html><html lang="zh-CN"><body><nav class="crumbs"><ol ' +
      'style="list-style:none;display:flex;flex-wrap:wrap;padding:0"><li><a href="/">首页</a></li>' +
      '<li>› <span style="display:inline-block">在景区道路设施上乱张贴小广告被当场罚款案（示例）这是很长的标题</span></li>' +
      '</ol></nav></body></html>');
    const problems = await page.evaluate(crumbProblems);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /item 2/);
  } finally {
    await context.close();
  }
});
