import { describe, expect, it } from 'vitest';
import { UserInputError } from '../errors';
import { holdOutValidation } from './validationSplit';

// Ten examples whose single input value is their row number, so each part shows which rows it got.
const ten = { x: Float32Array.from({ length: 10 }, (_, i) => i), y: Int32Array.from({ length: 10 }, (_, i) => i % 3), n: 10 };

describe('holdOutValidation', () => {
  it('holds out round(n × fraction) rows; together the parts are every row once, each in file order', () => {
    const { train, validation } = holdOutValidation(ten, 0.3, 7, 'ten.csv');
    expect(validation.n).toBe(3);
    expect(train.n).toBe(7);
    const trainRows = Array.from(train.x);
    const validationRows = Array.from(validation.x);
    expect([...trainRows, ...validationRows].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(trainRows).toEqual([...trainRows].sort((a, b) => a - b));
    expect(validationRows).toEqual([...validationRows].sort((a, b) => a - b));
    // Labels travel with their rows: row r has label r mod 3.
    expect(Array.from(validation.y)).toEqual(validationRows.map((r) => r % 3));
  });

  it('is the same for the same seed and changes with the seed', () => {
    const picks = (seed: number): number[] => Array.from(holdOutValidation(ten, 0.5, seed, 't').validation.x);
    expect(picks(1)).toEqual(picks(1));
    const distinct = new Set([1, 2, 3, 4, 5].map((seed) => picks(seed).join(',')));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('keeps at least one row on each side', () => {
    expect(holdOutValidation(ten, 0.01, 0, 't').validation.n).toBe(1);
    expect(holdOutValidation(ten, 0.99, 0, 't').train.n).toBe(1);
    expect(() => holdOutValidation({ x: new Float32Array(1), y: new Int32Array(1), n: 1 }, 0.1, 0, 'one.csv')).toThrow(UserInputError);
  });
});
