import { methodRegistry } from '@autodidact/core';
import { SIMCLR_METHOD } from './simclr.js';
import { DCL_METHOD, DCLW_METHOD } from './dcl.js';
import { SUPCON_METHOD } from './supcon.js';
import { NNCLR_METHOD } from './nnclr.js';
import { MOCOV3_METHOD } from './mocov3.js';
import { SWAV_METHOD } from './swav.js';
import { DINO_METHOD } from './dino.js';
import { MOCO_METHOD } from './moco.js';
import { VICREG_METHOD } from './vicreg.js';
import { BARLOW_TWINS_METHOD } from './barlow-twins.js';
import { DIRECTPRED_METHOD } from './directpred.js';
import { BYOL_METHOD } from './byol.js';
import { TICO_METHOD } from './tico.js';
import { SIMSIAM_METHOD } from './simsiam.js';
import { AUTOENCODER_METHOD, MASKED_AUTOENCODER_METHOD } from './autoencoder.js';
import { CONTEXT_METHOD } from './context.js';
import { DATA2VEC_VISION_METHOD } from './data2vec.js';
import { JIGSAW_METHOD } from './jigsaw.js';
import { MULTI_TASK_METHOD } from './multi-task.js';
import { ROTATION_METHOD } from './rotation.js';
import { S4L_METHOD } from './s4l.js';

/** Image methods by name: what `autodidact pretrain vision --method <name>` builds. */
export const methods = methodRegistry('vision method', [
  SIMCLR_METHOD,
  BYOL_METHOD,
  AUTOENCODER_METHOD,
  SIMSIAM_METHOD,
  DIRECTPRED_METHOD,
  BARLOW_TWINS_METHOD,
  VICREG_METHOD,
  MOCO_METHOD,
  DINO_METHOD,
  SWAV_METHOD,
  MASKED_AUTOENCODER_METHOD,
  ROTATION_METHOD,
  CONTEXT_METHOD,
  JIGSAW_METHOD,
  MULTI_TASK_METHOD,
  S4L_METHOD,

  // More contrastive methods on the two-view base (docs/methods/{nnclr,dcl,dclw,mocov3,tico,supcon}.md).
  NNCLR_METHOD,
  DCL_METHOD,
  DCLW_METHOD,
  MOCOV3_METHOD,
  TICO_METHOD,
  SUPCON_METHOD,
  DATA2VEC_VISION_METHOD,
]);
