// `npm start`: build the console if needed, then run it (with the demo fleet unless MESHWARD_SIMULATOR=off).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildIfStale } from './lib/build.mjs';

const root = process.cwd();
const status = buildIfStale(root);
if (status !== 0) process.exit(status);
// The demo fleet is on unless the environment says otherwise (the console's own default is off).
const env = { MESHWARD_SIMULATOR: 'on', ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
