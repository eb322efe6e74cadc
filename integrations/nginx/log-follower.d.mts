// Types for the agent's log follower (the agent itself is plain JavaScript, run by bare Node).
export interface LogPosition {
  ino: string;
  offset: number;
}
export class LogFollower {
  constructor(opts: { file: string; positionFile: string });
  read(): Promise<{ lines: string[]; next: LogPosition } | null>;
  commit(next: LogPosition): void;
}
