/**
 * Perceptual hashes of icons and screenshots. dHash (difference hash) is written by hand: it is a
 * box-filter downscale and 64 comparisons, which needs no image library beyond a PNG decoder, whereas
 * the usual resizers (sharp) bring native binaries. dHash survives the re-encoding, resizing and small
 * recolouring a cloned favicon goes through, and Hamming distance between two hashes says how alike
 * two images look.
 * @module
 */
import { PNG } from 'pngjs';

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
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
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
  const cells = shrink(img, 9, 8);
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++)
      byte = (byte << 1) | ((cells[y * 9 + x] ?? 0) - (cells[y * 9 + x + 1] ?? 0) > MARGIN ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** dHash of PNG/ICO bytes, or undefined when they do not decode. */
export function hashImage(bytes: Uint8Array): string | undefined {
  const img = decodeImage(bytes);
  return img && img.width > 0 && img.height > 0 ? dHash(img) : undefined;
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
