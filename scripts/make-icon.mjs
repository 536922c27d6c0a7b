// Generates images/icon.png (128x128 RGBA): a shield with a heartbeat line (the probe) on a dark
// rounded square. Pure Node (zlib + CRC32), no image library: `node scripts/make-icon.mjs`.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const S = 4; // supersampling per axis
const px = Buffer.alloc(N * N * 4);

const bg = [24, 33, 48];
const shield = [46, 160, 120];
const line = [255, 255, 255];

function insideRoundRect(x, y, r) {
  const cx = Math.min(Math.max(x, r), N - r),
    cy = Math.min(Math.max(y, r), N - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function insideShield(x, y) {
  // Top edge at y=18, straight sides to y=64, then a curve to the point at (64, 112).
  const top = 18,
    mid = 64,
    bottom = 112,
    half = 40;
  if (y < top || y > bottom) return false;
  if (y <= mid) return Math.abs(x - 64) <= half - (y < top + 6 ? 0 : 0);
  const t = (y - mid) / (bottom - mid);
  return Math.abs(x - 64) <= half * Math.sqrt(1 - t * t);
}
// Heartbeat polyline.
const pts = [
  [30, 66],
  [48, 66],
  [56, 46],
  [66, 86],
  [76, 56],
  [82, 66],
  [98, 66],
];
function distToSegment(x, y, [ax, ay], [bx, by]) {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}
function onLine(x, y) {
  for (let i = 0; i + 1 < pts.length; i++) if (distToSegment(x, y, pts[i], pts[i + 1]) <= 4) return true;
  return false;
}

for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (let sy = 0; sy < S; sy++) {
      for (let sx = 0; sx < S; sx++) {
        const fx = x + (sx + 0.5) / S,
          fy = y + (sy + 0.5) / S;
        if (!insideRoundRect(fx, fy, 22)) continue;
        const c = onLine(fx, fy) ? line : insideShield(fx, fy) ? shield : bg;
        r += c[0];
        g += c[1];
        b += c[2];
        a += 255;
      }
    }
    const n = S * S,
      o = (y * N + x) * 4,
      cov = a / 255;
    px[o] = cov ? Math.round(r / cov) : 0;
    px[o + 1] = cov ? Math.round(g / cov) : 0;
    px[o + 2] = cov ? Math.round(b / cov) : 0;
    px[o + 3] = Math.round(a / n);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc((N * 4 + 1) * N);
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0; // filter: none
  px.copy(raw, y * (N * 4 + 1) + 1, y * N * 4, (y + 1) * N * 4);
}
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(new URL('../images/', import.meta.url), { recursive: true });
writeFileSync(new URL('../images/icon.png', import.meta.url), png);
console.log(`images/icon.png: ${N}x${N}, ${png.length} bytes`);
