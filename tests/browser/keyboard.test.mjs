// keyboard.test.mjs: at desktop width, Tab from the top of / reaches the skip link
// first, then the elderly-mode switch and the main navigation in that order, and
// every element that takes focus shows that it has it.
// tests: 4
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWithBrowser, stopWithBrowser, newContext, MODE_SWITCH_NAME } from './browser.mjs';

const NAV = ['首页', '典型案例', '信用修复', '普法宣传'];
const MAX_TABS = 150;	// more than / has focusable elements

let s, browser;
before(async () => ({ s, browser } = await startWithBrowser()));
after(() => stopWithBrowser(s, browser));

// What has focus now: enough to recognise it and to judge its focus indicator.
async function focused(page) {
  const info = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    if (el.__tabSeen) return { again: true };	// focus came back round
    el.__tabSeen = true;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' '),
      href: el.getAttribute('href'),
      name: el.getAttribute('name'),
      value: el.getAttribute('value'),
      inNav: !!el.closest('nav'),
      inMain: !!el.closest('main'),
      outlineStyle: cs.outlineStyle,
      outlineWidth: cs.outlineWidth,
      boxShadow: cs.boxShadow,
      rect: { x: r.x, y: r.y, width: r.width, height: r.height },
      viewport: { width: innerWidth, height: innerHeight },
    };
  });
  if (!info || info.again) return info;
  // The accessible name as assistive technology computes it, for the mode switch.
  const focusedEl = page.locator(':focus');
  info.isModeSwitch = (await page.getByRole('button', { name: MODE_SWITCH_NAME }).and(focusedEl).count()) === 1;
  return info;
}

function label(f) {
  if (!f) return '(body)';
  const bits = [f.tag];
  if (f.href !== null) bits.push(`href="${f.href}"`);
  if (f.name !== null) bits.push(`name="${f.name}"`);
  if (f.value !== null) bits.push(`value="${f.value}"`);
  return `<${bits.join(' ')}> "${f.text.slice(0, 40)}"${f.inNav ? ' in nav' : ''}`;
}

function hasFocusIndicator(f) {
  const outline = f.outlineStyle !== 'none' && parseFloat(f.outlineWidth) > 0;
  const shadow = f.boxShadow && f.boxShadow !== 'none';
  return outline || shadow;
}

// Tabs from the top of the page until focus comes back round (or MAX_TABS).
async function tabWalk(page) {
  const seen = [];
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f || f.again) break;	// off the page, or round to the start
    seen.push(f);
  }
  return seen;
}

let walk;
async function walkHome() {
  if (walk) return walk;
  const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${s.base}/`);
    walk = await tabWalk(page);
    return walk;
  } finally {
    await context.close();
  }
}

test('the first Tab on / reaches the skip link to #main, and it is visible', async () => {
  const seen = await walkHome();
  const first = seen[0];
  assert.ok(first, 'Tab focused nothing');
  assert.equal(first.tag, 'a', `first focus: ${label(first)}`);
  assert.equal(first.text, '跳到正文', `first focus: ${label(first)}`);
  assert.equal(first.href, '#main', `first focus: ${label(first)}`);
  const { rect, viewport } = first;
  assert.ok(rect.width >= 1 && rect.height >= 1 && rect.x >= 0 && rect.y >= 0 &&
    rect.x + rect.width <= viewport.width && rect.y + rect.height <= viewport.height,
  `the focused skip link must be on screen; its box is ${JSON.stringify(rect)}`);
});

test('Tab then reaches the elderly-mode switch and the main navigation, in order', async (t) => {
  const seen = await walkHome();
  t.diagnostic(`focus order on /: ${seen.map(label).join(', ')}`);
  const wanted = [
    { what: 'the elderly-mode switch (a button named like 长者模式)', is: (f) => f.isModeSwitch },
    ...NAV.map((t) => ({ what: `the navigation link ${t}`, is: (f) => f.tag === 'a' && f.inNav && f.text === t })),
  ];
  let at = 1;	// after the skip link
  for (const w of wanted) {
    const i = seen.findIndex((f, j) => j >= at && w.is(f));
    assert.ok(i >= 0, `Tab did not reach ${w.what} after position ${at}; focus order was:\n` +
      seen.map((f, j) => `  ${j + 1}. ${label(f)}`).join('\n'));
    at = i + 1;
  }
});

test('every element Tab reaches on / shows a focus indicator', async () => {
  const seen = await walkHome();
  assert.ok(seen.length > 0, 'Tab focused nothing');
  const bare = seen.filter((f) => !hasFocusIndicator(f));
  assert.equal(bare.length, 0, 'focused with no outline and no box-shadow:\n' +
    bare.map((f) => `  ${label(f)}: outline ${f.outlineStyle} ${f.outlineWidth}, box-shadow ${f.boxShadow}`).join('\n'));
});

test('the skip link moves keyboard focus into the main content', async () => {
  const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${s.base}/`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    // The jump is a same-page navigation: wait for it (a timeout fails the test).
    await page.waitForURL(/#main$/, { timeout: 3000 });
    assert.match(page.url(), /#main$/);
    await page.keyboard.press('Tab');
    const f = await focused(page);
    assert.ok(f?.inMain, `the Tab after the skip link should land inside <main>, not on ${label(f)}`);
  } finally {
    await context.close();
  }
});
