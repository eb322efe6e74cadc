export * from './users';
export * from './fleet';
export * from './access-events';
export * from './audit-log';
export * from './settings';
export * from './rollups';
export * from './rollup-compaction';
export * from './endpoints';
