import { adamWarmupCosineDefaults, methodDefiner, type TrainerOptions } from '@autodidact/core';

/** Adam with a short warm-up and cosine decay; batches of 16 clips fit CPU budgets. */
export const AUDIO_TRAINER_DEFAULTS: Partial<TrainerOptions> = adamWarmupCosineDefaults(16, 1e-3);

/**
 * An audio method's definition (`modality: 'audio'`; {@link AUDIO_TRAINER_DEFAULTS} unless it
 * gives its own): what `autodidact pretrain audio --method <name>` builds.
 */
export const audioMethod = methodDefiner('audio', AUDIO_TRAINER_DEFAULTS);
