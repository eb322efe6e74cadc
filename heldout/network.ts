// Where the bank's clients come from: North American ISPs (IPv4 and IPv6), mobile carriers with
// carrier-grade NAT, cloud and VPN ranges. Public-looking documentation-free ranges, made up.
import type { Rand } from './rand';

const ISP_V4: readonly number[][] = [[24], [67], [68], [69], [71], [73], [75], [76], [96], [97], [98], [99], [107], [108], [173], [174], [184]];
const ISP_V6 = ['2600:1700', '2600:6c50', '2601:18c', '2601:8c0', '2603:7000', '2605:a601', '2607:fcc8'];
const CLOUD_V4: readonly number[][] = [[3], [13], [18], [34], [35], [44], [52], [54], [104, 131], [137, 184], [143, 198], [146, 190], [159, 65], [161, 35], [164, 90], [167, 99], [178, 128], [188, 166], [206, 189]];
const CLOUD_V6 = ['2a01:4f8', '2604:a880', '2a03:b0c0', '2600:1f18', '2001:19f0'];
const CARRIER_V4: readonly number[][] = [[172, 56], [172, 57], [172, 58], [174, 192], [174, 205], [166, 170], [166, 198], [107, 77]];

const octets = (r: Rand, prefix: readonly number[]) => {
  const out = [...prefix];
  while (out.length < 3) out.push(r.below(256));
  out.push(1 + r.below(254));
  return out.join('.');
};
const group = (r: Rand) => r.below(65536).toString(16);

/** A home broadband address; a fifth of homes are on IPv6. */
export function homeAddress(r: Rand): string {
  // a /64 of the ISP for the home, then the interface: eight groups
  if (r.coin(0.2)) return `${r.pick(ISP_V6)}:${group(r)}:${group(r)}:${group(r)}:${group(r)}:${group(r)}:${group(r)}`;
  return octets(r, r.pick(ISP_V4));
}

/** A phone on a carrier that gives it its own IPv6 address (no NAT). */
export function mobileV6(r: Rand): string {
  return `2607:fb90:${group(r)}:${group(r)}:${group(r)}:${group(r)}:${group(r)}:${group(r)}`;
}

/** A server in a cloud or hosting range. */
export function cloudAddress(r: Rand, v6 = 0.1): string {
  if (r.coin(v6)) return `${r.pick(CLOUD_V6)}:${group(r)}:${group(r)}::${group(r)}`;
  return octets(r, r.pick(CLOUD_V4));
}

/** `n` public addresses of one carrier's NAT gateways: neighbours in one block. */
export function carrierPool(r: Rand, n: number): string[] {
  const block = r.pick(CARRIER_V4);
  const third = block.length > 1 ? block[1] : r.below(256);
  const c = r.below(256);
  const start = 2 + r.below(120);
  return Array.from({ length: n }, (_, i) => `${block[0]}.${third}.${c}.${start + 3 * i}`);
}

/** `n` exits of a VPN or secure-web-gateway provider: a cloud block. */
export function vpnExits(r: Rand, n: number): string[] {
  const base = octets(r, r.pick(CLOUD_V4)).split('.').slice(0, 3).join('.');
  return Array.from({ length: n }, () => `${base}.${1 + r.below(254)}`);
}

/** `/24` (IPv4) or `/64` (IPv6) of an address: what a network-level allow-list would name. */
export function networkOf(ip: string): string {
  return ip.includes(':') ? ip.split(':').slice(0, 4).join(':') : ip.split('.').slice(0, 3).join('.');
}
