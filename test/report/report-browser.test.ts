/**
 * The report as a browser shows it: Debian Chromium, headless, opens report.html from
 * disk, takes a screenshot and dumps the DOM. The screenshot must show the arms' lines
 * in their colors; the DOM must hold the three charts as SVG with marks.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { ABLATION_COLORS, COMPOSITION_PARTS, LOOPTOOL_COLOR, STATIC_COLOR } from '../../src/report/demo-charts.ts';
import { renderDemoReport } from '../../src/report/demo-report.ts';
import { demoSummaryFixture } from './fixtures/demo-summary.ts';
import { countNearColor, crc32, decodePng } from './fixtures/png.ts';

const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 60_000;
const WINDOW = { width: 1200, height: 2400 };

let dir = '';
let reportPath = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'looptool-report-browser-'));
  reportPath = join(dir, 'report.html');
  writeFileSync(reportPath, await renderDemoReport(demoSummaryFixture({ ablation: true })));
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs Chromium headless on the report with `extra` flags; its own process group, so a timeout ends the whole browser. */
function runChromium(name: string, extra: string[]): Promise<{ stdout: string; stderr: string }> {
  assert.ok(existsSync(CHROMIUM), `Debian Chromium is needed at ${CHROMIUM} for this test: install it with \`apt-get install -y chromium\` (CI installs it in .ci/run)`);
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${mkdtempSync(join(dir, `profile-${name}-`))}`,
    `--window-size=${WINDOW.width},${WINDOW.height}`,
    ...extra,
    `file://${reportPath}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM, flags, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`chromium ${name} did not finish in ${TIMEOUT_MS / 1000} s; stderr:\n${stderr.slice(-2000)}`));
    }, TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`chromium ${name} exited with ${code ?? signal}; stderr:\n${stderr.slice(-2000)}`));
    });
  });
}

/** A PNG with the given RGB(A) pixels, its rows filtered with filter type y % 5 — the decoder's test input. */
function encodePng(width: number, height: number, channels: 3 | 4, pixels: Uint8Array): Buffer {
  const stride = width * channels;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const predicted = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      raw[y * (stride + 1) + 1 + x] = (pixels[y * stride + x]! - predicted) & 0xff;
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, channels === 4 ? 6 : 2, 0, 0, 0], 8);
  const idat = deflateSync(raw);
  const half = idat.length >> 1;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', idat.subarray(0, half)), chunk('IDAT', idat.subarray(half)), chunk('IEND', Buffer.alloc(0))]);
}

test('the PNG decoder undoes all five row filters, RGB and RGBA, over split IDAT chunks', () => {
  for (const channels of [3, 4] as const) {
    const [width, height] = [7, 10];
    const pixels = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 37 + ((i * i) % 11) * 19) & 0xff);
    const png = decodePng(encodePng(width, height, channels, pixels));
    assert.equal(png.width, width);
    assert.equal(png.height, height);
    for (let i = 0; i < width * height; i++) {
      const want = [...pixels.subarray(i * channels, i * channels + 3), channels === 4 ? pixels[i * 4 + 3]! : 255];
      assert.deepEqual([...png.rgba.subarray(i * 4, i * 4 + 4)], want, `pixel ${i} (${channels} channels)`);
    }
  }
  const broken = encodePng(2, 2, 3, new Uint8Array(12));
  broken[40] = broken[40]! ^ 1;
  assert.throws(() => decodePng(broken), /bad CRC/);
});

test('Chromium screenshot of report.html shows each arm line in its color, and the data bars', async (t) => {
  const png = join(dir, 'report.png');
  const started = performance.now();
  await runChromium('screenshot', [`--screenshot=${png}`]);
  assert.ok(existsSync(png), `chromium wrote no screenshot at ${png}`);
  const image = decodePng(readFileSync(png));
  assert.equal(image.width, WINDOW.width);
  assert.equal(image.height, WINDOW.height);
  // LoopTool's and static's lines and points come to ~2,900 pixels each; with the lines
  // left out (stroke width 0) the points and legend swatches alone are ~800. So these
  // floors need the lines themselves to be drawn.
  const counts = {
    looptool: countNearColor(image, LOOPTOOL_COLOR),
    static: countNearColor(image, STATIC_COLOR),
    ablation: countNearColor(image, ABLATION_COLORS[0]!),
    errorSeeds: countNearColor(image, COMPOSITION_PARTS[0].color),
  };
  assert.ok(counts.looptool > 2000, `LoopTool color ${LOOPTOOL_COLOR}: ${counts.looptool} pixels`);
  assert.ok(counts.static > 2000, `static color ${STATIC_COLOR}: ${counts.static} pixels`);
  assert.ok(counts.ablation > 800, `ablation color ${ABLATION_COLORS[0]}: ${counts.ablation} pixels`);
  assert.ok(counts.errorSeeds > 5000, `error-seed bars ${COMPOSITION_PARTS[0].color}: ${counts.errorSeeds} pixels`);
  t.diagnostic(`screenshot in ${Math.round(performance.now() - started)} ms, pixels ${JSON.stringify(counts)}`);
});

test('Chromium DOM of report.html holds the three charts as SVG with path marks', async () => {
  const { stdout: dom } = await runChromium('dump-dom', ['--dump-dom']);
  assert.match(dom, /<title>looptool demo<\/title>/, `not the report's DOM:\n${dom.slice(0, 500)}`);
  for (const id of ['chart-accuracy', 'chart-kinds', 'chart-composition']) {
    const at = dom.indexOf(`id="${id}"`);
    assert.ok(at >= 0, `no #${id} in the DOM`);
    const start = dom.lastIndexOf('<figure', at);
    const figure = dom.slice(start, dom.indexOf('</figure>', at));
    assert.match(figure, /data-chart="\w+"/, `#${id} has no data-chart`);
    assert.match(figure, /<svg[^>]*>/, `#${id} holds no <svg>`);
    const marks = figure.match(/<g class="mark-(line|rect|symbol) role-mark[^"]*"[^>]*>(?:<path [^>]*>)+/g) ?? [];
    assert.ok(marks.length > 0, `#${id} has no path marks`);
  }
  assert.equal(dom.match(/<svg[\s>]/g)?.length, 3);
});
