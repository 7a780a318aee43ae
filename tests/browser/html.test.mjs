// html.test.mjs: the HTML of every kind of page, in normal and in elderly mode, is
// valid by the Nu HTML Checker (vnu.jar from vnu-jar, run on the machine's Java).
// The pages are saved under build/test-output/html/ for whoever reads a failure.
// tests: 97
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startStack, get, PAGES, OUT, MODE_COOKIE, CONSOLE_PAGES, consoleAccounts, consoleItems, consoleSignIn, NU_JAVA } from './browser.mjs';

const DIR = resolve(OUT, 'html');	// vnu names files by absolute path

const MODES = [
  { mode: 'normal', headers: {} },
  { mode: 'elder', headers: { cookie: `${MODE_COOKIE}=elder` } },
];

let s;
const files = [];	// { label, file, status }
const errors = new Map();	// absolute file path -> [messages]
const unplaced = [];	// messages about no page of files

before(async () => {
  s = await startStack({ signinRate: 'off' });	// the console's pages sign in often
  mkdirSync(DIR, { recursive: true });
  for (const { mode, headers } of MODES) {
    for (const p of PAGES) {
      const r = await get(`${s.base}${p.path}`, { headers });
      const file = join(DIR, `${p.name}${mode === 'elder' ? '-elder' : ''}.html`);
      writeFileSync(file, r.body);
      files.push({ label: `${p.path} (${mode})`, path: p.path, file, status: r.status, want: p.status,
        type: r.headers.get('content-type') });
    }
  }
  // The staff console's pages, signed in where they need it.
  consoleAccounts(s);
  await consoleItems(s);
  for (const p of CONSOLE_PAGES) {
    const headers = p.as ? { cookie: `fazhi_console=${await consoleSignIn(s, p.as)}` } : {};
    const r = await get(`${s.consoleBase}${p.path}`, { headers });
    const file = join(DIR, `${p.name}.html`);
    writeFileSync(file, r.body);
    files.push({ label: `console ${p.path} (${p.as ?? 'signed out'})`, path: p.path, as: p.as, file,
      status: r.status, want: p.status, type: r.headers.get('content-type') });
  }
  const run = spawnSync('java', [...NU_JAVA, ...files.map((f) => f.file)],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error) throw new Error(`could not run java: ${run.error.message}`);
  let report;
  try {
    report = JSON.parse(run.stderr || run.stdout);	// vnu writes its report to stderr
  } catch {
    throw new Error(`vnu.jar gave no JSON report (status ${run.status}):\n${run.stderr}\n${run.stdout}`);
  }
  const known = new Set(files.map((f) => resolve(f.file)));
  for (const m of report.messages) {
    const key = m.url ? resolve(decodeURIComponent(new URL(m.url).pathname)) : '';	// vnu says file:/path
    if (!known.has(key)) { unplaced.push(m); continue; }
    if (!errors.has(key)) errors.set(key, []);
    errors.get(key).push(m);
  }
});
after(async () => { await s?.stop(); });

function describe(m) {
  const at = m.lastLine ? `line ${m.firstLine ?? m.lastLine}, column ${m.firstColumn ?? m.lastColumn}` : 'document';
  const extract = m.extract ? `\n      ${m.extract.replace(/\s+/g, ' ').trim()}` : '';
  return `  ${m.type}${m.subType ? `/${m.subType}` : ''} at ${at}: ${m.message}${extract}`;
}

for (const { mode } of MODES) {
  for (const p of PAGES) {
    test(`${p.path} (${mode}) is valid HTML`, () => {
      const f = files.find((x) => x.path === p.path && x.label.endsWith(`(${mode})`));
      const problems = [];
      if (f.status !== f.want) problems.push(`  answered ${f.status}, not ${f.want}`);
      if (!/^text\/html/.test(f.type ?? '')) problems.push(`  content-type ${f.type}, not text/html`);
      const found = errors.get(resolve(f.file)) || [];	// --errors-only: every one is an error
      problems.push(...found.map(describe));
      assert.equal(problems.length, 0, `${f.label}, saved as ${f.file}: ` +
        `${found.length} Nu HTML Checker errors\n${problems.join('\n')}`);
    });
  }
}

for (const p of CONSOLE_PAGES) {
  test(`console ${p.path} (${p.as ?? 'signed out'}) is valid HTML`, () => {
    const f = files.find((x) => x.label === `console ${p.path} (${p.as ?? 'signed out'})`);
    const problems = [];
    if (f.status !== f.want) problems.push(`  answered ${f.status}, not ${f.want}`);
    if (!/^text\/html/.test(f.type ?? '')) problems.push(`  content-type ${f.type}, not text/html`);
    const found = errors.get(resolve(f.file)) || [];	// --errors-only: every one is an error
    problems.push(...found.map(describe));
    assert.equal(problems.length, 0, `${f.label}, saved as ${f.file}: ` +
      `${found.length} Nu HTML Checker errors\n${problems.join('\n')}`);
  });
}

test('every Nu HTML Checker message belongs to a page checked above', () => {
  assert.equal(unplaced.length, 0, `vnu.jar reported errors about no page:\n${unplaced.map((m) =>
    `  ${m.url ?? '(no file)'}:${describe(m)}`).join('\n')}`);
});

test('the Nu HTML Checker reports errors it is given', () => {
  // So that a silent checker cannot pass every page: a known-bad document must fail.
  const bad = join(DIR, 'known-bad.html');
  writeFileSync(bad, '<!DOCTYPE html><html lang="zh-CN"><head><title>x</title></head><body><p><div></p></body></html>');
  const run = spawnSync('java', [...NU_JAVA, bad], { encoding: 'utf8' });
  const report = JSON.parse(run.stderr);
  assert.ok(report.messages.some((m) => m.type === 'error'), `no error reported: ${run.stderr}`);
});
