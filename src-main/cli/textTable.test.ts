import { describe, expect, it } from 'vitest';
import { textTable } from './textTable';

describe('textTable', () => {
  it('pads columns to the widest cell and right-aligns the numeric ones, headers included', () => {
    expect(textTable(['name', 'ms'], [['mlp', '9.60'], ['small-cnn', '12.19']], 1)).toBe(
      'name          ms\n' + '---------  -----\n' + 'mlp         9.60\n' + 'small-cnn  12.19\n',
    );
  });
});
