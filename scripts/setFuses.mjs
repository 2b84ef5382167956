// Flips Electron's fuses in a packaged CurveLab: the Electron binary you ship (or its .app on macOS),
// after packaging and before signing. The repository has no packager; whichever you use, run
//   node scripts/setFuses.mjs <path to the packaged Electron binary or .app>
// as its last step (electron-builder: an afterPack hook; Electron Forge: @electron-forge/plugin-fuses
// with `packagedFuses`). Fuses are switches compiled into the binary, read before any JavaScript runs:
// off, they cannot be turned on again by an environment variable or a command-line flag.
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { pathToFileURL } from 'node:url';

/** The fuses of a packaged CurveLab; the others keep Electron's defaults. */
export const packagedFuses = {
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE would make the app a plain Node.js that runs any script with the app's rights.
  [FuseV1Options.RunAsNode]: false,
  // NODE_OPTIONS (--require, --inspect…) in the environment would inject code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect and friends on the command line would open a debugger on the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The app loads from app://curvelab/, never file://: file pages get no more than a browser gives them.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
};

/** Flips `packagedFuses` in the binary and returns its fuse wire afterwards, by fuse name. */
export async function setFuses(binary) {
  await flipFuses(binary, packagedFuses);
  const wire = await getCurrentFuseWire(binary);
  const names = Object.entries(FuseV1Options).filter(([, index]) => typeof index === 'number');
  return Object.fromEntries(names.filter(([, index]) => index in wire).map(([name, index]) => [name, String.fromCharCode(wire[index])]));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const binary = process.argv[2];
  if (!binary || process.argv.length > 3) {
    process.stderr.write('Usage: node scripts/setFuses.mjs <path to the packaged Electron binary or .app>\n');
    process.exit(2);
  }
  try {
    const wire = await setFuses(binary);
    // '0' off, '1' on, 'r' removed in this Electron.
    for (const [name, state] of Object.entries(wire)) process.stdout.write(`${name.padEnd(40)} ${state}\n`);
  } catch (error) {
    process.stderr.write(`setFuses: ${binary}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
