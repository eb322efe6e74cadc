import type { User } from '../population';
import { shuffle } from '../random';
import type { Actor } from '../trace';
import { botnet, rotatingUa } from './actors';
import type { Scenario } from './types';

/**
 * Password spraying: a few common passwords tried against many real accounts, each account
 * once per password, from a pool of residential proxies and rented servers where every exit
 * makes only a few attempts an hour. No address and no account ever looks busy; only the sum does.
 */
export const passwordSpraying: Scenario = {
  kind: 'password_spraying',
  expected: ['credential_stuffing', 'distributed_attack'],
  minutes: [120, 300],
  generate({ world, plan, r, send }) {
    const { intensity, botnet: scale } = world.profile.attacks;
    const exits = botnet(r, Math.round((40 + r.int(160)) * scale), 'mixed').map((ip) => ({ ip, ua: rotatingUa(r) }));
    // Valid usernames, harvested beforehand (public reviews, a breach of another site).
    const customers = world.population.users.filter((u) => u.persona !== 'staff');
    const accounts = shuffle(r, customers.slice()).slice(0, Math.min(customers.length, 150 + r.int(450)));
    const passwords = 2 + r.int(3);
    const queue: User[] = [];
    for (let p = 0; p < passwords; p++) queue.push(...accounts);
    const request = r.chance(0.6) ? 'identity/auth POST /v1/login' : 'edge/web POST /login';
    // Every exit fires on its own clock, a few times an hour, taking the next account in the list.
    const shots: { t: number; exit: number }[] = [];
    exits.forEach((_, exit) => {
      // at most six an hour, whatever the world's intensity: no address may look busy
      const gap = Math.max(10, (12 + r.int(20)) / intensity) * 60_000;
      for (let t = plan.start + r.next() * gap; t < plan.end; t += gap * (0.8 + r.next() * 0.4)) shots.push({ t, exit });
    });
    shots.sort((a, b) => a.t - b.t || a.exit - b.exit);
    const targeted = new Set<string>();
    const compromised: string[] = [];
    for (const [i, shot] of shots.entries()) {
      if (i >= queue.length) break;
      const victim = queue[i];
      const actor: Actor = { tokenId: null, user: null, ip: exits[shot.exit].ip, ua: exits[shot.exit].ua };
      const hit = r.chance(0.003);
      send(request, shot.t, actor, new Map([['email', victim.email], ['username', victim.username]]), { status: hit ? 200 : 401 });
      targeted.add(victim.username);
      if (hit) compromised.push(victim.username);
    }
    return { targeted: [...targeted], compromised };
  },
};
