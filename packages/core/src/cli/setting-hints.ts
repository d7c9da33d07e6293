import { fineTuneSettingName } from '../eval/fine-tune.js';
import type { SettingHints } from '../trainer/setting-hints.js';

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

/** `autodidact finetune`'s flags by fineTune setting. */
const FINETUNE_FLAGS: Readonly<Record<string, string>> = {
  lr: '--lr',
  headLr: '--head-lr',
  batchSize: '--batch-size',
  weightDecay: '--weight-decay',
  labelFraction: '--label-fraction',
  seed: '--seed',
  freeze: '--freeze',
  steps: '--steps',
  'key.checkpoint': '--checkpoint',
  'key.data': '--data',
};

/** The CLI's words in fineTune's resume errors (`--no-resume`, `--lr 0.0001`, `--head-hidden 64,32`). */
export const FINETUNE_HINTS: SettingHints = {
  startOver: '--no-resume',
  separator: ' ',
  label: (field) => fineTuneSettingName(field).replace(/^key\./, ''),
  setting: (trainerField, value) => {
    const field = fineTuneSettingName(trainerField);
    if (field === 'headHidden')
      return Array.isArray(value) && value.length ? `--head-hidden ${value.join(',')}` : 'no --head-hidden';
    if (field === 'key.randomInit') return value ? '--random-init' : 'no --random-init';
    const flag = FINETUNE_FLAGS[field];
    return flag ? `${flag} ${value}` : `${field}=${JSON.stringify(value) ?? 'unset'}`;
  },
};
