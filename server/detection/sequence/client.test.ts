import { describe, expect, it } from 'vitest';
import { clientKind, externalKind, ipGroup } from './client';

describe('kinds of client', () => {
  it('groups User-Agents into broad families by convention, not by product', () => {
    expect(externalKind('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15')).toBe('browser');
    expect(externalKind('Mozilla/5.0 (Windows NT 10.0; rv:121.0) Gecko/20100101 Firefox/121.0')).toBe('browser');
    expect(externalKind('Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)')).toBe('bot');
    expect(externalKind('Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)')).toBe('bot');
    expect(externalKind('curl/8.4.0')).toBe('library');
    expect(externalKind('okhttp/4.12.0')).toBe('library');
    expect(externalKind('Apache-HttpClient/4.5.14 (Java/17.0.9)')).toBe('library');
    expect(externalKind('Banko/7.1.0 (Android 14; SM-A546B)')).toBe('app');
    expect(externalKind('Banko/7.1.0 CFNetwork/1494.0.7 Darwin/23.4.0')).toBe('app');
    expect(externalKind('FleetBox/2.0 (fw 11)')).toBe('other');
    expect(externalKind(null)).toBe('other');
    expect(externalKind('')).toBe('other');
  });

  it('makes each calling service inside the mesh its own kind', () => {
    expect(clientKind('billing/invoicer', 'Go-http-client/2.0')).toBe('svc:billing/invoicer');
    expect(clientKind('external', 'curl/8.4.0')).toBe('library');
  });

  it('groups addresses by /24 and /64', () => {
    expect(ipGroup('203.0.113.77')).toBe('203.0.113.0/24');
    expect(ipGroup('2001:db8:aa:bb:1:2:3:4')).toBe('2001:db8:aa:bb::/64');
    expect(ipGroup('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipGroup('::ffff:198.51.100.4')).toBe('198.51.100.0/24');
    expect(ipGroup(null)).toBe('');
  });
});
