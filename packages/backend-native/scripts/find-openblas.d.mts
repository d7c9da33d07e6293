/** What to run on Debian/Ubuntu to get the native backend. */
export declare const FAST_BACKEND_FIX: string;
/** What the addon build needs, found on this machine. */
export interface OpenBlasProbe {
  header?: string;
  library?: string;
  compiler?: string;
  make?: string;
  /** OpenBLAS (header and library), a C++ compiler and make are all present. */
  buildable: boolean;
  /** What is missing, for people. */
  missing: string[];
}
export declare function findOpenBlas(): OpenBlasProbe;
