/**
 * @autodidact/vision: self-supervised learning on images. Image files (PNG/JPEG/WebP/AVIF/TIFF via sharp)
 * in ImageFolder layouts and IDX data (MNIST, Fashion-MNIST),
 * seeded batch augmentations and view generators, conv-small / MLP / ResNet-18 encoders, and the
 * methods SimCLR, BYOL, SimSiam, DirectPred, Barlow Twins, VICReg, MoCo, the (denoising and
 * masked) autoencoders, rotation, context prediction, jigsaw, multi-task and S4L. `modality`
 * plugs the package into the `autodidact` CLI.
 *
 * The Node entry: everything in `portable.ts` (what also bundles for a browser) plus image files
 * and folders (sharp), IDX files on disk and the CLI modality.
 */
// Everything every platform gets, listed by name in portable.ts.
export * from './portable.js';
export { type DecodedImage, type ImageFit, type ReadImageOptions, readImage } from './io/image-file.js';
export {
  type ImageFolderReaderConfig,
  type IndexImageFolderOptions,
  indexImageFolder,
} from './io/image-folder-reader.js';
export { type OpenImageFolderOptions, openImageFolder } from './io/open-image-folder.js';
export { type DecodeJpegCover, nativeJpegCover } from './io/native-jpeg.js';
export {
  type FolderLabels,
  type ImageFolderListing,
  type ListingOptions,
  listImageFolder,
  probeImage,
} from './io/image-folder.js';
export { type IdxArray, type LoadIdxOptions, loadIdx, readIdx } from './io/idx.js';
export { FOLDER_DEFAULT_SIZE, modality } from './modality.js';
