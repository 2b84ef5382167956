/** Types for compiledCli.mjs (plain JS so that bin/curvelab.js runs it before anything is built). */
export const CLI_SOURCES: string[];
export function compiledCliDir(root: string): string;
export function ensureCompiledCli(root: string, onBuild?: () => void): Promise<string>;
