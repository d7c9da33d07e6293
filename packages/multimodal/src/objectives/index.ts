export {
  CLIP_INIT_LOG_SCALE,
  CLIP_MAX_SCALE,
  type ClipLossInputs,
  type ClipLossOptions,
  clipLogits,
  clipLoss,
} from './clip-loss.js';
