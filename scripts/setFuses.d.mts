/** Types for setFuses.mjs (plain JS so that a packager runs it without a compile step). */
import type { FuseV1Config } from '@electron/fuses';

export const packagedFuses: FuseV1Config;
/** Flips `packagedFuses` in the binary; returns its fuse wire afterwards by fuse name ('0' off, '1' on, 'r' removed). */
export function setFuses(binary: string): Promise<Record<string, string>>;
