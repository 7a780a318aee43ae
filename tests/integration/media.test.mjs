// media.test.mjs: images and PDF files of an item, uploaded in the staff console
// through nginx (multipart, the one address with large bodies), typed by their content
// and re-encoded by fazhi console (libvips), listed on the item's media page, written
// into its XML on save, checked by `fazhi check`, copied into content/media/ on
// approval and served by nginx from disk on the public page. Hostile uploads are
// refused and store nothing; a JPEG's GPS data does not survive.
// tests: 11
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, addUser as addUserTo, staffSql, signedIn as signedInAs } from './staffclient.mjs';
import { FAZHI, ROOT, startStack, tempDir } from './stack.mjs';

const PW = 'correct horse battery';
const ID = '2026-951';
// The named limits of fcgi/media.h and fcgi/upload.h.
const MEDIA_MAX_BYTES = 10 * 1024 * 1024;
const MEDIA_MAX_PIXELS = 40 * 1000 * 1000;
const MEDIA_MAX_WIDTH = 1600;
const MEDIA_WIDTHS = [480, 960];
const MEDIA_MAX_ALT = 300;
const MEDIA_MAX_CAPTION = 600;
const MEDIA_MAX_PER_ITEM = 30;
const UPLOAD_MAX_BODY = MEDIA_MAX_BYTES + 64 * 1024;
const SCRIPT = '<script>alert(1)</script>';

let s, dir, media;
const f = {};	// the test files, by name

// Makes an image with libvips' command-line tool (vips black: an image of one colour).
function vips(name, w, h, bands = 3) {
  const p = join(dir, name);
  const r = spawnSync('vips', ['black', p, String(w), String(h), '--bands', String(bands)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(p);
}

// A small PDF, as a PDF writer makes one (header, objects, xref, trailer, %%EOF).
function pdf(extra = '') {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];
  let out = `%PDF-1.4\n${extra}`;
  const offs = [];
  objs.forEach((o, i) => { offs.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offs) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

before(async () => {
  s = await startStack({ workers: 1, signinRate: 'off' });
  media = join(s.dir, 'media');
  dir = tempDir('fazhi-media-');
  addUserTo(s.staffDb, 'ed', 'editor', PW, '起草人');
  addUserTo(s.staffDb, 'rev', 'reviewer', PW, '审核人');
  addUserTo(s.staffDb, 'boss', 'admin', PW);
  // a photo as a phone takes it: a JPEG wider than MEDIA_MAX_WIDTH, with GPS data,
  // the camera's make and a comment in its EXIF
  vips('photo.jpg', 2000, 1500);
  const ex = spawnSync('exiftool', ['-overwrite_original', '-GPSLatitude=29.95', '-GPSLatitudeRef=N',
    '-GPSLongitude=122.30', '-GPSLongitudeRef=E', '-Make=FazhiTestCam', '-UserComment=secret-note',
    join(dir, 'photo.jpg')], { encoding: 'utf8' });
  assert.equal(ex.status, 0, ex.stderr);
  f.jpeg = readFileSync(join(dir, 'photo.jpg'));
  assert.match(exif(join(dir, 'photo.jpg')), /\[GPS\][\s\S]*\[IFD0\]|\[IFD0\][\s\S]*\[GPS\]/, 'the upload has EXIF with GPS data');
  f.png = vips('chart.png', 640, 400);
  f.webp = vips('poster.webp', 800, 600);
  f.pdf = pdf();
  f.big = vips('big.png', 8000, Math.floor(MEDIA_MAX_PIXELS / 8000) + 1, 1);
  f.small = vips('small.png', 20, 20);
});
after(() => s?.stop());

// What exiftool finds in a file: every tag, one per line.
function exif(path) {
  return spawnSync('exiftool', ['-a', '-G1', '-s', path], { encoding: 'utf8' }).stdout;
}

const sql = (q) => staffSql(s.staffDb, q);
const mediaRows = () => Number(sql(`SELECT count(*) FROM media WHERE removed = 0 AND item = (SELECT id FROM item WHERE content_id = '${ID}')`));
const stored = () => (existsSync(media) ? readdirSync(media).filter((n) => !n.startsWith('.')) : []);

const signedIn = (name) => signedInAs(s.consoleBase, name, PW);

// POSTs a multipart upload to the item's media page: fields, and the file as name.
function upload(c, fields, data, filename = 'file.bin', path = `/console/media/cases/${ID}`) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (data !== null) fd.append('file', new Blob([data]), filename);
  return c.request(path, { method: 'POST', body: fd });
}

const complete = {
  title: '某工地夜间施工噪声案（示例）',
  published: '2026-11-21',
  domain: 'shirong',
  town: 'shenjiamen',
  procedure: 'general',
  keyword1: '噪声',
  gist: '夜间施工应当取得证明。',
  facts: '2026年10月，执法队员接到投诉（示例，当事人为虚构）。',
  outcome: '- 责令改正',
  law_ref1: 'zaosheng-wuran-fangzhi-fa', law_article1: '77', law_paragraph1: '1', law_item1: '2',
  explanation: '夜间施工影响居民休息。',
};

let ed;
test('an item must be saved before it has files; admins and strangers get nothing', async () => {
  ed = await signedIn('ed');
  let r = await ed.get(`/console/media/cases/${ID}`);
  assert.equal(r.status, 404);
  assert.match(r.body, /请先在编辑页保存/);
  r = await ed.post('/console/cases/new', { csrf: ed.token, id: ID, ...complete, action: 'save' });
  assert.equal(r.status, 200, r.body.slice(0, 300));
  r = await ed.get(`/console/cases/${ID}/edit`);
  assert.match(r.body, new RegExp(`href="/console/media/cases/${ID}"`), 'the editor links its media page');
  r = await ed.get(`/console/media/cases/${ID}`);
  assert.equal(r.status, 200);
  assert.match(r.body, /enctype="multipart\/form-data"/);
  assert.match(r.body, /name="alt"[^>]*required/);
  const boss = await signedIn('boss');
  r = await boss.get(`/console/media/cases/${ID}`);
  assert.equal(r.status, 403);
  // signed out: no page, no upload
  const anon = new Client(s.consoleBase);
  r = await anon.get(`/console/media/cases/${ID}`);
  assert.equal(r.status, 303);
  r = await upload(anon, { alt: '照片' }, f.png, 'a.png');
  assert.equal(r.status, 403);
  assert.equal(mediaRows(), 0);
  // the public site has no console, and no upload
  r = await fetch(`${s.base}/console/media/cases/${ID}`);
  assert.equal(r.status, 404);
});

test('a JPEG with GPS data, a PNG, a WebP and a PDF are taken; the JPEG is stored without its EXIF', async () => {
  let r = await upload(ed, { csrf: ed.token, alt: `执法队员在工地现场检查${SCRIPT}`, caption: '现场照片（示例）' },
    f.jpeg, 'IMG_0001.JPG');
  assert.equal(r.status, 303, r.body.slice(0, 500));
  assert.match(r.headers.get('location'), /done=uploaded/);
  r = await upload(ed, { csrf: ed.token, alt: '噪声检测结果示意图' }, f.png, 'chart.png');
  assert.equal(r.status, 303, r.body.slice(0, 500));
  r = await upload(ed, { csrf: ed.token, alt: '宣传海报' }, f.webp, 'poster.webp');
  assert.equal(r.status, 303, r.body.slice(0, 500));
  r = await upload(ed, { csrf: ed.token, alt: '行政处罚决定书（示例）' }, f.pdf, 'decision.pdf');
  assert.equal(r.status, 303, r.body.slice(0, 500));
  assert.equal(mediaRows(), 4);
  const rows = sql(`SELECT stored_name || ' ' || kind || ' ' || coalesce(width, 0) || ' ' || coalesce(height, 0) FROM media ORDER BY id`).split('\n');
  const [jpg, png, webp, pdfName] = rows.map((l) => l.split(' '));
  assert.match(jpg[0], /^[0-9a-f]{20}\.jpg$/, 'named by the server: a hash and the type found');
  assert.deepEqual(jpg.slice(1), ['image', String(MEDIA_MAX_WIDTH), String(MEDIA_MAX_WIDTH * 3 / 4)], 'MEDIA_MAX_WIDTH');
  assert.match(png[0], /^[0-9a-f]{20}\.png$/);
  assert.deepEqual(png.slice(1), ['image', '640', '400']);
  assert.match(webp[0], /^[0-9a-f]{20}\.webp$/);
  assert.match(pdfName[0], /^[0-9a-f]{20}\.pdf$/);
  assert.equal(pdfName[1], 'attachment');
  // the widths for srcset: smaller than the image only
  const files = stored();
  const stem = (n) => n.slice(0, 20);
  for (const w of MEDIA_WIDTHS) assert.ok(files.includes(`${stem(jpg[0])}-${w}.jpg`), `${w} px of the photo`);
  assert.ok(files.includes(`${stem(png[0])}-480.png`));
  assert.ok(!files.includes(`${stem(png[0])}-960.png`), 'no width wider than the image');
  // nothing of the photo's EXIF survives, in any width
  for (const n of files.filter((x) => x.startsWith(stem(jpg[0])))) {
    const tags = exif(join(media, n));
    assert.doesNotMatch(tags, /GPS|FazhiTestCam|secret-note|\[(IFD\d|ExifIFD|XMP[-\w]*|Photoshop|IPTC|ICC_Profile)\]/,
      `${n} has no EXIF, XMP, IPTC: ${tags}`);
  }
  // the PDF is kept as it came
  assert.deepEqual(readFileSync(join(media, pdfName[0])), f.pdf);
  // the page lists them, escaped, each image with its alt text
  r = await ed.get(`/console/media/cases/${ID}`);
  assert.match(r.body, /已上传的文件（4 个）/);
  assert.match(r.body, new RegExp(`<img src="/console/media/file/${stem(jpg[0])}-480\\.jpg" alt="执法队员在工地现场检查&lt;script&gt;`));
  assert.ok(!r.body.includes(SCRIPT));
  assert.match(r.body, /行政处罚决定书（示例）<\/a>（PDF，\d+ B）/);
  // each file through the console: signed in only, the right type, a PDF downloaded
  r = await ed.request(`/console/media/file/${jpg[0]}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/jpeg');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  r = await ed.request(`/console/media/file/${pdfName[0]}`);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.match(r.headers.get('content-disposition'), /^attachment/);
  r = await new Client(s.consoleBase).get(`/console/media/file/${jpg[0]}`);
  assert.equal(r.status, 303, 'not without a session');
  r = await fetch(`${s.consoleBase}/_console_media/${jpg[0]}`);
  assert.equal(r.status, 404, 'the folder itself is internal');
  r = await ed.get('/console/media/file/..%2f..%2fstaff.db');
  assert.equal(r.status, 404);
});

test('hostile uploads are refused, audited, and store nothing', async () => {
  const before = stored().length;
  const rows = mediaRows();
  const refuse = async (what, fields, data, filename, status, message) => {
    const r = await upload(ed, { csrf: ed.token, alt: '说明', ...fields }, data, filename);
    assert.equal(r.status, status, `${what}: ${r.body.slice(0, 400)}`);
    if (message) assert.match(r.body, message, what);
    assert.equal(mediaRows(), rows, `${what}: nothing recorded`);
    assert.equal(stored().length, before, `${what}: nothing stored`);
  };
  await refuse('HTML named .png', {}, Buffer.from(`<!DOCTYPE html><html><body>${SCRIPT}</body></html>`),
    'photo.png', 422, /只能上传 JPEG、PNG、WebP 图片或 PDF 文件/);
  await refuse('an SVG', {}, Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg">${SCRIPT}</svg>`),
    'logo.svg', 422, /只能上传/);
  await refuse('an SVG named .jpg', {}, Buffer.from(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`),
    'x.jpg', 422, /只能上传/);
  await refuse('a JPEG with HTML after it (a polyglot)', {},
    Buffer.concat([f.jpeg, Buffer.from(`<html>${SCRIPT}</html>`)]), 'p.jpg', 422, /网页代码/);
  await refuse('a PDF that is also HTML', {}, pdf(`%<html><body>${SCRIPT}</body></html>\n`), 'p.pdf', 422, /网页代码/);
  await refuse('a GIF', {}, Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'a.gif', 422, /只能上传/);
  await refuse('a JPEG cut short', {}, f.jpeg.subarray(0, 2000), 'cut.jpg', 422, /无法作为图片读取/);
  await refuse('a PNG cut short', {}, f.png.subarray(0, f.png.length - 20), 'cut.png', 422, /无法作为图片读取/);
  await refuse('a WebP cut short', {}, f.webp.subarray(0, Math.floor(f.webp.length / 2)), 'cut.webp', 422, /无法作为图片读取/);
  // MEDIA_PDF_TAIL: startxref must be within the last 1024 bytes, as PDF readers look for it there
  await refuse('a PDF whose startxref is not near its end', {},
    Buffer.from(pdf().toString('latin1').replace('%%EOF', `%${' '.repeat(1100)}\n%%EOF`), 'latin1'), 'far.pdf', 422, /不是完整的 PDF/);
  await refuse('a PDF cut short', {}, f.pdf.subarray(0, 100), 'cut.pdf', 422, /不是完整的 PDF/);
  await refuse('0 bytes', {}, Buffer.alloc(0), 'empty.jpg', 422, /请选择要上传的文件|文件是空的/);
  await refuse('no file at all', {}, null, '', 422, /请选择要上传的文件/);
  // MEDIA_MAX_BYTES: one byte more, refused by fazhi (the body is within nginx's limit)
  const over = Buffer.concat([f.jpeg, Buffer.alloc(MEDIA_MAX_BYTES + 1 - f.jpeg.length)]);
  await refuse('over MEDIA_MAX_BYTES', {}, over, 'big.jpg', 413, /文件过大/);
  // UPLOAD_MAX_BODY: nginx refuses the body itself (client_max_body_size)
  const r = await upload(ed, { csrf: ed.token, alt: '说明' }, Buffer.alloc(UPLOAD_MAX_BODY + 1), 'huge.jpg');
  assert.equal(r.status, 413);
  assert.match(r.body, /上传的文件不能超过 10 MB/, 'a page in Chinese says why');
  // elsewhere in the console the limit stays 256 KiB
  const big = await ed.request(`/console/cases/${ID}/edit`, { method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${ed.token}&title=${'x'.repeat(300 * 1024)}` });
  assert.equal(big.status, 413);
  assert.equal(mediaRows(), rows);
  // MEDIA_MAX_PIXELS: refused from the header, before decoding
  await refuse('over MEDIA_MAX_PIXELS', {}, f.big, 'big.png', 422, /像素过多/);
  // alt text: required (white space is none), at most MEDIA_MAX_ALT bytes; a caption at most MEDIA_MAX_CAPTION
  await refuse('missing alt', { alt: '' }, f.small, 'a.png', 422, /请填写替代文字/);
  await refuse('blank alt', { alt: ' \n ' }, f.small, 'a.png', 422, /请填写替代文字/);
  await refuse('alt over MEDIA_MAX_ALT', { alt: 'a'.repeat(MEDIA_MAX_ALT + 1) }, f.small, 'a.png', 422, /请填写替代文字/);
  await refuse('caption over MEDIA_MAX_CAPTION', { caption: 'a'.repeat(MEDIA_MAX_CAPTION + 1) }, f.small, 'a.png', 422, /说明太长/);
  // CSRF: missing or wrong, 403 and nothing stored
  for (const csrf of [undefined, 'f'.repeat(64)]) {
    const fields = { alt: '说明' };
    if (csrf) fields.csrf = csrf;
    const x = await upload(ed, fields, f.small, 'a.png');
    assert.equal(x.status, 403, `csrf ${csrf}`);
    assert.equal(mediaRows(), rows);
    assert.equal(stored().length, before);
  }
  // a multipart body anywhere else in the console is refused
  const fd = new FormData();
  fd.append('csrf', ed.token);
  const y = await ed.request(`/console/cases/${ID}/edit`, { method: 'POST', body: fd });
  assert.equal(y.status, 415);
  // every refusal is in the audit log
  assert.ok(Number(sql(`SELECT count(*) FROM audit WHERE action = 'media-refused' AND item = 'cases/${ID}'`)) >= 15);
  assert.ok(Number(sql(`SELECT count(*) FROM audit WHERE action = 'csrf-refused'`)) >= 2);
  // the audit log names them in Chinese, with the item
  const log = await ed.get('/console/audit?action=media-refused');
  assert.equal(log.status, 200);
  assert.match(log.body, /拒绝上传或修改/);
  assert.match(log.body, new RegExp(`cases/${ID}`));
});

test('a path in the file name is never used: the file is stored under its hash', async () => {
  const rows = mediaRows();
  for (const name of ['../../../../tmp/evil.png', '..\\..\\evil.png', '/etc/cron.d/x.png', 'a"b\r\n.png']) {
    const r = await upload(ed, { csrf: ed.token, alt: `名字里有路径 ${name.length}` }, f.small, name);
    assert.equal(r.status, 303, `${name}: ${r.body.slice(0, 300)}`);
  }
  assert.equal(mediaRows(), rows + 1, 'one file, whatever its names (the same bytes, one row)');
  assert.ok(stored().every((n) => /^[0-9a-f]{20}(-\d+)?\.(jpg|png|webp|pdf)$/.test(n)), stored().join(' '));
  assert.ok(!existsSync('/tmp/evil.png'));
  assert.ok(!existsSync(join(s.dir, 'evil.png')));
  // removed again, so that the case has the four files of the first upload
  const id = sql(`SELECT max(id) FROM media`);
  const r = await ed.post(`/console/media/cases/${ID}`, { csrf: ed.token, media: id, action: 'remove' });
  assert.equal(r.status, 303);
  assert.equal(mediaRows(), rows);
});

test('MEDIA_MAX_PER_ITEM files at most', async () => {
  const other = '2026-952';
  let r = await ed.post('/console/cases/new', { csrf: ed.token, id: other, title: '上限', action: 'save' });
  assert.equal(r.status, 200);
  for (let i = 0; i < MEDIA_MAX_PER_ITEM; i++) {
    const png = vips(`n${i}.png`, 10 + i, 10, 1);
    r = await upload(ed, { csrf: ed.token, alt: `图 ${i}` }, png, 'n.png', `/console/media/cases/${other}`);
    assert.equal(r.status, 303, `file ${i}`);
  }
  r = await upload(ed, { csrf: ed.token, alt: '多一个' }, f.small, 'n.png', `/console/media/cases/${other}`);
  assert.equal(r.status, 422);
  assert.match(r.body, /已经达到上限/);
});

test('saved into the XML, checked, approved: the public page shows the image with alt, srcset and sizes, and the PDF', async () => {
  // the alt text and caption can be changed; then the editor saves and submits
  const jpgId = sql(`SELECT min(id) FROM media`);
  let r = await ed.post(`/console/media/cases/${ID}`, { csrf: ed.token, media: jpgId, action: 'update',
    alt: `执法队员在工地现场检查${SCRIPT}`, caption: '现场照片（示例），拍摄于2026年10月' });
  assert.equal(r.status, 303);
  r = await ed.post(`/console/cases/${ID}/edit`, { csrf: ed.token, ...complete, action: 'submit' });
  assert.equal(r.status, 200, r.body.match(/field-problems.*?<\/ul>|class="problem".*?<\/div>/gs)?.join('\n') ?? r.body.slice(0, 500));
  assert.match(r.body, /并已提交审核/);
  const xml = sql(`SELECT xml FROM version WHERE item = (SELECT id FROM item WHERE content_id = '${ID}') ORDER BY number DESC LIMIT 1`);
  assert.match(xml, /<images>\s*<image file="[0-9a-f]{20}\.jpg" alt="执法队员在工地现场检查&lt;script&gt;alert\(1\)&lt;\/script&gt;" caption="现场照片/);
  assert.match(xml, /<attachments>\s*<attachment file="[0-9a-f]{20}\.pdf" title="行政处罚决定书（示例）"\/>/);
  assert.ok(!existsSync(join(s.content, 'media')), 'nothing is in content/ before approval');
  // the preview is the public page, its pictures from the console, to staff only
  r = await ed.get(`/console/cases/${ID}/preview`);
  assert.equal(r.status, 200, r.body.slice(0, 300));
  const pimg = r.body.match(/<img src="(\/media\/[0-9a-f]{20}\.jpg)"[^>]*alt="执法队员在工地现场检查&lt;script&gt;/);
  assert.ok(pimg, 'the preview shows the picture');
  r = await ed.request(pimg[1]);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/jpeg');
  r = await new Client(s.consoleBase).get(pimg[1]);
  assert.notEqual(r.status, 200, 'not without a session');
  assert.equal((await fetch(`${s.base}${pimg[1]}`)).status, 404, 'nor on the public site before approval');
  // the reviewer sees the images on the review page, and approves
  const rev = await signedIn('rev');
  r = await rev.get(`/console/cases/${ID}`);
  assert.match(r.body, /图片和附件/);
  assert.match(r.body, /<img src="\/console\/media\/file\/[0-9a-f]{20}\.jpg" alt="执法队员在工地现场检查&lt;script&gt;/);
  const version = r.body.match(/name="version" value="(\d+)"/)[1];
  r = await rev.post(`/console/cases/${ID}`, { csrf: rev.token, action: 'approve', version });
  assert.equal(r.status, 303, r.body.slice(0, 2000));
  // the files are in content/media/, and the check is clean
  const names = readdirSync(join(s.content, 'media'));
  assert.equal(names.filter((n) => /^[0-9a-f]{20}\.(jpg|png|webp|pdf)$/.test(n)).length, 4);
  const check = spawnSync(FAZHI, ['check', '--content', s.content], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  // the public page
  const page = await fetch(`${s.base}/cases/${ID}`);
  const html = await page.text();
  assert.equal(page.status, 200);
  const img = html.match(/<img src="\/media\/([0-9a-f]{20})\.jpg"[^>]*>/);
  assert.ok(img, html.slice(0, 300));
  const h = img[1];
  assert.match(img[0], new RegExp(`srcset="/media/${h}-480\\.jpg 480w, /media/${h}-960\\.jpg 960w, /media/${h}\\.jpg 1600w"`));
  assert.match(img[0], /sizes="[^"]+"/);
  assert.match(img[0], /width="1600" height="1200"/);
  assert.match(img[0], /alt="执法队员在工地现场检查&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  assert.match(img[0], /loading="lazy"/);
  assert.match(html, /<figcaption>现场照片（示例），拍摄于2026年10月<\/figcaption>/);
  assert.ok(!html.includes(SCRIPT));
  assert.match(html, /<a href="\/media\/[0-9a-f]{20}\.pdf" download>行政处罚决定书（示例）<\/a> <span class="meta">（PDF，\d+ B）<\/span>/);
  // every address of the page's media, from disk by nginx: the right type, never HTML
  const urls = [...html.matchAll(/(?:src|href)="(\/media\/[^"]+)"/g)].map((m) => m[1]);
  for (const set of html.matchAll(/srcset="([^"]+)"/g)) for (const part of set[1].split(', ')) urls.push(part.split(' ')[0]);
  assert.ok(urls.length >= 8, urls.join(' '));
  for (const u of urls) {
    const res = await fetch(`${s.base}${u}`);
    const body = Buffer.from(await res.arrayBuffer());
    const ext = u.split('.').pop();
    assert.equal(res.status, 200, u);
    assert.equal(res.headers.get('content-type'), { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', pdf: 'application/pdf' }[ext], u);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('cache-control'), /max-age=31536000, immutable/);
    assert.match(res.headers.get('content-security-policy'), /default-src 'self'/);
    if (ext === 'pdf') assert.match(res.headers.get('content-disposition'), /^attachment/);
    assert.deepEqual(body, readFileSync(join(s.content, 'media', u.slice(7))), u);
  }
  // a stored JPEG on the public site has no GPS data either
  assert.doesNotMatch(exif(join(s.content, 'media', `${h}.jpg`)), /GPS/);
  // no other name under /media/ is served; a planted HTML file named as an image is sent as the image type
  for (const u of [`/media/${h}.html`, `/media/${h}.jpg.html`, '/media/', '/media/../site.xml', `/media/${h.toUpperCase()}.jpg`]) {
    const res = await fetch(`${s.base}${u}`);
    assert.equal(res.status, 404, u);
  }
  const planted = 'abcdefabcdefabcdef00.png';
  writeFileSync(join(s.content, 'media', planted), `<html>${SCRIPT}</html>`);
  const res = await fetch(`${s.base}/media/${planted}`);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
});

test('a file written by hand keeps its pictures when staff edit it, and they show on its media page', async () => {
  const hand = '2026-953';
  const file = join(s.content, 'cases', `${hand}.xml`);
  const published = readFileSync(join(s.content, 'cases', `${ID}.xml`), 'utf8');
  writeFileSync(file, published.replace(/某工地夜间施工噪声案/, '手写的案例'));
  const xmlOf = () => sql(`SELECT xml FROM version WHERE item = (SELECT id FROM item WHERE content_id = '${hand}') ORDER BY number DESC LIMIT 1`);
  let r = await ed.post(`/console/cases/${hand}/edit`, { csrf: ed.token, ...complete, title: '手写的案例（示例）', action: 'save' });
  assert.equal(r.status, 200);
  assert.equal((xmlOf().match(/<image /g) || []).length, 3, 'the first save keeps the file\'s images');
  assert.equal((xmlOf().match(/<attachment /g) || []).length, 1);
  r = await ed.post(`/console/cases/${hand}/edit`, { csrf: ed.token, ...complete, title: '手写的案例（示例）', action: 'save' });
  assert.equal(r.status, 200);
  assert.equal((xmlOf().match(/<image /g) || []).length, 3, 'and so does the next');
  r = await ed.get(`/console/media/cases/${hand}`);
  assert.match(r.body, /已上传的文件（4 个）/, 'now on its media page, where they can be changed or removed');
  const id = sql(`SELECT min(id) FROM media WHERE item = (SELECT id FROM item WHERE content_id = '${hand}')`);
  r = await ed.post(`/console/media/cases/${hand}`, { csrf: ed.token, media: id, action: 'remove' });
  assert.equal(r.status, 303);
  r = await ed.post(`/console/cases/${hand}/edit`, { csrf: ed.token, ...complete, title: '手写的案例（示例）', action: 'save' });
  assert.equal((xmlOf().match(/<image /g) || []).length, 2, 'a removed one stays removed');
  // the history's comparison shows the change under its Chinese name
  r = await ed.get(`/console/cases/${hand}/diff`);
  assert.equal(r.status, 200);
  assert.match(r.body, /<h3 id="diff-images">图片<\/h3>/);
});

test('nginx takes upload bodies of UPLOAD_MAX_BODY on the upload address alone, in both configurations', () => {
  const kib = UPLOAD_MAX_BODY / 1024;
  const upload = readFileSync(join(ROOT, 'fcgi', 'upload.h'), 'utf8');
  const media = readFileSync(join(ROOT, 'fcgi', 'media.h'), 'utf8');
  assert.match(upload, /#define UPLOAD_MAX_BODY\s+\(MEDIA_MAX_BYTES \+ \(64u << 10\)\)/);
  assert.match(media, /#define MEDIA_MAX_BYTES\s+\(10u << 20\)/);
  for (const f of ['fazhi.conf.in', 'production.conf.example']) {
    const conf = readFileSync(join(ROOT, 'nginx', f), 'utf8');
    const sizes = [...conf.matchAll(/client_max_body_size (\d+)k;/g)].map((m) => Number(m[1]));
    assert.deepEqual(sizes.sort((a, b) => a - b), [16, 256, kib], `${f}: the public site, the console, its uploads`);
    assert.match(conf, new RegExp(`location ~ "\\^/console/media/\\[a-z\\]\\+/[^"]*" \\{\\s*client_max_body_size ${kib}k;`), f);
  }
});

test('`fazhi check` refuses a missing file, a file of another type and a missing alt', () => {
  const copy = join(tempDir(), 'content');
  spawnSync('cp', ['-r', s.content, copy]);
  const file = join(copy, 'cases', `${ID}.xml`);
  const good = readFileSync(file, 'utf8');
  const h = good.match(/<image file="([0-9a-f]{20})\.jpg"/)[1];
  const run = () => spawnSync(FAZHI, ['check', '--content', copy, file], { encoding: 'utf8' });
  writeFileSync(file, good.replace(`${h}.jpg`, '0123456789abcdef0123.jpg'));
  let r = run();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /media\/0123456789abcdef0123\.jpg 不存在/);
  writeFileSync(join(copy, 'media', '0123456789abcdef0123.jpg'), f.png);
  r = run();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /不是它的名字所说的类型/);
  writeFileSync(file, good.replace(/ alt="[^"]*"/, ''));
  r = run();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /:\d+:\d+: 图片缺少替代文字（alt）/);
  writeFileSync(file, good.replace(/ alt="[^"]*"/, ' alt="  "'));
  r = run();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /图片缺少替代文字/);
  writeFileSync(file, good.replace(/(<attachment [^>]*) title="[^"]*"/, '$1 title=" "'));
  r = run();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /附件缺少标题/);
  writeFileSync(file, good);
  assert.equal(run().status, 0);
});

test('a 普法 material has its media page too: uploaded, then written into its XML on save', async () => {
  const mid = 'media-test-material';
  let r = await ed.post('/console/pufa/new', { csrf: ed.token, id: mid, title: '普法海报（示例）', action: 'save' });
  assert.equal(r.status, 200, r.body.slice(0, 300));
  r = await ed.get(`/console/pufa/${mid}/edit`);
  assert.match(r.body, new RegExp(`href="/console/media/pufa/${mid}"`));
  r = await upload(ed, { csrf: ed.token, alt: '宪法宣传周海报' }, f.webp, 'poster.webp', `/console/media/pufa/${mid}`);
  assert.equal(r.status, 303, r.body.slice(0, 300));
  r = await ed.get(`/console/media/pufa/${mid}`);
  assert.match(r.body, new RegExp(`href="/console/pufa/${mid}/edit"`), 'back to its own editor');
  r = await ed.post(`/console/pufa/${mid}/edit`, { csrf: ed.token, title: '普法海报（示例）', action: 'save' });
  assert.equal(r.status, 200);
  const xml = sql(`SELECT xml FROM version WHERE item = (SELECT id FROM item WHERE section = 'pufa' AND content_id = '${mid}') ORDER BY number DESC LIMIT 1`);
  assert.match(xml, /<images>\s*<image file="[0-9a-f]{20}\.webp" alt="宪法宣传周海报"\/>\s*<\/images>\s*<\/material>/);
});

test('materials and guides take images and attachments too: checked and built into the snapshot', () => {
  const copy = join(tempDir(), 'content');
  spawnSync('cp', ['-r', s.content, copy]);
  const pub = readFileSync(join(copy, 'cases', `${ID}.xml`), 'utf8');
  const lists = pub.slice(pub.indexOf('  <images>'), pub.indexOf('</case>'));
  for (const [dir, file, root] of [['pufa', '2024-guoan-day.xml', 'material'], ['guides', 'minor-penalty.xml', 'guide']]) {
    const p = join(copy, dir, file);
    writeFileSync(p, readFileSync(p, 'utf8').replace(`</${root}>`, `${lists}</${root}>`));
  }
  const db = join(tempDir(), 'site.db');
  const r = spawnSync(FAZHI, ['build', '--content', copy, '--output', db], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const rows = spawnSync('sqlite3', [db, "SELECT item_id, count(*) FROM images WHERE item_id IN ('2024-guoan-day', 'minor-penalty') GROUP BY item_id ORDER BY item_id;" +
    "SELECT item_id, size FROM attachments WHERE item_id IN ('2024-guoan-day', 'minor-penalty') ORDER BY item_id"], { encoding: 'utf8' }).stdout;
  assert.match(rows, /^2024-guoan-day\|3\nminor-penalty\|3\n2024-guoan-day\|\d+ B\nminor-penalty\|\d+ B\n$/);
});
