import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { folderCycles, folderGraph, ROOT } from './folder-cycles';

function sources(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'twofold-folders-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('folder import cycles (npm run lint runs scripts/folder-cycles.js)', () => {
  it('finds two folders importing each other, through any file, and says which imports close the loop', () => {
    const graph = folderGraph(sources({
      'auth/session.service.ts': `import { Customer } from '../accounts/customer';\n`,
      'accounts/customer.ts': `export class Customer {}\n`,
      'accounts/accounts.service.ts': `import type { Session } from '../auth/session.service';\nimport { x } from '@app/twofactor';\n`,
    }));
    expect(folderCycles(graph)).toEqual([{ folders: ['accounts', 'auth'], cycle: ['accounts', 'auth', 'accounts'] }]);
    expect(graph.get('accounts')!.get('auth')).toBe('accounts/accounts.service.ts → ../auth/session.service');
  });

  it('finds a longer loop, and none when imports point one way (the root may import every folder)', () => {
    const loop = folderGraph(sources({ 'a/x.ts': `import '../b/y';`, 'b/y.ts': `export * from '../c/z';`, 'c/z.ts': `import { x } from '../a/x';` }));
    expect(folderCycles(loop).map((found) => found.folders)).toEqual([['a', 'b', 'c']]);
    const layered = folderGraph(sources({ 'app.module.ts': `import '../src/a/x';\nimport './b/y';`, 'a/x.ts': `import '../b/y';`, 'b/y.ts': `import { z } from './z';` }));
    expect(folderCycles(layered)).toEqual([]);
    expect([...layered.keys()]).toContain(ROOT);
  });

  it('finds none in apps/api/src', () => {
    expect(folderCycles(folderGraph(resolve(__dirname, '../apps/api/src')))).toEqual([]);
  });
});
