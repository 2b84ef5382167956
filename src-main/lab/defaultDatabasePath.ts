import { homedir } from 'node:os';
import { join } from 'node:path';

export const DATABASE_ENV_VAR = 'CURVELAB_DB';

/**
 * Where the lab's database lives unless `--db` says otherwise: CURVELAB_DB, else the user's data folder
 * (Linux: $XDG_DATA_HOME or ~/.local/share; macOS: ~/Library/Application Support; Windows: %APPDATA%).
 */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env[DATABASE_ENV_VAR]) return env[DATABASE_ENV_VAR];
  const home = env.HOME ?? homedir();
  const dataDir =
    platform === 'darwin'
      ? join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
        : (env.XDG_DATA_HOME ?? join(home, '.local', 'share'));
  return join(dataDir, 'CurveLab', 'curvelab.db');
}
