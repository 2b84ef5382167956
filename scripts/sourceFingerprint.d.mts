/** Types for sourceFingerprint.mjs (plain JS so that bin/curvelab.js runs it before anything is built). */
export function sourceFingerprint(root: string, paths: string[]): string;
