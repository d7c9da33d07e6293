import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../../tools/fixtures/objectives/fixtures.js';
import { ConfigError, ShapeError } from '../errors.js';
import { finiteValueAndGrads, itMatchesPyTorch } from '../test-support/objective-checks.js';
import { l2NormalizeRows } from './cosine-similarity.js';
import { dinoCenterUpdate, dinoLoss, dinoTeacherTemperature } from './dino-loss.js';

const fixture = loadFixture('dino');

describe('dinoLoss', () => {
  itMatchesPyTorch(fixture.cases, 'matches PyTorch (teacher and centre gradient stopped)', dinoLoss, 1e-5);

  it('starts near ln(K) at random init when the teacher is uniform', () =>
    tf.tidy(() => {
      // DINO's head ends in an l2-normalised bottleneck and a weight-normalised last layer, so
      // the student's logits at init are cosines of random directions (std 1/sqrt(256)).
      const k = 4096;
      const prototypes = l2NormalizeRows(tf.randomNormal([k, 256], 0, 1, 'float32', 1) as tf.Tensor2D);
      const bottleneck = l2NormalizeRows(tf.randomNormal([4 * 8, 256], 0, 1, 'float32', 2) as tf.Tensor2D);
      const student = tf.reshape(tf.matMul(bottleneck, prototypes, false, true), [4, 8, k]) as tf.Tensor3D;
      const teacher = tf.zeros([2, 8, k]) as tf.Tensor3D; // uniform after the softmax
      const loss = dinoLoss()
        .compute({ student, teacher, center: tf.zeros([k]) as tf.Tensor1D })
        .dataSync()[0];
      // Cross-entropy with a uniform target is logsumexp - mean >= ln K; the excess is about
      // var / 2 = (0.0625 / 0.1)^2 / 2 ~ 0.2 here.
      expect(loss).toBeGreaterThanOrEqual(Math.log(k) - 1e-4);
      expect(loss).toBeLessThan(Math.log(k) + 0.3);
    }));

  it('is exactly ln(K) for a uniform student, whatever the teacher', () =>
    tf.tidy(() => {
      const teacher = tf.randomNormal([2, 5, 7], 0, 3, 'float32', 3) as tf.Tensor3D;
      const student = tf.zeros([4, 5, 7]) as tf.Tensor3D;
      const center = tf.randomNormal([7], 0, 1, 'float32', 4) as tf.Tensor1D;
      expect(dinoLoss().compute({ student, teacher, center }).dataSync()[0]).toBeCloseTo(Math.log(7), 5);
    }));

  it('uses the centre: a shift of teacher and centre together changes nothing, of the teacher alone it does', () =>
    tf.tidy(() => {
      const student = tf.randomNormal([3, 4, 6], 0, 1, 'float32', 5) as tf.Tensor3D;
      const teacher = tf.randomNormal([2, 4, 6], 0, 1, 'float32', 6) as tf.Tensor3D;
      const center = tf.zeros([6]) as tf.Tensor1D;
      const shift = tf.tensor1d([3, -2, 0, 1, 0, 0]);
      const obj = dinoLoss();
      const base = obj.compute({ student, teacher, center }).dataSync()[0];
      const both = obj
        .compute({ student, teacher: tf.add(teacher, shift) as tf.Tensor3D, center: shift })
        .dataSync()[0];
      const teacherOnly = obj
        .compute({ student, teacher: tf.add(teacher, shift) as tf.Tensor3D, center })
        .dataSync()[0];
      expect(both).toBeCloseTo(base, 5);
      expect(Math.abs(teacherOnly - base)).toBeGreaterThan(0.1);
    }));

  it('takes a per-step teacher temperature that overrides the option', () =>
    tf.tidy(() => {
      const student = tf.randomNormal([3, 4, 6], 0, 1, 'float32', 7) as tf.Tensor3D;
      const teacher = tf.randomNormal([2, 4, 6], 0, 1, 'float32', 8) as tf.Tensor3D;
      const center = tf.zeros([1, 6]) as tf.Tensor2D;
      const viaOption = dinoLoss({ teacherTemperature: 0.07 }).compute({ student, teacher, center }).dataSync()[0];
      const viaInput = dinoLoss().compute({ student, teacher, center, teacherTemperature: 0.07 }).dataSync()[0];
      const fixed = dinoLoss().compute({ student, teacher, center }).dataSync()[0];
      expect(viaInput).toBeCloseTo(viaOption, 6);
      expect(Math.abs(viaInput - fixed)).toBeGreaterThan(1e-3);
    }));

  it('has a finite value and gradient for large logits at low temperatures', () => {
    const student = tf.mul(tf.randomNormal([4, 3, 5], 0, 1, 'float32', 9), 100);
    const teacher = tf.mul(tf.randomNormal([2, 3, 5], 0, 1, 'float32', 10), 100);
    const center = tf.zeros([5]);
    const obj = dinoLoss({ studentTemperature: 0.01, teacherTemperature: 0.01 });
    finiteValueAndGrads(
      (s) => obj.compute({ student: s as tf.Tensor3D, teacher: teacher as tf.Tensor3D, center: center as tf.Tensor1D }),
      [student],
    );
    tf.dispose([student, teacher, center]);
  });

  it('rejects bad options and shapes', () =>
    tf.tidy(() => {
      expect(dinoLoss().options).toEqual({ studentTemperature: 0.1, teacherTemperature: 0.04 });
      expect(() => dinoLoss({ studentTemperature: 0 })).toThrow(ConfigError);
      expect(() => dinoLoss({ teacherTemperature: -1 })).toThrow(ConfigError);
      const s = tf.zeros([3, 4, 5]) as tf.Tensor3D;
      const t = tf.zeros([2, 4, 5]) as tf.Tensor3D;
      const c = tf.zeros([5]) as tf.Tensor1D;
      const obj = dinoLoss();
      expect(() => obj.compute({ student: s, teacher: t, center: c, teacherTemperature: 0 })).toThrow(ConfigError);
      expect(() => obj.compute({ student: tf.zeros([1, 4, 5]) as tf.Tensor3D, teacher: t, center: c })).toThrow(
        ShapeError,
      );
      expect(() => obj.compute({ student: s, teacher: tf.zeros([4, 4, 5]) as tf.Tensor3D, center: c })).toThrow(
        /teacher has 4 crops but student only 3/,
      );
      expect(() => obj.compute({ student: s, teacher: tf.zeros([2, 4, 6]) as tf.Tensor3D, center: c })).toThrow(
        /teacher must be \[G <= 3, 4, 5\], got \[2,4,6\]/,
      );
      expect(() => obj.compute({ student: s, teacher: t, center: tf.zeros([6]) as tf.Tensor1D })).toThrow(
        /center must be \[5\]/,
      );
    }));
});

describe('dinoCenterUpdate', () => {
  it('moves the centre towards the mean of all teacher rows, keeping its shape', () => {
    const before = tf.memory().numTensors;
    const center = tf.tensor2d([[1, 2]]);
    const teacher = tf.tensor3d([[[1, 3]], [[3, 5]]]); // two crops of one sample, row mean [2, 4]
    const next = dinoCenterUpdate(center, teacher, 0.9);
    expect(next.shape).toEqual([1, 2]);
    expect(Array.from(next.dataSync())).toEqual([expect.closeTo(1.1, 6), expect.closeTo(2.2, 6)]);
    const zero = tf.tensor1d([0, 0]);
    const rows = tf.tensor2d([[2, 4]]);
    const copied = dinoCenterUpdate(zero, rows, 0);
    expect(Array.from(copied.dataSync())).toEqual([2, 4]);
    tf.dispose([center, teacher, next, zero, rows, copied]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a bad momentum or a centre of the wrong size', () =>
    tf.tidy(() => {
      const t = tf.zeros([4, 3]) as tf.Tensor2D;
      expect(() => dinoCenterUpdate(tf.zeros([3]) as tf.Tensor1D, t, 1.5)).toThrow(ConfigError);
      expect(() => dinoCenterUpdate(tf.zeros([2]) as tf.Tensor1D, t)).toThrow(ShapeError);
    }));
});

describe('dinoTeacherTemperature', () => {
  it('rises linearly over the warm-up, then stays at the end value', () => {
    expect(dinoTeacherTemperature(0, 100)).toBeCloseTo(0.04, 10);
    expect(dinoTeacherTemperature(50, 100)).toBeCloseTo(0.055, 10);
    expect(dinoTeacherTemperature(100, 100)).toBeCloseTo(0.07, 10);
    expect(dinoTeacherTemperature(500, 100)).toBeCloseTo(0.07, 10);
    expect(dinoTeacherTemperature(0, 0, 0.04, 0.04)).toBe(0.04);
    expect(() => dinoTeacherTemperature(0, -1)).toThrow(ConfigError);
  });
});
