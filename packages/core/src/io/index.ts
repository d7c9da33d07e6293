export { type BadFileOptions, BadFiles, type SkippedFile } from './bad-files.js';
export {
  checkDataFile,
  type DirEntry,
  FolderWalker,
  readDirEntries,
  unreadableFileError,
  type WalkOptions,
  walkFiles,
} from './walk-files.js';
export { badFilesFor, loadLog } from './load-log.js';
