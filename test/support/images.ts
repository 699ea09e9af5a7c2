/**
 * Synthetic images for the page tests: a four-square "brand icon" (like many corporate marks) and a
 * sign-in "screenshot", with variants a cloner would produce (rescaled, slightly recoloured) and
 * unrelated images. Written by hand so no real brand asset ships in the repository.
 * @module
 */
import { PNG } from 'pngjs';

type Rgb = readonly [number, number, number];

function png(width: number, height: number, paint: (x: number, y: number) => Rgb): Buffer {
  const img = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      const i = (y * width + x) * 4;
      img.data[i] = r;
      img.data[i + 1] = g;
      img.data[i + 2] = b;
      img.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(img);
}

const clamp = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));
const tint = (c: Rgb, t: number): Rgb => [clamp(c[0] + t), clamp(c[1] + t), clamp(c[2] + t)];

/** Four coloured squares on white; `shade` shifts every colour a little, as re-encoding does. */
export function brandIcon(size = 32, shade = 0): Buffer {
  const q: Rgb[] = [
    [242, 80, 34],
    [127, 186, 0],
    [0, 164, 239],
    [255, 185, 0],
  ];
  const gap = Math.max(1, Math.round(size / 16));
  return png(size, size, (x, y) => {
    const half = size / 2;
    if (Math.abs(x - half) < gap / 2 + 0.5 || Math.abs(y - half) < gap / 2 + 0.5) return [255, 255, 255];
    const c = q[(y < half ? 0 : 2) + (x < half ? 0 : 1)] as Rgb;
    return tint(c, shade);
  });
}

/** Something else entirely: a diagonal gradient with a dark disc. */
export function otherIcon(size = 32): Buffer {
  return png(size, size, (x, y) => {
    const d = Math.hypot(x - size * 0.3, y - size * 0.6);
    return d < size / 4 ? [20, 20, 60] : [clamp((x * 255) / size), clamp((y * 255) / size), 128];
  });
}

/** A sign-in page: white, a centred card with a header bar, two fields and a button. */
export function signInShot(width = 320, height = 200, shade = 0): Buffer {
  return png(width, height, (x, y) => {
    const cx = x / width;
    const cy = y / height;
    if (cx < 0.32 || cx > 0.68 || cy < 0.2 || cy > 0.8) return tint([243, 242, 241], shade);
    if (cy < 0.3) return tint([0, 103, 184], shade);
    if ((cy > 0.4 && cy < 0.47) || (cy > 0.55 && cy < 0.62)) return [120, 120, 120];
    if (cy > 0.68 && cy < 0.75 && cx > 0.55) return tint([0, 103, 184], shade);
    return [255, 255, 255];
  });
}

/** A content page: text lines across the whole width. */
export function articleShot(width = 320, height = 200): Buffer {
  return png(width, height, (x, y) =>
    y % 12 < 3 && x > 20 && x < width - 20 - ((y * 7) % 90) ? [40, 40, 40] : [255, 255, 255],
  );
}
