/** @autodidact/text: Self-supervised learning on text: tokenizers, masked and causal transformer LMs, Yarowsky bootstrapping. */
export const PACKAGE = '@autodidact/text';
