/** The modality contract, for the CLI's modules (it lives in `../modality/`, outside the CLI). */
export type {
  LoaderOptionSpec,
  LoadOptions,
  MethodSpec,
  Modality,
  ModalityCommand,
} from '../modality/modality.js';
