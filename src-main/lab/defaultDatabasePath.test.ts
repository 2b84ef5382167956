import { describe, expect, it } from 'vitest';
import { defaultDatabasePath } from './defaultDatabasePath';

describe('defaultDatabasePath', () => {
  it('follows each platform’s data folder, and CURVELAB_DB overrides it', () => {
    expect(defaultDatabasePath({ HOME: '/home/ada' }, 'linux')).toBe('/home/ada/.local/share/CurveLab/curvelab.db');
    expect(defaultDatabasePath({ HOME: '/home/ada', XDG_DATA_HOME: '/data' }, 'linux')).toBe('/data/CurveLab/curvelab.db');
    expect(defaultDatabasePath({ HOME: '/Users/ada' }, 'darwin')).toBe('/Users/ada/Library/Application Support/CurveLab/curvelab.db');
    expect(defaultDatabasePath({ HOME: '/home/ada', CURVELAB_DB: '/tmp/x.db' }, 'linux')).toBe('/tmp/x.db');
  });
});
