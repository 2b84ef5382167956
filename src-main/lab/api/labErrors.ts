import type { LabErrorCode, LabErrorInfo } from './labApi';

/**
 * The one error type a Lab API call rejects with, on both transports: a code a client can branch on,
 * a message in words for the user, and the payload field at fault when there is one.
 */
export class LabError extends Error {
  constructor(
    readonly code: LabErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'LabError';
  }

  toInfo(): LabErrorInfo {
    return this.field === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, field: this.field };
  }

  static fromInfo(info: LabErrorInfo): LabError {
    return new LabError(info.code, info.message, info.field);
  }
}

/**
 * A failure beneath the lab's database as the user hears of it: `disk-full` when the disk is full,
 * `storage` when the file cannot be written or the disk failed. The message names the file.
 */
export function storageLabError(failure: 'disk-full' | 'read-only' | 'io', message: string): LabError {
  return new LabError(failure === 'disk-full' ? 'disk-full' : 'storage', message);
}
