// How common it is here for one token to be used by several clients at once, counted once per
// token and period: where tokens are shared by design (a key many scripts use), a second client
// says little; where it never happens, it says a lot.

export type TokenPattern = 'kind' | 'ua' | 'group';

export class TokenRates {
  tokens = 0;
  private readonly seen: Record<TokenPattern, number> = { kind: 0, ua: 0, group: 0 };

  learnToken(): void {
    this.tokens += 1;
  }

  learnPattern(p: TokenPattern): void {
    this.seen[p] += 1;
  }

  /** share of tokens showing the pattern, without the one asking (`self` 1 if it was counted) */
  share(p: TokenPattern, self: number): number {
    return Math.max(0, this.seen[p] - self) / Math.max(1, this.tokens);
  }

  /** 1 where the pattern is unheard of (≤ 0.01 % of tokens), down to 0.3 where it is common (≥ 10 %) */
  factor(p: TokenPattern, self: number): number {
    const rate = Math.max(1e-4, this.share(p, self));
    return Math.min(1, Math.max(0.3, -Math.log10(rate) / 4));
  }

  decay(f: number): void {
    this.tokens *= f;
    for (const k of Object.keys(this.seen) as TokenPattern[]) this.seen[k] *= f;
  }
}
