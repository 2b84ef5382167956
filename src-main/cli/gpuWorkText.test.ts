import { describe, expect, it } from 'vitest';
import { describeGpuWork } from './gpuWorkText';

describe("the GPU work line of curvelab train's epochs (on webgpu)", () => {
  it("counts in words, singular for one, means to one decimal, bytes in KB of 1,024 (as bench's table)", () => {
    expect(describeGpuWork({ dispatches: 22, submits: 2, blockingReadbacks: 0, asyncReadbacks: 1, bytesUploaded: 2400 })).toBe(
      '22 dispatches, 2 submits, 0 blocking reads, 1 async read, 2.3 KB uploaded',
    );
    expect(describeGpuWork({ dispatches: 1, submits: 1, blockingReadbacks: 1, asyncReadbacks: 0, bytesUploaded: 1383.3333 })).toBe(
      '1 dispatch, 1 submit, 1 blocking read, 0 async reads, 1.4 KB uploaded',
    );
    expect(describeGpuWork({ dispatches: 94.5, submits: 6.25, blockingReadbacks: 0, asyncReadbacks: 1, bytesUploaded: 0 })).toBe(
      '94.5 dispatches, 6.3 submits, 0 blocking reads, 1 async read, 0.0 KB uploaded',
    );
  });
});
