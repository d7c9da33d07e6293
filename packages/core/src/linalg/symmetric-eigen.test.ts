import { describe, expect, it } from 'vitest';
import { type FixtureTensor, expectClose, loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { ShapeError } from '../errors.js';
import { randomCovariance } from '../test-support/random-covariance.js';
import { symmetricEigen } from './symmetric-eigen.js';
import { symmetricEigenvalues } from './symmetric-eigenvalues.js';

interface EighFixture {
  eigh: { label: string; distinct: boolean; matrix: FixtureTensor; values: FixtureTensor; vectors: FixtureTensor }[];
}

// torch.linalg.eigh cases, generated with DirectPred's fixture (tools/fixtures/objectives).
const fixture = loadFixture<EighFixture>('directpred');

/** max |A - U diag(s) U^T| and max |U^T U - I|. */
function residuals(a: ArrayLike<number>, values: Float64Array, vectors: Float64Array, n: number) {
  let rec = 0;
  let orth = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let r = 0;
      let o = 0;
      for (let k = 0; k < n; k++) {
        r += vectors[i * n + k] * values[k] * vectors[j * n + k];
        o += vectors[k * n + i] * vectors[k * n + j];
      }
      rec = Math.max(rec, Math.abs(r - a[i * n + j]));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
  }
  return { rec, orth };
}

describe('symmetricEigen', () => {
  it('known spectra', () => {
    // diag(3, 1) rotated by 30 degrees; and the 4x4 second-difference matrix (2 - 2 cos(k pi / 5)).
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const a = [3 * c * c + s * s, 2 * c * s, 2 * c * s, 3 * s * s + c * c];
    const e2 = symmetricEigenvalues(a, 2);
    expect(e2[0]).toBeCloseTo(1, 12);
    expect(e2[1]).toBeCloseTo(3, 12);
    const t = [2, -1, 0, 0, -1, 2, -1, 0, 0, -1, 2, -1, 0, 0, -1, 2];
    const e4 = symmetricEigenvalues(t, 4);
    const want = [1, 2, 3, 4].map((k) => 2 - 2 * Math.cos((k * Math.PI) / 5)).sort((x, y) => x - y);
    want.forEach((w, i) => {
      expect(e4[i]).toBeCloseTo(w, 12);
    });
  });

  for (const c of fixture.eigh) {
    it(`matches torch.linalg.eigh: ${c.label}`, () => {
      const n = c.matrix.shape[0];
      const { values, vectors } = symmetricEigen(c.matrix.data, n);
      // The fixture's inputs are printed to 9 digits (exact in float32, not in float64), so
      // torch saw a matrix within ~5e-10 relative of ours.
      expectClose(values, c.values.data, `${c.label}: eigenvalues`, 1e-7);
      const scale = Math.max(1, ...c.values.data.map(Math.abs));
      const { rec, orth } = residuals(c.matrix.data, values, vectors, n);
      expect(rec).toBeLessThan(1e-12 * scale * n);
      expect(orth).toBeLessThan(1e-12 * n);
      if (c.distinct) {
        // Each eigenvector equals torch's up to sign.
        for (let k = 0; k < n; k++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += vectors[i * n + k] * c.vectors.data[i * n + k];
          expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-6);
        }
      }
    });
  }

  it('rejects a wrong size and non-finite entries', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(ShapeError);
    expect(() => symmetricEigen([1, Number.NaN, Number.NaN, 1], 2)).toThrow(ShapeError);
  });

  it('the eigenvalues-only solver (Householder + QL) agrees with the Jacobi rotations', () => {
    const cases = [
      ...fixture.eigh.map((c) => ({ a: c.matrix.data, n: c.matrix.shape[0] })),
      { a: randomCovariance(96, 150, 2), n: 96 },
    ];
    for (const { a, n } of cases) {
      const ql = symmetricEigenvalues(a, n);
      const jac = symmetricEigen(a, n).values;
      const scale = Math.max(1, ...Array.from(jac, Math.abs));
      for (let k = 0; k < n; k++) expect(Math.abs(ql[k] - jac[k])).toBeLessThan(1e-12 * scale * n);
    }
    expect(() => symmetricEigenvalues([1, 2, 3], 2)).toThrow(ShapeError);
    expect(() => symmetricEigenvalues([1, Number.NaN, Number.NaN, 1], 2)).toThrow(ShapeError);
  });

  it('decomposes a 128 x 128 covariance accurately', () => {
    const n = 128;
    const a = randomCovariance(n, 200, 1);
    const { values, vectors } = symmetricEigen(a, n);
    const { rec, orth } = residuals(a, values, vectors, n);
    expect(rec).toBeLessThan(1e-12);
    expect(orth).toBeLessThan(1e-12);
    for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
  });
});
