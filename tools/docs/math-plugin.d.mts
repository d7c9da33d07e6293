import type { Application } from 'typedoc';
/** Markdown with its `$...$` / `$$...$$` math turned into entity-escaped HTML (code left alone). */
export function protectMath(markdown: string): string;
/** TypeDoc plugin entry. */
export function load(app: Application): void;
