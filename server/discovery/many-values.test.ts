// Many names used alike are values, however they are spelled: PascalCase person names, words,
// mixed case. A few names, busy names in API words, names with sub-resources of their own and
// RPC method lists stay literal.
import { describe, expect, it } from 'vitest';
import { learn } from './learner';
import { apartFrom, busyBesideMany, manyLeafValues, manyValues, MANY_LEAVES, MANY_NAMES } from './many-values';
import type { Candidate } from './merge-evidence';
import { segmentFeatures } from './segment-features';

const S = 'guild/api';
const line = (method: string, path: string, status = 200) => JSON.stringify({ service: S, method, path, status });
const templates = (lines: string[], childCap?: number) => learn(lines, { childCap }).map((e) => `${e.method} ${e.template}`).sort();

/** `n` PascalCase names made of two invented parts (`TorvikAlsund`): camelCase, not API words. */
function pascalNames(n: number): string[] {
  const a = ['Torv', 'Mael', 'Isko', 'Brun', 'Qadr', 'Velm', 'Osse', 'Yarn'];
  const b = ['ikAlsund', 'enOrrby', 'aFennick', 'usHolmgard', 'etQuill'];
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) out.push(`${a[i % a.length]}${b[Math.floor(i / a.length) % b.length]}${i >= 40 ? i : ''}`);
  return out;
}

const cand = (key: string, count: number, shape: string[], words: string[] = []): Candidate => ({ key, ext: '', features: segmentFeatures(key), count, shape: new Set(shape), words: new Set(words) });

describe('many names with one sub-tree', () => {
  it('makes 30 PascalCase names under a collection one parameter', () => {
    const lines = pascalNames(30).flatMap((n, i) => [line('GET', `/guilds/${n}/quests`), line(i % 3 ? 'POST' : 'GET', `/guilds/${n}/${i % 2 ? 'quests' : 'banners'}`)]);
    expect(templates(lines)).toEqual(['GET /guilds/{guild_id}/banners', 'GET /guilds/{guild_id}/quests', 'POST /guilds/{guild_id}/banners', 'POST /guilds/{guild_id}/quests']);
  });

  it('keeps a far busier sibling in API words literal beside them (`/guilds/mine/quests`)', () => {
    const lines = pascalNames(30).flatMap((n) => [line('GET', `/guilds/${n}/quests`), line('GET', `/guilds/${n}/banners`)]);
    for (let i = 0; i < 80; i++) lines.push(line('GET', '/guilds/mine/quests'), line('GET', '/guilds/mine/banners'));
    expect(templates(lines)).toContain('GET /guilds/mine/quests');
    expect(templates(lines)).toContain('GET /guilds/{guild_id}/quests');
  });

  it('keeps fewer names than that to the rules for few names (camelCase names an endpoint)', () => {
    const names = pascalNames(MANY_NAMES - 1);
    expect(manyValues(names.map((n) => cand(n, 2, ['quests'], ['quests'])), new Set())).toEqual([]);
  });

  it('keeps API areas with sub-resources of their own literal, however many', () => {
    const areas = pascalNames(12).map((n, i) => cand(n, 3, ['v1'], ['v1', `own${i}a`, `own${i}b`, `own${i}c`]));
    expect(manyValues(areas, new Set())).toEqual([]);
  });

  it('keeps names that each lead to an identifier literal: collections (`/things/{id}`)', () => {
    const cols = pascalNames(12).map((n) => cand(n, 2, ['{}'], ['status']));
    expect(manyValues(cols, new Set())).toEqual([]);
  });

  it('keeps names each requested often literal: API areas gather many endpoints', () => {
    const busy = pascalNames(12).map((n) => cand(n, 40, ['quests'], ['quests']));
    expect(manyValues(busy, new Set())).toEqual([]);
    expect(manyValues(busy.map((c) => ({ ...c, count: 2 })), new Set())).toHaveLength(12);
  });
});

describe('many leaves', () => {
  it('makes names written to one by one one parameter, and keeps the busy views beside them', () => {
    const lines = pascalNames(24).flatMap((n, i) => [line(i % 2 ? 'PATCH' : 'DELETE', `/guilds/7/roles/${n}`), line('GET', `/guilds/7/roles/${n}`)]);
    for (let i = 0; i < 60; i++) lines.push(line('GET', '/guilds/7/roles/recent'), line('GET', '/guilds/7/roles/favourites'));
    const t = templates(lines);
    expect(t).toContain('PATCH /guilds/7/roles/{role_id}');
    expect(t).toContain('GET /guilds/7/roles/recent');
    expect(t).toContain('GET /guilds/7/roles/favourites');
    expect(t).toHaveLength(5);
  });

  it('keeps a read-only method list literal (RPC: `/rpc/guildPing`, `/rpc/rosterDump`)', () => {
    const methods = pascalNames(40).map((n) => n[0].toLowerCase() + n.slice(1));
    const lines = methods.flatMap((m, i) => Array.from({ length: 4 + (i % 9) }, () => line(i % 2 ? 'GET' : 'POST', `/rpc/${m}`)));
    expect(templates(lines)).toHaveLength(40);
  });

  it('takes the busiest values too, and keeps the endpoints above a gap in the counts apart', () => {
    // values are skewed (20, 9, 6, 4, …), a view beside them is not on their curve (300)
    const values = pascalNames(MANY_LEAVES + 4).map((n, i) => cand(n, Math.max(1, Math.round(20 / (i + 1))), ['$PATCH']));
    const got = manyLeafValues([...values, cand('ZelmaQuorn', 300, ['$GET'])]).map((c) => c.key);
    expect(got).toEqual(values.map((c) => c.key));
    expect(apartFrom([300, 120, 20, 9, 6, 4, 1])).toBe(120);
    expect(apartFrom([20, 9, 6, 4, 1])).toBe(Infinity);
  });

  it('needs MANY_LEAVES of them', () => {
    const few = pascalNames(MANY_LEAVES - 1).map((n) => cand(n, 1, ['$PATCH']));
    expect(manyLeafValues(few)).toEqual([]);
    expect(manyLeafValues([...few, cand('ZelmaQuorn', 1, ['$DELETE'])])).toHaveLength(MANY_LEAVES);
  });
});

describe('more names than the tree keeps', () => {
  it('makes them a parameter whatever they look like', () => {
    const lines = pascalNames(60).flatMap((n) => [line('GET', `/sagas/${n}/chapters`), line('GET', `/sagas/${n}`)]);
    expect(templates(lines, 16)).toEqual(['GET /sagas/{saga_id}', 'GET /sagas/{saga_id}/chapters']);
  });
});

describe('a rare name beside many values', () => {
  /** 30 numbered gardens (folded at insert) with their beds, and `extra` beside them. */
  function gardens(extra: string[]): string[] {
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) lines.push(line('GET', `/gardens/${61000 + i * 7}`), line('GET', `/gardens/${61000 + i * 7}/beds`));
    return [...lines, ...extra];
  }

  it('joins them when it is requested like one of them, however it is spelled', () => {
    const t = templates(gardens([line('GET', '/gardens/qHvRtmWzxkPLa'), line('GET', '/gardens/qHvRtmWzxkPLa/beds')]));
    expect(t).toEqual(['GET /gardens/{garden_id}', 'GET /gardens/{garden_id}/beds']);
  });

  it('stays literal when it is in API words or plural, or requested far more', () => {
    const busy = Array.from({ length: 40 }, () => line('GET', '/gardens/wildMeadow'));
    const t = templates(gardens([line('GET', '/gardens/listShared'), line('GET', '/gardens/orchards'), ...busy]));
    expect(t).toContain('GET /gardens/listShared');
    expect(t).toContain('GET /gardens/orchards');
    expect(t).toContain('GET /gardens/wildMeadow');
  });
});

describe('words below that are values themselves', () => {
  it('keep RPC methods literal whose only shared words are values further down', () => {
    // twelve methods, each followed by names from one pool: shared words, but no sub-resource
    const pool = pascalNames(60);
    const methods = ['genderGuess', 'originScore', 'casteGroup', 'nameSplit', 'scriptDetect', 'ageBand', 'regionHint', 'toneRank', 'kinFind', 'clanMatch', 'townPick', 'eraSense'];
    // (each shares its names with its neighbours only: no word under three of them)
    const cs = methods.map((m, i) => cand(m, 3, pool.slice(2 * i, 2 * i + 4), pool.slice(2 * i, 2 * i + 4)));
    expect(manyValues(cs, new Set())).toEqual([]);
    // the same names leading to a common sub-resource are values
    const values = methods.map((m, i) => cand(m, 3, ['quests'], ['quests', pool[i * 4]]));
    expect(manyValues(values, new Set())).toHaveLength(12);
  });
});

describe('camelCase names made of API words', () => {
  const fns = ['PlayerOwnership', 'DfsSlatesByWeek', 'NewsByPlayerID', 'ScheduleByTeam', 'PlayerDetailsByTeam', 'TeamProfile', 'PlayerProfile', 'InjuryReport', 'DepthChart', 'TeamSchedule', 'GameSummary', 'ScoreByGame'];
  const seasons = ['sturdy-compass', 'calm-pebble', 'rustic-igloo', 'silent-gecko', 'nifty-banner', 'wistful-jigsaw'];

  it('stay endpoints when what they share is values from one pool (`/stats/{format}/PlayerOwnership/{season}`)', () => {
    // each function is followed by two of six seasons: every season under a third of them
    const two = (i: number) => [seasons[i % 6], seasons[(i + 1) % 6]];
    const cs = fns.map((f, i) => cand(f, 3, two(i), two(i)));
    expect(manyValues(cs, new Set())).toEqual([]);
  });

  it('are values when nearly all of them lead to one sub-resource', () => {
    const cs = fns.map((f, i) => cand(f, 3, ['quests'], ['quests', seasons[i % 6]]));
    expect(manyValues(cs, new Set())).toHaveLength(fns.length);
  });
});

describe('a hot value beside many rare ones', () => {
  // the values come in as ids the tree folds (`grv-…`), one slug-named tenant is far busier
  const ids = Array.from({ length: 40 }, (_, i) => `grv-${(7919 * (i + 3)).toString(36)}x${i}`);
  const base = ids.flatMap((id) => [line('GET', `/vaults/${id}/boards/${id.length}/cards`), line('POST', `/vaults/${id}/boards`)]);

  it('joins the parameter when its sub-tree is the values\' own, however busy', () => {
    const lines = [...base];
    for (let i = 0; i < 250; i++) lines.push(line('GET', `/vaults/quiet-ember-lantern/boards/${i}/cards`), line('POST', '/vaults/quiet-ember-lantern/boards'));
    const t = templates(lines);
    expect(t).toContain('GET /vaults/{vault_id}/boards/{board_id}/cards');
    expect(t.some((x) => x.includes('quiet-ember-lantern'))).toBe(false);
  });

  it('keeps a busy name that leads to identifiers of its own, or to other sub-resources, literal', () => {
    const lines = [...base];
    for (let i = 0; i < 250; i++) lines.push(line('GET', `/vaults/archived/${9000 + i}`), line('GET', '/vaults/trending/summary'), line('GET', '/vaults/trending/export'));
    const t = templates(lines);
    expect(t).toContain('GET /vaults/archived/{archived_id}');
    expect(t).toContain('GET /vaults/trending/summary');
  });

  it('joins when the values below it are its own (`/orgs/{org}/teams/{team}`), by the sub-resources right below it', () => {
    const lines = ids.flatMap((id, i) => [line('GET', `/vaults/${id}/boards`), line('GET', `/vaults/${id}/members`), line('GET', `/vaults/${id}/hooks/${i + 100}`), line('GET', `/vaults/${id}/boards/${pascalNames(60)[i]}/cards`)]);
    for (let i = 0; i < 120; i++) lines.push(line('GET', `/vaults/quiet-ember-lantern/boards/${pascalNames(60)[i % 60]}Team/cards`), line('GET', '/vaults/quiet-ember-lantern/members'), line('GET', `/vaults/quiet-ember-lantern/hooks/${i}`));
    const t = templates(lines);
    expect(t.some((x) => x.includes('quiet-ember-lantern'))).toBe(false);
    expect(t).toContain('GET /vaults/{vault_id}/members');
  });

  it('needs many values beside it', () => {
    const few = [cand('quiet-ember-lantern', 500, ['boards'], ['boards', 'cards'])];
    expect(busyBesideMany(few, MANY_NAMES - 1, new Set(['boards', 'cards']))).toEqual([]);
    expect(busyBesideMany(few, MANY_NAMES, new Set(['boards', 'cards'])).map((c) => c.key)).toEqual(['quiet-ember-lantern']);
  });
});

describe('PascalCase names under a collection', () => {
  it('are items when each is requested once or twice, though camelCase elsewhere names an endpoint', () => {
    const names = pascalNames(12);
    const lines = names.map((n) => line('GET', `/v1/members/${n}`));
    lines.push(line('GET', `/v1/members/${names[0]}/playlists`), line('POST', `/v1/members/${names[1]}/playlists`));
    // other areas of the API, so that `/v1/members` is not its base path
    for (let i = 0; i < 5; i++) lines.push(line('GET', '/v1/albums'), line('GET', '/v1/me'));
    const t = templates(lines);
    expect(t).toContain('GET /v1/members/{member_id}');
    // (the two seen with a sub-resource once are too little evidence to say where they belong)
    expect(t.filter((x) => names.slice(2).some((n) => x.includes(n)))).toEqual([]);
  });

  it('stay endpoints when requested often (`/members/TopContributors`)', () => {
    const lines = pascalNames(3).map((n) => line('GET', `/v1/standings/${n}`));
    for (let i = 0; i < 5; i++) lines.push(line('GET', '/v1/albums'), line('GET', '/v1/me'));
    for (let i = 0; i < 40; i++) lines.push(line('GET', '/v1/standings/TopContributors'), line('GET', '/v1/standings/WeeklyLeaders'));
    const t = templates(lines);
    expect(t).toContain('GET /v1/standings/TopContributors');
    expect(t).toContain('GET /v1/standings/WeeklyLeaders');
  });
});
