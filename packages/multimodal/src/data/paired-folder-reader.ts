/**
 * Image + sound pairs as one streaming sample source (core's `SampleReader` contract): sample `i`
 * is image `i` of @autodidact/vision's image-folder reader followed by its partner's clip from
 * @autodidact/audio's WAV reader (clip mode: one centred clip per file), one row of
 * `imageLength + clipSamples` values. Both are decoded on demand in the data worker by those
 * readers, built here from their own specs, so the pair is read the way vision and audio read
 * their files. A bad image or a bad WAV fails the whole row, which core's skip rule then
 * replaces with the next readable pair: a pair is skipped whole, never half. Node-only; imports
 * no tfjs.
 */
import {
  ConfigError,
  instantiateReader,
  type ReaderSpec,
  type SampleArray,
  type SampleLayout,
  type SampleReader,
} from '@autodidact/core/reader';

/** This module's URL: what a `ReaderSpec` names for data workers to load. */
export const PAIRED_FOLDER_READER: string = import.meta.url;

/** The JSON config a data worker builds the reader from. */
export interface PairedFolderReaderConfig {
  /** Vision's image-folder reader over the pairs' images (sample `i`: pair `i`). */
  readonly image: ReaderSpec<unknown>;
  /** Audio's WAV reader in clip mode over the partners. */
  readonly sound: ReaderSpec<unknown>;
  /** Sample of the sound reader for each pair, when the two indexes order their files differently. */
  readonly soundOf?: readonly number[];
}

/** Reads pair `i`: the image into the row's head, the sound into its tail. */
class PairedFolderReader implements SampleReader {
  readonly size: number;
  readonly layout: SampleLayout;
  readonly concurrency: number;
  private readonly imageLength: number;

  constructor(
    private readonly image: SampleReader,
    private readonly sound: SampleReader,
    private readonly soundOf: readonly number[] | undefined,
  ) {
    this.size = image.size;
    this.imageLength = image.layout.shape.reduce((a, b) => a * b, 1);
    const soundLength = sound.layout.shape.reduce((a, b) => a * b, 1);
    this.layout = { shape: [this.imageLength + soundLength], dtype: 'float32' };
    this.concurrency = image.concurrency ?? 1;
  }

  describe(i: number): string {
    return this.image.describe?.(i) ?? `pair ${i}`;
  }

  async read(i: number, out: SampleArray, seed?: number): Promise<void> {
    await this.image.read(i, out.subarray(0, this.imageLength), seed);
    await this.sound.read(this.soundOf?.[i] ?? i, out.subarray(this.imageLength), seed);
  }

  async close(): Promise<void> {
    await this.image.close?.();
    await this.sound.close?.();
  }
}

/** The factory a data worker calls (see core's `ReaderSpec`). */
export async function createSampleReader(config: PairedFolderReaderConfig): Promise<SampleReader> {
  if (!config?.image || !config.sound) {
    throw new ConfigError('expected the image and sound readers', { field: 'reader.config' });
  }
  const image = await instantiateReader(config.image);
  const sound = await instantiateReader(config.sound);
  if (image.layout.dtype !== 'float32' || sound.layout.dtype !== 'float32') {
    throw new ConfigError('expected float32 images and sounds', { field: 'reader.config' });
  }
  const soundOf = config.soundOf;
  if (soundOf ? soundOf.length !== image.size : sound.size !== image.size) {
    throw new ConfigError(`${image.size} images for ${soundOf?.length ?? sound.size} sounds`, {
      field: 'reader.config',
    });
  }
  return new PairedFolderReader(image, sound, soundOf);
}
