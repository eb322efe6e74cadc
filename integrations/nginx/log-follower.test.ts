import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFollower } from './log-follower.mjs';

let dir: string;
let file: string;
let positionFile: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meshward-follower-'));
  file = path.join(dir, 'access.log');
  positionFile = path.join(dir, 'position.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const follower = () => new LogFollower({ file, positionFile });

/** Reads and commits until nothing is new, as the agent does. */
async function drain(f: LogFollower): Promise<string[]> {
  const out: string[] = [];
  for (let r = await f.read(); r; r = await f.read()) {
    out.push(...r.lines);
    f.commit(r.next);
  }
  return out;
}

describe('the agent follows the access log', () => {
  it('ships what nginx wrote before the agent started, once, and nothing until there is more', async () => {
    const f = follower();
    expect(await f.read()).toBeNull();
    writeFileSync(file, 'a\nb\n');
    expect(await drain(f)).toEqual(['a', 'b']);
    expect(await f.read()).toBeNull();
    appendFileSync(file, 'c\n');
    expect(await drain(f)).toEqual(['c']);
  });

  it('holds back a line nginx is still writing', async () => {
    const f = follower();
    writeFileSync(file, 'a\nhal');
    expect(await drain(f)).toEqual(['a']);
    appendFileSync(file, 'f\n');
    expect(await drain(f)).toEqual(['half']);
  });

  it('a restarted agent resumes after the last shipped line; a read that was not committed comes again', async () => {
    writeFileSync(file, 'a\nb\n');
    await drain(follower());
    appendFileSync(file, 'c\n');
    const uncommitted = follower();
    expect((await uncommitted.read())?.lines).toEqual(['c']);
    expect(await drain(follower())).toEqual(['c']);
    expect(await drain(follower())).toEqual([]);
  });

  it('a rotated file is read from its start, so is a truncated one', async () => {
    const f = follower();
    writeFileSync(file, 'a\nb\n');
    await drain(f);
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'c\nd\ne\n');
    expect(await drain(f)).toEqual(['c', 'd', 'e']);
    writeFileSync(file, 'f\n');
    expect(await drain(f)).toEqual(['f']);
  });

  it('an unreadable position file starts over instead of stopping the agent', async () => {
    writeFileSync(file, 'a\n');
    writeFileSync(positionFile, '{not json');
    expect(await drain(follower())).toEqual(['a']);
  });
});
