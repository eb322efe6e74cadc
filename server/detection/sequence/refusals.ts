// How often each service refuses an authenticated caller (403), per request, with each client's
// share capped per period so neither one busy client nor one prober sets the rate. A session
// refused again and again where the service's own clients almost never are is probing rights it
// does not have (a customer's token in the back office), whatever the endpoints are called.
import { binomialSurprise } from '../binomial';

/** requests a client may add to a service's rate per period */
export const REFUSAL_CAP = 20;
/** weight of the mesh-wide refusal rate in a service's own */
const PRIOR = 50;

export class ServiceRefusals {
  private requests: number[] = [];
  private forbidden: number[] = [];
  private totalRequests = 0;
  private totalForbidden = 0;

  learn(service: number, requests: number, forbidden: number): void {
    this.requests[service] = (this.requests[service] ?? 0) + requests;
    this.forbidden[service] = (this.forbidden[service] ?? 0) + forbidden;
    this.totalRequests += requests;
    this.totalForbidden += forbidden;
  }

  /** share of a service's requests refused with 403, smoothed toward the mesh-wide share */
  rate(service: number): number {
    const global = (this.totalForbidden + 1) / (this.totalRequests + 100);
    return ((this.forbidden[service] ?? 0) + PRIOR * global) / ((this.requests[service] ?? 0) + PRIOR);
  }

  requestsOf(service: number): number {
    return this.requests[service] ?? 0;
  }

  decay(f: number): void {
    for (const list of [this.requests, this.forbidden]) for (let i = 0; i < list.length; i++) if (list[i]) list[i] *= f;
    this.totalRequests *= f;
    this.totalForbidden *= f;
  }
}

/** Upper bound (Chernoff) on the chance of `k` or more refusals in `n` requests at rate `r`. */
export function refusalTail(k: number, n: number, r: number): number {
  return Math.exp(-binomialSurprise(k, n, r));
}
