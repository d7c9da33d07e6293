export type { Encoder, EncoderConfig } from './encoder.js';
export type { LossOutput, Method, StepContext } from './method.js';
export { Registry, type Registered } from './registry.js';
