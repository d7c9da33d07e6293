import type { SettingHints } from '../trainer/trainer.js';

/** Trainer option paths that a CLI flag sets, and the flag. */
const FLAGS: Readonly<Record<string, string>> = {
  'optimizer.lr': '--lr',
  'optimizer.name': '--optimizer',
  batchSize: '--batch-size',
  seed: '--seed',
  steps: '--steps',
};

/**
 * The CLI's words in the Trainer's resume errors: `--no-resume` to start over, `--lr 0.002`,
 * `--option temperature=0.2`; a setting no flag reaches (a method's trainer default, such as
 * the warm-up) is named as `field=value`.
 */
export const CLI_HINTS: SettingHints = {
  startOver: '--no-resume',
  separator: ' ',
  setting: (field, value) => {
    if (field.startsWith('options.')) return `--option ${field.slice('options.'.length)}=${JSON.stringify(value)}`;
    const flag = FLAGS[field];
    return flag ? `${flag} ${value}` : `${field}=${JSON.stringify(value) ?? 'unset'}`;
  },
};
