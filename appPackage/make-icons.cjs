#!/usr/bin/env node
/**
 * Draws the Teams app icons, so they can be regenerated without an image editor or an npm
 * package: `node appPackage/make-icons.cjs`. The PNGs are committed; run this only to change them.
 *
 * - color.png, 192×192: a white checklist on a solid blue square (Teams asks for a full-colour
 *   icon of that size, the symbol within the middle 120 pixels).
 * - outline.png, 32×32: the same checklist in white on a transparent background (Teams tints it,
 *   so it must be white and transparent only).
 *
 * Shapes are drawn as signed-distance functions and sampled 4×4 times per pixel for smooth edges;
 * the PNG is written by hand (8-bit RGBA, filter 0) with Node's zlib.
 */
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { deflateSync } = require('node:zlib');
const { Buffer } = require('node:buffer');

/** GOV.UK blue: dark enough for white to pass WCAG contrast. The manifest's accentColor matches. */
const BLUE = [0x1d, 0x70, 0xb8];
const WHITE = [0xff, 0xff, 0xff];
const SAMPLES = 4;

/** Distance from (px, py) to the segment (ax, ay)–(bx, by). */
function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * The checklist in a unit square: three rows, each a tick and a line of text. True when (x, y)
 * (0..1) is inside a stroke.
 */
function checklist(x, y) {
  const stroke = 0.055;
  for (const row of [0.2, 0.5, 0.8]) {
    const tick =
      Math.min(
        segmentDistance(x, y, 0.06, row, 0.15, row + 0.09),
        segmentDistance(x, y, 0.15, row + 0.09, 0.31, row - 0.09),
      ) <= stroke;
    const line = segmentDistance(x, y, 0.45, row, 0.94, row) <= stroke;
    if (tick || line) return true;
  }
  return false;
}

/**
 * Renders an icon: `inside(x, y)` in pixel coordinates says whether a sample is on the glyph
 * (white); `background` is the colour elsewhere, or null for transparent.
 */
function render(size, background, inside) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          if (inside(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)) covered++;
        }
      }
      const a = covered / (SAMPLES * SAMPLES);
      const i = (py * size + px) * 4;
      if (background) {
        for (let c = 0; c < 3; c++) {
          pixels[i + c] = Math.round(WHITE[c] * a + background[c] * (1 - a));
        }
        pixels[i + 3] = 255;
      } else {
        // White only: the glyph's coverage is its opacity.
        pixels.fill(255, i, i + 3);
        pixels[i + 3] = Math.round(a * 255);
      }
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG, every scanline with filter type 0 (none). */
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // compression
  header[11] = 0; // filter method
  header[12] = 0; // no interlace
  const rows = [];
  for (let y = 0; y < size; y++) {
    rows.push(Buffer.from([0]), rgba.subarray(y * size * 4, (y + 1) * size * 4));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The glyph drawn in the box [offset, offset + extent) of an icon. */
const glyphIn = (offset, extent) => (x, y) =>
  checklist((x - offset) / extent, (y - offset) / extent);

const COLOR = 192;
// The glyph fills the middle 96 pixels, inside Teams' 120-pixel safe area.
writeFileSync(join(__dirname, 'color.png'), png(COLOR, render(COLOR, BLUE, glyphIn(48, 96))));

const OUTLINE = 32;
writeFileSync(join(__dirname, 'outline.png'), png(OUTLINE, render(OUTLINE, null, glyphIn(2, 28))));

process.stdout.write('Wrote appPackage/color.png (192×192) and appPackage/outline.png (32×32).\n');
