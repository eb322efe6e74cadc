import { describe, expect, it } from 'vitest';
import { bytes, compact, ms, percent, perSecond } from './format';

describe('format', () => {
  it('compacts counts with one decimal under ten units', () => {
    expect([compact(0), compact(950), compact(1_000), compact(12_400), compact(3_100_000), compact(-2_500)]).toEqual(['0', '950', '1.0k', '12k', '3.1M', '-2.5k']);
  });

  it('gives latencies a unit, zero included', () => {
    expect([ms(null), ms(0), ms(0.84), ms(14.2), ms(1240), ms(12_400)]).toEqual(['—', '0 ms', '0.84 ms', '14 ms', '1.24 s', '12.4 s']);
  });

  it('keeps small shares visible', () => {
    expect([percent(0), percent(0.00001), percent(0.0004), percent(0.025), percent(0.31)]).toEqual(['0%', '<0.01%', '0.04%', '2.5%', '31%']);
  });

  it('scales bytes and rates', () => {
    expect([bytes(820), bytes(14_200), bytes(3_100_000)]).toEqual(['820 B', '14 kB', '3.1 MB']);
    expect([perSecond(0), perSecond(0.4), perSecond(1200)]).toEqual(['0/s', '0.4/s', '1.2k/s']);
  });
});
