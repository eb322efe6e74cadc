import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt
 * it. The lock file names the holder; a stale one (holder gone) is taken over.
 */
export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, 'meshward.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (holder && holder !== process.pid && alive(holder)) {
        throw new Error(
          `the embedded database in ${dir} is in use by process ${holder} (a running console?). ` +
            'Stop it first, or use PostgreSQL (DATABASE_URL) to share a database between processes.',
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}
