/**
 * Where sign-ups come from: residential ISPs, mobile carriers behind carrier NAT, hosting ranges
 * (VPSs, corporate egress) and commercial VPN exits shared by many strangers.
 * @module
 */
import type { Rng } from '../rng.js';

export interface Net {
  readonly ip: string;
  readonly asn: number;
  readonly country: string;
}

type Pool = readonly [asn: number, country: string, head: string];

const RESIDENTIAL: readonly Pool[] = [
  [3320, 'DE', '79.2'],
  [7922, 'US', '73.15'],
  [701, 'US', '71.10'],
  [2856, 'GB', '81.98'],
  [3215, 'FR', '90.12'],
  [3352, 'ES', '83.44'],
  [1136, 'NL', '84.80'],
  [4134, 'CN', '116.22'],
  [9829, 'IN', '117.200'],
  [12322, 'FR', '88.160'],
  [6830, 'AT', '84.112'],
  [5089, 'GB', '86.10'],
];
const MOBILE: readonly Pool[] = [
  [21928, 'US', '172.58'],
  [55836, 'IN', '49.36'],
  [3209, 'DE', '100.70'],
  [26599, 'BR', '100.80'],
];
export const HOSTING: readonly Pool[] = [
  [16509, 'US', '3.80'],
  [14061, 'NL', '167.99'],
  [24940, 'DE', '95.216'],
  [16276, 'FR', '51.75'],
  [20473, 'US', '45.77'],
  [63949, 'US', '172.105'],
];
/** Commercial VPN exits: M247 is on the hosting list the identity code knows; the others are not. */
const VPN: readonly Pool[] = [
  [9009, 'GB', '185.195'],
  [60068, 'NL', '89.187'],
  [212238, 'US', '156.146'],
  [136787, 'SG', '103.107'],
];

const addr = (rng: Rng, [asn, country, head]: Pool): Net => {
  const parts = head.split('.').length;
  const rest = Array.from({ length: 4 - parts }, () => rng.int(1, 254));
  return { ip: `${head}.${rest.join('.')}`, asn, country };
};

export class Networks {
  readonly #vpnExits: Net[];
  constructor(
    private readonly rng: Rng,
    vpnExitCount: number,
  ) {
    this.#vpnExits = Array.from({ length: vpnExitCount }, () => addr(rng, rng.pick(VPN)));
  }
  residential(): Net {
    return addr(this.rng, this.rng.pick(RESIDENTIAL));
  }
  mobile(): Net {
    const [asn, country, head] = this.rng.pick(MOBILE);
    // Carrier NAT: thousands share a handful of addresses.
    return { ip: `${head}.${this.rng.int(0, 3)}.${this.rng.int(1, 6)}`, asn, country };
  }
  hosting(): Net {
    return addr(this.rng, this.rng.pick(HOSTING));
  }
  /** A VPN exit from a fixed pool: unrelated people meet on it. */
  vpn(): Net {
    return this.rng.pick(this.#vpnExits);
  }
}
