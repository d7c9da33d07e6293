export * from './becker-hinton.js';
