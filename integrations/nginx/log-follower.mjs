// Follows nginx's access log and remembers how far it has shipped, in a small position file,
// so a (re)started agent neither skips the lines nginx wrote before the agent was up nor
// ships again what the console already has. A rotated file (new inode) or a truncated one is
// read from its start.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';

const MAX_READ = 4 * 1024 * 1024;

export class LogFollower {
  /** @param {{ file: string, positionFile: string }} opts */
  constructor({ file, positionFile }) {
    this.file = file;
    this.positionFile = positionFile;
    const saved = readPosition(positionFile);
    this.ino = saved?.ino ?? null;
    // with no position yet, everything nginx has written is still to be shipped
    this.offset = saved?.offset ?? 0;
  }

  /**
   * The complete lines written since the last commit (up to 4 MiB), and the position to
   * commit once they are shipped; null when there is nothing new.
   */
  async read() {
    let st;
    try {
      st = await stat(this.file);
    } catch {
      return null; // nginx has not written it yet
    }
    const ino = String(st.ino);
    if (this.ino !== null && ino !== this.ino) this.offset = 0; // rotated
    if (st.size < this.offset) this.offset = 0; // truncated
    this.ino = ino;
    if (st.size === this.offset) return null;
    const fh = await open(this.file, 'r');
    let bytesRead;
    const buf = Buffer.alloc(Math.min(st.size - this.offset, MAX_READ));
    try {
      ({ bytesRead } = await fh.read(buf, 0, buf.length, this.offset));
    } finally {
      await fh.close();
    }
    const chunk = buf.subarray(0, bytesRead);
    const end = chunk.lastIndexOf(0x0a);
    // a line nginx is still writing waits for the next read, unless it alone fills a read
    const complete = end >= 0 ? end + 1 : bytesRead === MAX_READ ? bytesRead : 0;
    if (complete === 0) return null;
    const lines = chunk.subarray(0, complete).toString('utf8').split('\n').filter((l) => l.trim());
    return { lines, next: { ino, offset: this.offset + complete } };
  }

  /** Records that the lines of a read reached the console. */
  commit(next) {
    this.ino = next.ino;
    this.offset = next.offset;
    const tmp = `${this.positionFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(next));
    renameSync(tmp, this.positionFile);
  }
}

function readPosition(file) {
  if (!existsSync(file)) return null;
  try {
    const p = JSON.parse(readFileSync(file, 'utf8'));
    return typeof p.ino === 'string' && Number.isInteger(p.offset) && p.offset >= 0 ? p : null;
  } catch {
    return null; // unreadable: start over (the console drops re-sent request ids)
  }
}
