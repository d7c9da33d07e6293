/**
 * What resume errors tell the user to do, in the words of the program they use: the API says
 * `resume: false` and `optimizer.lr: 0.002`, the CLI `--no-resume` and `--lr 0.002`.
 */
export interface SettingHints {
  /** How to start over instead of resuming. */
  startOver: string;
  /**
   * How to pass `value` for a setting: `field` is a trainer option path (`optimizer.lr`,
   * `batchSize`, `steps`, ...) or `options.<key>` for a method option.
   */
  setting(field: string, value: unknown): string;
  /**
   * The name a setting is shown by in the list of differences (default: the trainer's,
   * `optimizer.lr`, `temperature`); `''` leaves it out, for a setting that differs only
   * because another listed one does.
   */
  label?(field: string): string;
  /** Between several settings. Default `', '`. */
  separator?: string;
}

/** The API's wording: `resume: false`, `optimizer.lr: 0.002`, `method option temperature: 0.2`. */
export const API_HINTS: SettingHints = {
  startOver: 'resume: false',
  setting: (field, value) => {
    const v = value === undefined ? 'undefined' : JSON.stringify(value);
    return field.startsWith('options.') ? `method option ${field.slice('options.'.length)}: ${v}` : `${field}: ${v}`;
  },
};

/** A setting whose value differs between a checkpoint and the run resuming it. */
export interface SettingDiff {
  /** The path `hints.setting` is asked about (`optimizer.lr`, `options.temperature`). */
  field: string;
  /** The name shown (`optimizer.lr`, `temperature`). */
  label: string;
  /** The checkpoint's value. */
  was: unknown;
  /** This run's value. */
  now: unknown;
}

/** Equal as JSON (numbers round-trip exactly through a checkpoint's state.json); undefined is null. */
export function sameSetting(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * One line: both values of every differing setting, then what to pass to resume and how to
 * start over. `settings differ from the checkpoint's: lr 0.01 (checkpoint: 0.002); resume with
 * --lr 0.002, or pass --no-resume to start over`.
 */
export function describeSettingDiffs(diffs: readonly SettingDiff[], hints: SettingHints): string {
  const show = (v: unknown) => (v === undefined ? 'unset' : JSON.stringify(v));
  // Several settings may come from one the user sets (a learning rate shared by two groups): each is said once.
  const unique = (items: string[]) => [...new Set(items)];
  const listed = diffs.map((x) => ({ ...x, label: hints.label?.(x.field) ?? x.label })).filter((x) => x.label !== '');
  const shown = unique(listed.map((x) => `${x.label} ${show(x.now)} (checkpoint: ${show(x.was)})`));
  const fixes = unique(listed.map((x) => hints.setting(x.field, x.was)));
  return (
    `settings differ from the checkpoint's: ${shown.join(', ')}; ` +
    `resume with ${fixes.join(hints.separator ?? ', ')}, or pass ${hints.startOver} to start over`
  );
}
