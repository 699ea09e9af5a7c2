/**
 * Perceptual hashes of icons and screenshots. dHash (difference hash) is written by hand: it is a
 * box-filter downscale and 64 comparisons, which needs no image library beyond a PNG decoder, whereas
 * the usual resizers (sharp) bring native binaries. dHash survives the re-encoding, resizing and small
 * recolouring a cloned favicon goes through, and Hamming distance between two hashes says how alike
 * two images look.
 *
 * Capture (ingest) hashes a page's screenshot and favicon once and keeps the hashes with the evidence;
 * analysis (detect) compares them with the brands' and hashes only what a capture did not.
 * @module
 */
import { inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import type { ImageHashes } from '../domain/index.js';

// The PNG decoder loads on the first image, not with every command that may meet one (start-up).
const requireCjs = createRequire(import.meta.url);
let pngModule: typeof import('pngjs') | undefined;
const pngjs = (): typeof import('pngjs') => {
  pngModule ??= requireCjs('pngjs') as typeof import('pngjs');
  return pngModule;
};

export interface Gray {
  readonly width: number;
  readonly height: number;
  /** Luma 0..255, row-major. */
  readonly pixels: Float64Array;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

const isPng = (b: Uint8Array, at = 0): boolean => PNG_MAGIC.every((v, i) => b[at + i] === v);

/** RGBA → luma over a white background (transparent icons must not hash as black squares). */
function toGray(width: number, height: number, rgba: Uint8Array, bottomUp = false, bgra = false): Gray {
  const pixels = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = bottomUp ? height - 1 - y : y;
    for (let x = 0; x < width; x++) {
      const i = (row * width + x) * 4;
      const a = (rgba[i + 3] ?? 255) / 255;
      const r = rgba[bgra ? i + 2 : i] ?? 0;
      const g = rgba[i + 1] ?? 0;
      const b = rgba[bgra ? i : i + 2] ?? 0;
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      pixels[y * width + x] = l * a + 255 * (1 - a);
    }
  }
  return { width, height, pixels };
}

function decodePng(bytes: Uint8Array): Gray {
  const png = pngjs().PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return toGray(png.width, png.height, png.data);
}

/** ICO: picks the largest entry; PNG entries and 32/24-bit BMP entries are understood. */
function decodeIco(b: Buffer): Gray | undefined {
  const count = b.readUInt16LE(4);
  let best: { size: number; offset: number; length: number } | undefined;
  for (let i = 0; i < Math.min(count, 64); i++) {
    const e = 6 + i * 16;
    if (e + 16 > b.length) break;
    const size = (b[e] || 256) * (b[e + 1] || 256);
    const length = b.readUInt32LE(e + 8);
    const offset = b.readUInt32LE(e + 12);
    if (offset + length <= b.length && (!best || size > best.size)) best = { size, offset, length };
  }
  if (!best) return undefined;
  const img = b.subarray(best.offset, best.offset + best.length);
  if (isPng(img)) return decodePng(img);
  const headerSize = img.readUInt32LE(0);
  const width = img.readInt32LE(4);
  const height = Math.abs(img.readInt32LE(8)) / 2; // XOR mask + AND mask
  const bpp = img.readUInt16LE(14);
  if ((bpp !== 32 && bpp !== 24) || width <= 0 || height <= 0 || width > 512 || height > 512)
    return undefined;
  const stride = Math.ceil((width * bpp) / 32) * 4;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = headerSize + y * stride + (x * bpp) / 8;
      const d = (y * width + x) * 4;
      rgba[d] = img[s] ?? 0;
      rgba[d + 1] = img[s + 1] ?? 0;
      rgba[d + 2] = img[s + 2] ?? 0;
      rgba[d + 3] = bpp === 32 ? (img[s + 3] ?? 255) : 255;
    }
  }
  return toGray(width, height, rgba, true, true);
}

/** Decodes PNG or ICO bytes; undefined for anything else or anything broken. Never throws. */
export function decodeImage(bytes: Uint8Array): Gray | undefined {
  try {
    if (bytes.length < 8) return undefined;
    if (isPng(bytes)) return decodePng(bytes);
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (b.readUInt16LE(0) === 0 && b.readUInt16LE(2) === 1) return decodeIco(b);
  } catch {
    return undefined;
  }
  return undefined;
}

/** Area-average downscale: every source pixel lands in exactly one target cell. */
function shrink(img: Gray, w: number, h: number): Float64Array {
  const sum = new Float64Array(w * h);
  const n = new Float64Array(w * h);
  for (let y = 0; y < img.height; y++) {
    const ty = Math.min(h - 1, Math.floor((y * h) / img.height));
    for (let x = 0; x < img.width; x++) {
      const tx = Math.min(w - 1, Math.floor((x * w) / img.width));
      sum[ty * w + tx] = (sum[ty * w + tx] ?? 0) + (img.pixels[y * img.width + x] ?? 0);
      n[ty * w + tx] = (n[ty * w + tx] ?? 0) + 1;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] ?? 0) / Math.max(1, n[i] ?? 1);
  return sum;
}

/**
 * Cells must differ by more than this (of 255) for a bit to be set. Plain dHash sets bits on rounding
 * noise between equal flat cells, which icons and sign-in pages are full of; with a small margin,
 * flat areas hash as 0 whatever the scale or re-encoding.
 */
const MARGIN = 3;

/** 64-bit difference hash as 16 hex digits: bit = "this cell is clearly brighter than its right neighbour". */
export function dHash(img: Gray): string {
  return hashCells(shrink(img, CELLS_W, CELLS_H));
}

/**
 * Names the hash function, stored next to hashes computed at capture time: a stored hash is reused
 * only when it was made the same way (same cell grid, same margin), otherwise the image is decoded again.
 */
export const IMAGE_HASH_ALGORITHM = `dhash64-m${MARGIN}`;

const CELLS_W = 9;
const CELLS_H = 8;

/** 64 comparisons over 9×8 cell means (shared by the full and the streaming decoder). */
function hashCells(cells: Float64Array): string {
  let hex = '';
  for (let y = 0; y < CELLS_H; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++)
      byte =
        (byte << 1) | ((cells[y * CELLS_W + x] ?? 0) - (cells[y * CELLS_W + x + 1] ?? 0) > MARGIN ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** PNG row un-filtering (RFC 2083 §6), one loop per filter type so each stays a tight loop. */
function unfilter(
  filter: number,
  raw: Uint8Array,
  at: number,
  cur: Uint8Array,
  prev: Uint8Array,
  stride: number,
  bpp: number,
): boolean {
  switch (filter) {
    case 0:
      cur.set(raw.subarray(at, at + stride));
      return true;
    case 1:
      for (let i = 0; i < bpp; i++) cur[i] = raw[at + i] as number;
      for (let i = bpp; i < stride; i++) cur[i] = ((raw[at + i] as number) + (cur[i - bpp] as number)) & 255;
      return true;
    case 2:
      for (let i = 0; i < stride; i++) cur[i] = ((raw[at + i] as number) + (prev[i] as number)) & 255;
      return true;
    case 3:
      for (let i = 0; i < bpp; i++) cur[i] = ((raw[at + i] as number) + ((prev[i] as number) >> 1)) & 255;
      for (let i = bpp; i < stride; i++)
        cur[i] = ((raw[at + i] as number) + (((cur[i - bpp] as number) + (prev[i] as number)) >> 1)) & 255;
      return true;
    case 4:
      for (let i = 0; i < bpp; i++) cur[i] = ((raw[at + i] as number) + (prev[i] as number)) & 255;
      for (let i = bpp; i < stride; i++)
        cur[i] =
          ((raw[at + i] as number) +
            paeth(cur[i - bpp] as number, prev[i] as number, prev[i - bpp] as number)) &
          255;
      return true;
    default:
      return false;
  }
}

/** Adds one decoded row's luma (over white, as `toGray` computes it) into the cell sums. */
function addRow(
  px: Uint8Array,
  width: number,
  channels: number,
  cellX: Int32Array,
  row: number,
  sum: Float64Array,
  n: Float64Array,
): void {
  for (let x = 0, i = 0; x < width; x++, i += channels) {
    let l: number;
    if (channels === 4) {
      const a = (px[i + 3] as number) / 255;
      l =
        (0.299 * (px[i] as number) + 0.587 * (px[i + 1] as number) + 0.114 * (px[i + 2] as number)) * a +
        255 * (1 - a);
    } else if (channels === 3) {
      l = 0.299 * (px[i] as number) + 0.587 * (px[i + 1] as number) + 0.114 * (px[i + 2] as number);
    } else {
      const v = px[i] as number;
      const a = channels === 2 ? (px[i + 1] as number) / 255 : 1;
      l = (0.299 * v + 0.587 * v + 0.114 * v) * a + 255 * (1 - a);
    }
    const c = row + (cellX[x] as number);
    sum[c] = (sum[c] as number) + l;
    n[c] = (n[c] as number) + 1;
  }
}

/**
 * dHash straight from PNG bytes, for the formats a browser screenshot comes in (8-bit grey, grey+alpha,
 * RGB, RGBA; not interlaced; no transparency key): inflate, un-filter one row at a time and add each
 * pixel's luma into its 9×8 cell. No RGBA bitmap or float image is built, which is most of the cost of a
 * full decode. Sums are accumulated in the same row-major order as `shrink`, so the hash is bit-for-bit
 * the one the full decoder gives. Undefined for any other PNG (the caller falls back to the full decoder).
 */
function dHashPngFast(bytes: Uint8Array): string | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos + 8 <= b.length) {
    const len = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    const data = pos + 8;
    if (data + len > b.length) return undefined;
    if (type === 'IHDR') {
      width = b.readUInt32BE(data);
      height = b.readUInt32BE(data + 4);
      const depth = b[data + 8];
      const colour = b[data + 9];
      const interlace = b[data + 12];
      channels = colour === 0 ? 1 : colour === 2 ? 3 : colour === 4 ? 2 : colour === 6 ? 4 : 0;
      if (depth !== 8 || channels === 0 || interlace !== 0 || width === 0 || height === 0) return undefined;
    } else if (type === 'tRNS') {
      return undefined;
    } else if (type === 'IDAT') {
      idat.push(b.subarray(data, data + len));
    } else if (type === 'IEND') break;
    pos = data + len + 4;
  }
  if (channels === 0 || idat.length === 0) return undefined;
  const raw = inflateSync(idat.length === 1 ? (idat[0] as Buffer) : Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) return undefined;
  let prev = new Uint8Array(stride);
  let cur = new Uint8Array(stride);
  const sum = new Float64Array(CELLS_W * CELLS_H);
  const n = new Float64Array(CELLS_W * CELLS_H);
  const cellX = new Int32Array(width);
  for (let x = 0; x < width; x++) cellX[x] = Math.min(CELLS_W - 1, Math.floor((x * CELLS_W) / width));
  for (let y = 0; y < height; y++) {
    const at = y * (stride + 1) + 1;
    if (!unfilter(raw[at - 1] as number, raw, at, cur, prev, stride, channels)) return undefined;
    const row = Math.min(CELLS_H - 1, Math.floor((y * CELLS_H) / height)) * CELLS_W;
    addRow(cur, width, channels, cellX, row, sum, n);
    const t = prev;
    prev = cur;
    cur = t;
  }
  for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) / Math.max(1, n[i] as number);
  return hashCells(sum);
}

/** dHash of PNG/ICO bytes, or undefined when they do not decode. Never throws. */
export function hashImage(bytes: Uint8Array): string | undefined {
  if (bytes.length >= 8 && isPng(bytes)) {
    try {
      const fast = dHashPngFast(bytes);
      if (fast) return fast;
    } catch {
      // fall through to the full decoder, which decides whether the bytes are an image at all
    }
  }
  const img = decodeImage(bytes);
  return img && img.width > 0 && img.height > 0 ? dHash(img) : undefined;
}

/** Perceptual hashes of a snapshot's images, as computed at capture time and kept in its manifest. */
/** Hashes the images of a capture once, so that every later analysis reads 16 hex digits instead of decoding. */
export function imageHashesOf(s: { screenshot?: Uint8Array; favicon?: Uint8Array }): ImageHashes | undefined {
  if (!s.screenshot && !s.favicon) return undefined;
  const screenshot = s.screenshot ? hashImage(s.screenshot) : undefined;
  const favicon = s.favicon ? hashImage(s.favicon) : undefined;
  return {
    algorithm: IMAGE_HASH_ALGORITHM,
    ...(screenshot ? { screenshot } : {}),
    ...(favicon ? { favicon } : {}),
  };
}

export function hamming(a: string, b: string): number {
  if (a.length !== b.length) return 64;
  let d = 0;
  for (let i = 0; i < a.length; i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      d += x & 1;
      x >>>= 1;
    }
  }
  return d;
}
