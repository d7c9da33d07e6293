export * from './abstract-state-svg.js';
export * from './crar.js';
export * from './grid-world.js';
export * from './position-probe.js';
