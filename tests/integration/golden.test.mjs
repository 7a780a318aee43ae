// golden.test.mjs: every file in tests/content/broken/ has one problem (or a few), and
// `fazhi check` must report exactly what its .expected file says. A file named
// FOLDER--NAME.xml is checked as content/FOLDER/NAME.xml (penalties--records.xml as
// the penalty store). `make golden` rewrites the .expected files from the output and
// shows the difference (UPDATE_GOLDEN=1, which `make test` refuses).
// tests: 85
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, FAZHI, testContent, tempDir } from './stack.mjs';

const BROKEN = join(ROOT, 'tests', 'content', 'broken');

for (const file of readdirSync(BROKEN).filter((f) => f.endsWith('.xml')).sort()) {
  test(`golden: ${file}`, () => {
    const [folder, name] = file.replace(/\.xml$/, '').split('--');
    const content = testContent(tempDir());
    const target = join(content, folder, `${name}.xml`);
    copyFileSync(join(BROKEN, file), target);
    const r = spawnSync(FAZHI, ['check', '--content', content, target], { encoding: 'utf8' });
    const got = r.stderr.split(`${content}/`).join('');
    const expectedFile = join(BROKEN, file.replace(/\.xml$/, '.expected'));
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedFile, got);
    assert.ok(existsSync(expectedFile), `${expectedFile} is missing`);
    assert.equal(r.status, 1, 'check fails');
    assert.equal(got, readFileSync(expectedFile, 'utf8'));
    assert.doesNotMatch(r.stderr + r.stdout, /root:x:0:0/, 'nothing read from outside');
  });
}

// content/README.md §6 quotes messages as `FOLDER/NAME.xml:L:C: message`: each must be
// what the golden file of that name gives, word for word.
test('every message content/README.md quotes is what check prints', () => {
  const readme = readFileSync(join(ROOT, 'content', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## 6. '), readme.indexOf('## 7. '));
  const quoted = [...section.matchAll(/`((cases|guides|pufa|credit|penalties)\/([^`/]+)\.xml:\d+:\d+: [^`]+)`/g)];
  assert.ok(quoted.length >= 40, `${quoted.length} messages quoted`);
  for (const [, line, folder, name] of quoted) {
    const expected = join(BROKEN, `${folder}--${name}.expected`);
    assert.ok(existsSync(expected), `${line}: no golden file ${folder}--${name}`);
    assert.ok(readFileSync(expected, 'utf8').split('\n').includes(line), `${line}: not what ${folder}--${name} gives`);
  }
});
