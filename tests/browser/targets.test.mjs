// targets.test.mjs: tap targets measured in the browser, on every kind of page, in
// normal and in elderly mode, at a phone's width (375 px) and a desktop's (1280 px).
// Every visible link, button, input, select and textarea is measured by its bounding
// box (getBoundingClientRect), not by reading the CSS:
//   - everywhere: at least 24 x 24 CSS px (WCAG 2.2 SC 2.5.8, Target Size (Minimum));
//   - in elderly mode: at least 44 x 44 CSS px (适老化 guidance; WCAG 2.2 SC 2.5.5).
// The one exemption applied is 2.5.8's "Inline" exception: a link that is laid out
// inline (computed display "inline") inside running text, that is, whose nearest
// block ancestor holds text outside the link. A link alone in its list item, heading
// or paragraph is not inline text and is measured. Nothing is exempted by spacing.
// The smallest target of each page type and mode is written to
// build/test-output/targets.json.
// tests: 63
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWithBrowser, stopWithBrowser, newContext, PAGES, OUT, MODE_COOKIE } from './browser.mjs';

const MIN = { normal: 24, elder: 44 };
const SIZES = [{ width: 375, height: 667 }, { width: 1280, height: 900 }];

let s, browser;
const smallest = {};	// "page mode width" -> { w, h, what }
before(async () => ({ s, browser } = await startWithBrowser()));
after(async () => {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'targets.json'), JSON.stringify(smallest, null, 1));
  await stopWithBrowser(s, browser);
});

// Runs in the page: every target with its box, whether it is inline in running text,
// and a short description. The skip link sits off screen until focused: it is
// measured while focused, as a keyboard user meets it.
function measureTargets() {
  const sel = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const blockOf = (el) => {
    let p = el.parentElement;
    while (p && getComputedStyle(p).display.startsWith('inline')) p = p.parentElement;
    return p;
  };
  const inlineInText = (el) => {
    if (getComputedStyle(el).display !== 'inline') return false;
    const block = blockOf(el);
    if (!block) return false;
    const own = (el.textContent || '').replace(/\s+/g, '');
    const all = (block.textContent || '').replace(/\s+/g, '');
    return all.length > own.length;
  };
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    let r = el.getBoundingClientRect();
    if (r.right < 0 || r.bottom < 0) {
      el.focus();
      r = el.getBoundingClientRect();
      el.blur();
    }
    const cs = getComputedStyle(el);
    if (r.width === 0 && r.height === 0) continue;	// not rendered (display: none)
    if (cs.visibility === 'hidden') continue;
    const holder = el.parentElement && el.parentElement.closest('[class]');
    const label = (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '')
      .replace(/\s+/g, ' ').trim().slice(0, 30);
    out.push({
      w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10,
      inline: inlineInText(el),
      what: `<${el.tagName.toLowerCase()}${el.type ? ` type=${el.type}` : ''}${el.className ? ` class="${el.className}"` : ''}>${holder ? ` in .${holder.classList[0]}` : ''} "${label}"`,
    });
  }
  return out;
}

for (const mode of ['normal', 'elder']) {
  for (const p of PAGES) {
    test(`${p.path} in ${mode} mode: every target at least ${MIN[mode]} x ${MIN[mode]} px`, async () => {
      const context = await newContext(browser);
      try {
        if (mode === 'elder')
          await context.addCookies([{ name: MODE_COOKIE, value: 'elder', url: s.base }]);
        const page = await context.newPage();
        const problems = [];
        for (const size of SIZES) {
          await page.setViewportSize(size);
          await page.goto(`${s.base}${p.path}`, { waitUntil: 'load' });
          const targets = await page.evaluate(measureTargets);
          assert.ok(targets.length > 0, `${p.path}: no targets measured`);
          const key = `${p.name} ${mode} ${size.width}`;
          for (const t of targets) {
            if (t.inline) continue;
            const m = Math.min(t.w, t.h);
            if (!smallest[key] || m < Math.min(smallest[key].w, smallest[key].h)) smallest[key] = t;
            if (t.w < MIN[mode] || t.h < MIN[mode])
              problems.push(`${size.width}px: ${t.w} x ${t.h} ${t.what}`);
          }
        }
        assert.equal(problems.length, 0, `${p.path} (${mode}): targets under ${MIN[mode]} px:\n  ${problems.join('\n  ')}`);
      } finally {
        await context.close();
      }
    });
  }
}

test('the measurement finds a small target and exempts only inline text links', async () => {
  // So that a measurement that finds nothing cannot pass every page.
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.setContent('<!DOCTYPE html><html lang="zh-CN"><body><ul><li><a href="/a">目录</a></li></ul>' +
      '<p>请看<a href="/b">这里</a>的说明。</p><button style="height:20px">小</button></body></html>');
    const t = await page.evaluate(measureTargets);
    assert.equal(t.length, 3);
    assert.equal(t[0].inline, false, 'a link alone in its list item is measured');
    assert.ok(t[0].h < 24, `that link is ${t[0].h} px high: under 24 as plain inline text`);
    assert.equal(t[1].inline, true, 'a link in a sentence is inline');
    assert.equal(t[2].inline, false);
    assert.ok(t[2].h < 24);
  } finally {
    await context.close();
  }
});
