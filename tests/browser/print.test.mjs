// print.test.mjs: a case, a guide and a calculator answer print cleanly on A4, in
// normal and in elderly mode. With print media emulated: no navigation, header strip,
// breadcrumbs, table of contents, read-aloud buttons or forms; the content is there;
// every link in the main content shows its address after it; nothing is wider than
// A4's printable width. Each is also printed to PDF with the stylesheet's own page
// size, which must be A4 (build/test-output/print/<page>[-elder].pdf).
// tests: 7
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startWithBrowser, stopWithBrowser, newContext, OUT, MODE_COOKIE } from './browser.mjs';

const DIR = join(OUT, 'print');
// A4 less the stylesheet's 15 mm side margins: 180 mm at 96 CSS px to the inch.
const PRINTABLE = { width: Math.floor(180 / 25.4 * 96), height: 1000 };
const A4_POINTS = [595.28, 841.89];

const PAGES = [
  { name: 'case-2023-001', path: '/cases/2023-001', content: '某运输公司渣土车抛洒滴漏案（示例）', links: true },
  { name: 'credit-penalty-repair', path: '/credit/penalty-repair', content: '办理步骤', links: true },
  { name: 'credit-check-answer', path: '/credit/check?date=2026-03-31&procedure=general&kind=fine&kind=confiscate-gains&fine=5000&domain=shirong&tier=&fulfilled=2026-04-10',
    content: '计算结果', links: true, form: '.credit-form' },
];

// What must not print: navigation and controls.
const HIDDEN = ['.skip', '.top-bar', '.main-nav', '.crumbs', '.toc', '.foot-links', '.read-aloud',
  '.search-form', '.credit-form', 'main button'];

let s, browser;
before(async () => {
  ({ s, browser } = await startWithBrowser());
  mkdirSync(DIR, { recursive: true });
});
after(() => stopWithBrowser(s, browser));

// Runs in the page: what prints that should not, links without their address, and
// how wide the page is.
function printCheck(hidden) {
  const shown = (el) => {
    for (let e = el; e; e = e.parentElement) if (getComputedStyle(e).display === 'none') return false;
    return true;
  };
  const visible = [];
  for (const sel of hidden)
    for (const el of document.querySelectorAll(sel)) if (shown(el)) visible.push(sel);
  const bare = [];
  let links = 0;
  for (const a of document.querySelectorAll('main a[href]')) {
    const href = a.getAttribute('href');
    if (!/^(\/|https?:)/.test(href) || !shown(a)) continue;
    links++;
    if (!getComputedStyle(a, '::after').content.includes(href)) bare.push(`${a.textContent.trim()} -> ${href}`);
  }
  return {
    visible, bare, links,
    scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
    url: shown(document.querySelector('.print-url')) ? document.querySelector('.print-url').textContent : null,
    text: document.querySelector('main').innerText,
  };
}

for (const mode of ['normal', 'elder']) {
  for (const p of PAGES) {
    test(`${p.name} (${mode}) prints cleanly on A4`, async () => {
      const context = await newContext(browser, { viewport: PRINTABLE });
      try {
        if (mode === 'elder') await context.addCookies([{ name: MODE_COOKIE, value: 'elder', url: s.base }]);
        const page = await context.newPage();
        await page.goto(`${s.base}${p.path}`);
        if (p.form) assert.ok(await page.locator(p.form).isVisible(), `on screen, ${p.form} shows`);
        await page.emulateMedia({ media: 'print' });
        const r = await page.evaluate(printCheck, HIDDEN);
        assert.deepEqual(r.visible, [], 'navigation and controls that print');
        assert.match(r.text, new RegExp(p.content), 'the content prints');
        assert.ok(r.links > 0, 'links in the content');
        assert.deepEqual(r.bare, [], 'links printed without their address');
        assert.ok(r.scroll <= r.width, `the page is ${r.scroll} px wide, more than A4's ${r.width} px`);
        assert.match(r.url ?? '', /^本页网址：https?:\/\/\S+/, 'the page\'s own address prints');
        const file = join(DIR, `${p.name}${mode === 'elder' ? '-elder' : ''}.pdf`);
        const pdf = await page.pdf({ path: file, preferCSSPageSize: true, printBackground: false });
        const box = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/);
        assert.ok(box, `${file}: no MediaBox`);
        assert.ok(Math.abs(box[1] - A4_POINTS[0]) < 1 && Math.abs(box[2] - A4_POINTS[1]) < 1,
          `${file}: page ${box[1]} x ${box[2]} pt, not A4 (${A4_POINTS.join(' x ')})`);
      } finally {
        await context.close();
      }
    });
  }
}

test('on screen, the navigation shows and link addresses do not', async () => {
  // So that a check that sees everything hidden, or every address shown, cannot pass.
  const context = await newContext(browser, { viewport: PRINTABLE });
  try {
    const page = await context.newPage();
    await page.goto(`${s.base}/cases/2023-001`);
    const r = await page.evaluate(printCheck, HIDDEN);
    assert.ok(r.visible.includes('.main-nav') && r.visible.includes('.crumbs') && r.visible.includes('.toc'));
    assert.ok(r.bare.length > 0, 'on screen no address follows a link');
    assert.equal(r.url, null, 'the page address is for print only');
  } finally {
    await context.close();
  }
});
