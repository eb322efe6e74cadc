// Per endpoint, how many clients use it and how many of them walk its ids in order (each
// counted once per period): walking is only unusual where few clients do it.
export class EndpointUse {
  private clients: number[] = [];
  private walkers: number[] = [];

  learnClient(endpoint: number): void {
    this.clients[endpoint] = (this.clients[endpoint] ?? 0) + 1;
  }

  learnWalker(endpoint: number): void {
    this.walkers[endpoint] = (this.walkers[endpoint] ?? 0) + 1;
  }

  clientsOf(endpoint: number): number {
    return this.clients[endpoint] ?? 0;
  }

  /** share of the endpoint's clients that walk it, leaving out the one asking (`self` 1 if it was counted) */
  walkersShare(endpoint: number, self: number): { share: number; walkers: number; clients: number } {
    const walkers = Math.max(0, (this.walkers[endpoint] ?? 0) - self);
    const clients = this.clients[endpoint] ?? 0;
    // a few pseudo-clients that walk nothing: a handful of clients do not make walking usual
    return { share: walkers / (clients + 20), walkers, clients };
  }

  decay(factor: number): void {
    for (const list of [this.clients, this.walkers]) for (let i = 0; i < list.length; i++) if (list[i]) list[i] *= factor;
  }
}
