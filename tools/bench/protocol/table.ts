/** Markdown rows of probe scores over seeds: one row per feature extractor, mean ± std per probe. */
import { formatDifference, marginOf, PRIMARY_PROBE } from './margin.js';
import { PROBE_HEADINGS, PROBE_NAMES, type ProbeScores } from './probes.js';
import { formatMeanStd } from './stats.js';

/** One table row: a feature extractor's scores, one entry per seed. */
export interface ScoreRow {
  name: string;
  scores: ProbeScores[];
  /** Extra cells after the probes (time, loss, diagnostics), already formatted. */
  extra?: string[];
}

/** The probe scores of `row` over its seeds. */
export function scoresOf(row: ScoreRow, probe: keyof ProbeScores = PRIMARY_PROBE): number[] {
  return row.scores.map((s) => s[probe]);
}

/** Header and rows of a probe table, `extra` headings after the probes. */
export function probeTable(rows: readonly ScoreRow[], first = 'features', extra: readonly string[] = []): string[] {
  const heads = [first, ...PROBE_HEADINGS, ...extra];
  return [
    `| ${heads.join(' | ')} |`,
    `|${heads.map(() => '---').join('|')}|`,
    ...rows.map(
      (r) =>
        `| ${[r.name, ...PROBE_NAMES.map((p) => formatMeanStd(r.scores.map((s) => s[p]))), ...(r.extra ?? [])].join(' | ')} |`,
    ),
  ];
}

/**
 * The margin verdicts of `methods` against each of `baselines` (docs/protocol.md), as lines
 * `simclr vs random init: +0.143 > 0.020 beats`, and the names that fail against any baseline.
 */
export function marginReport(
  methods: readonly ScoreRow[],
  baselines: readonly ScoreRow[],
): { lines: string[]; failed: string[] } {
  const lines: string[] = [];
  const failed: string[] = [];
  for (const m of methods) {
    for (const b of baselines) {
      const r = marginOf(scoresOf(m), scoresOf(b));
      lines.push(
        `- ${m.name} vs ${b.name}: ${formatDifference(r.difference, r.threshold, true)} ${r.beats ? '>' : '<='} ${r.threshold.toFixed(3)}: ${r.beats ? 'beats' : 'does not beat'}`,
      );
      if (!r.beats && !failed.includes(m.name)) failed.push(m.name);
    }
  }
  return { lines, failed };
}
