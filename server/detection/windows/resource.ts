// Which resource a request read, for counting the distinct ones an actor walked: the path, and
// the query when it names what is read (`/branches?lat=40.50&lng=-74.25` walks a grid through
// one endpoint as surely as `/accounts/41139657` walks ids). Parameters that change on every
// request without naming anything (cache busters) or that only say where a visitor came from
// (campaign tags) are left out, or an app polling with `?_=<time>` would look like a walk.
const NOT_A_RESOURCE = new Set(['_', 't', 'ts', 'timestamp', 'time', 'cb', 'cachebuster', 'cache_buster', 'nocache', 'no_cache', 'rnd', 'rand', 'random', 'nonce', 'gclid', 'fbclid', 'msclkid']);

export function resourceKey(path: string, query: string | null): string {
  if (!query) return path;
  const kept: string[] = [];
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    if (NOT_A_RESOURCE.has(name) || name.startsWith('utm_')) continue;
    kept.push(part);
  }
  if (!kept.length) return path;
  // the same parameters in another order are the same resource
  kept.sort();
  return `${path}?${kept.join('&')}`;
}
