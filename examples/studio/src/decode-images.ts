/**
 * Image files -> the vision `ImageDataset` shape: bytes `[n, size, size, channels]`, decoded by
 * the browser (createImageBitmap) and resized on an OffscreenCanvas. Grey is ITU-R 601 luma.
 * Labels come from each file's folder (a dropped or chosen folder of class folders), or, for
 * loose files, from the name's prefix before the first `-` (`shirt-0001.png`).
 */

/** An image file and where it sits (`root/class/name.png`). */
export interface ImageFile {
  file: File;
  path: string;
}

/** Decoded images. */
export interface DecodedImages {
  pixels: Uint8Array;
  shape: [number, number, number];
  /** Index into `classNames` per image, -1 when it has none. */
  labels: Int32Array;
  classNames: string[];
  paths: string[];
  /** Files the browser could not decode, with the reason. */
  skipped: string[];
}

/** The class of a file: its folder's name, else its name's prefix before `-`; undefined for none. */
export function classOf(path: string): string | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length >= 3) return parts[parts.length - 2];
  const name = parts[parts.length - 1] ?? '';
  const dash = name.indexOf('-');
  return dash > 0 ? name.slice(0, dash) : undefined;
}

/** Decodes and resizes `files` (sorted by path) to `size` px, grey (1 channel) or colour (3). */
export async function decodeImages(files: ImageFile[], size: number, colour: boolean): Promise<DecodedImages> {
  const channels = colour ? 3 : 1;
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const kept: { path: string; bytes: Uint8Array; cls?: string }[] = [];
  const skipped: string[] = [];
  for (const { file, path } of sorted) {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    } catch (err) {
      skipped.push(`${path}: not an image the browser can decode (${(err as Error).message})`);
      continue;
    }
    ctx.clearRect(0, 0, size, size);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, size, size);
    bitmap.close();
    const rgba = ctx.getImageData(0, 0, size, size).data;
    const bytes = new Uint8Array(size * size * channels);
    for (let i = 0, j = 0; i < rgba.length; i += 4) {
      if (colour) {
        bytes[j++] = rgba[i]!;
        bytes[j++] = rgba[i + 1]!;
        bytes[j++] = rgba[i + 2]!;
      } else {
        bytes[j++] = Math.round(0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!);
      }
    }
    kept.push({ path, bytes, cls: classOf(path) });
  }
  const classNames = [...new Set(kept.map((k) => k.cls).filter((c): c is string => c !== undefined))].sort();
  const pixels = new Uint8Array(kept.length * size * size * channels);
  kept.forEach((k, i) => {
    pixels.set(k.bytes, i * k.bytes.length);
  });
  return {
    pixels,
    shape: [size, size, channels],
    labels: Int32Array.from(kept, (k) => (k.cls === undefined ? -1 : classNames.indexOf(k.cls))),
    classNames,
    paths: kept.map((k) => k.path),
    skipped,
  };
}

/** The image, WAV and text files under dropped items (folders walked recursively). */
export async function filesOfDrop(items: DataTransferItemList): Promise<ImageFile[]> {
  const out: ImageFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ file, path: `${prefix}${entry.name}` });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, `${prefix}${entry.name}/`);
      }
    }
  };
  const entries = [...items].map((i) => i.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  for (const e of entries) await walk(e, '');
  return out.filter((f) => /\.(png|jpe?g|gif|webp|bmp|avif|wav|txt)$/i.test(f.file.name));
}
