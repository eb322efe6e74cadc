// Kinds of client, from what any HTTP deployment shows: who calls from inside the mesh, and the
// User-Agent's family. Sequences are judged against clients of the same kind (a browser's path
// through an API is not an app's), so the families are broad and generic: no product names, only
// the conventions browsers, mobile HTTP stacks, libraries and self-declared bots follow.

export const EXTERNAL_KINDS = ['browser', 'app', 'library', 'bot', 'other'] as const;
export type ExternalKind = (typeof EXTERNAL_KINDS)[number];
/** `svc:<caller>` for calls from inside the mesh: each calling service is its own kind of client */
export type ClientKind = ExternalKind | `svc:${string}`;

// Self-declared automation: crawlers, monitors, scanners, and the "+https://…" contact URL bots carry.
const BOT = /bot\b|bot\/|crawl|spider|slurp|scan|monitor|uptime|pingdom|probe|headless|phantom|scrapy|nmap|zgrab|nuclei|sqlmap|\+https?:\/\/|\(https?:\/\//i;
const BROWSER = /^Mozilla\/\d.*(AppleWebKit|Gecko|Trident|Presto)/;
// HTTP libraries and command-line tools, by the names they send by default.
const LIBRARY = /^(curl|wget|python|aiohttp|httpx|urllib|go-http-client|okhttp|axios|node-fetch|node|undici|got\b|java\/|apache-httpclient|jakarta|libwww-perl|lwp|php|guzzle|ruby|faraday|rest-client|dart|reqwest|hyper|postmanruntime|insomnia|httpie|powershell|winhttp|restsharp|\.net|dotnet|ktor|feign|http\.rb|typhoeus|requests)/i;
// A native app's HTTP stack: `Name/1.2 (… iOS 18 …)`, or the platform's own client string.
const MOBILE = /\((?=[^)]*\b(iOS|iPhone|iPad|iPadOS|Android|watchOS|tvOS)\b)[^)]*\)|CFNetwork|Dalvik|Darwin\//;

export function externalKind(userAgent: string | null): ExternalKind {
  const ua = userAgent?.trim() ?? '';
  if (!ua) return 'other';
  if (BOT.test(ua)) return 'bot';
  if (BROWSER.test(ua)) return 'browser';
  if (LIBRARY.test(ua)) return 'library';
  if (MOBILE.test(ua)) return 'app';
  return 'other';
}

export function clientKind(srcService: string, userAgent: string | null): ClientKind {
  return srcService === 'external' ? externalKind(userAgent) : `svc:${srcService}`;
}

/**
 * The address group a client belongs to: the /24 of an IPv4 address, the /64 of an IPv6 one.
 * Addresses inside one group are one network (a home, an office, a carrier's pool).
 */
export function ipGroup(ip: string | null): string {
  if (!ip) return '';
  if (ip.includes(':')) {
    const v4 = /^::ffff:(\d+\.\d+\.\d+)\.\d+$/i.exec(ip);
    if (v4) return `${v4[1]}.0/24`;
    // the first four groups, with the ones `::` left out filled in as zeros
    const groups = (ip.includes('::') ? ip.split('::')[0] : ip).split(':').filter((g) => g !== '');
    while (groups.length < 4) groups.push('0');
    return `${groups.slice(0, 4).join(':').toLowerCase()}::/64`;
  }
  const last = ip.lastIndexOf('.');
  return last > 0 ? `${ip.slice(0, last)}.0/24` : ip;
}

const KIND_LABEL: Record<ExternalKind, string> = {
  browser: 'browser', app: 'mobile-app', library: 'HTTP-library', bot: 'self-declared bot', other: 'other',
};

/** How a kind is named in an explanation: "mobile-app clients", "shop/orders (internal) clients". */
export function kindLabel(kind: string): string {
  return kind.startsWith('svc:') ? `${kind.slice(4)} (internal)` : (KIND_LABEL[kind as ExternalKind] ?? kind);
}
