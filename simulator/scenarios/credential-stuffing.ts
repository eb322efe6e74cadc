import { alnum } from '../random';
import { botnet, rotatingUa, ticks } from './actors';
import type { Scenario } from './types';

/**
 * Leaked username/password pairs tried from a botnet of hundreds of home routers: each address
 * only a few times, each account once, mostly unknown accounts; a percent or two get in.
 */
export const credentialStuffing: Scenario = {
  kind: 'credential_stuffing',
  expected: ['credential_stuffing', 'distributed_attack'],
  minutes: [20, 35],
  generate({ world, plan, r, send }) {
    const { intensity, botnet: scale } = world.profile.attacks;
    const ips = botnet(r, Math.round((200 + r.int(200)) * scale), 'residential');
    const compromised: string[] = [];
    for (const t of ticks(r, plan.start, plan.end, (1.2 + r.next() * 1.8) * intensity)) {
      const known = r.chance(0.3);
      const user = known ? world.population.pick(r.chance(0.5) ? 'web' : 'app', r) : null;
      const email = user ? user.email : `${alnum(r, 6)}${r.int(9999)}@${r.pick(['mail.example', 'post.example', 'inbox.example'])}`;
      const success = user !== null && r.chance(0.05);
      const request = r.chance(0.7) ? 'identity/auth POST /oauth/token' : 'edge/web POST /login';
      const actor = { tokenId: null, user: null, ip: r.pick(ips), ua: rotatingUa(r) };
      send(request, t, actor, new Map([['email', email]]), { status: success ? 200 : 401 });
      if (success) compromised.push(user.username);
    }
    return { compromised };
  },
};
