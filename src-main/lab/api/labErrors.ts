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
