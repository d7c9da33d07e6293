/**
 * One occurrence of a target word with its collocational features (Yarowsky 1995): the type
 * the portable decision-list code shares with the corpus reading of occurrences.ts (Node).
 */

/** One occurrence of the target. */
export interface Occurrence {
  /** Index of the file (discourse) it occurs in. */
  doc: number;
  /** Word index of the occurrence in its file (for discourses shorter than a file). Default 0. */
  position?: number;
  /** Collocation features, deduplicated. */
  features: string[];
  /** The words around it (for showing examples). */
  context: string;
  /** The surface word found (the original word of a pseudo-word). */
  surface: string;
}
