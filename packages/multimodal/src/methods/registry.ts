/**
 * The multimodal methods by name: what `autodidact pretrain multimodal --method <name>` builds
 * from a paired folder.
 */
import { methodRegistry } from '@autodidact/core';
import { CLIP_METHOD } from '../clip.js';
import type { PairedBatch } from '../data/paired-dataset.js';

/** The multimodal methods, in `--help` order. */
export const methods = methodRegistry<PairedBatch>('multimodal method', [CLIP_METHOD]);
