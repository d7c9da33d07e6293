/** One fetchable data set: what it is, whether `autodidact data fetch` gets it by default, how. */
export interface DataSetRecipe {
  /** One line: contents, size, source package and licence. */
  readonly description: string;
  /** Fetched by `autodidact data fetch` with no names (the sets the tests and `npm start` use). */
  readonly default: boolean;
  /** Writes the set into `dest` (a fresh folder), using `work` as scratch space. Synchronous. */
  fetch(dest: string, work: string): void;
}
