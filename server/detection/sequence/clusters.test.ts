import { describe, expect, it } from 'vitest';
import { addStep, BehaviourClusters, DIM } from './clusters';

const vector = (steps: [number, number][]) => {
  const v = new Float32Array(DIM);
  for (const [a, b] of steps) addStep(v, a, b);
  return v;
};
const browse = () => vector([[0, 10], [10, 11], [11, 11], [11, 10]]);
const checkout = () => vector([[0, 20], [20, 21], [21, 22], [22, 23]]);
const odd = () => vector([[0, 40], [40, 41], [41, 42], [42, 43]]);

describe('behaviour clusters', () => {
  it('learns the usual behaviours from distinct clients and measures the distance to the nearest', () => {
    const c = new BehaviourClusters();
    for (let actor = 0; actor < 10; actor++) {
      c.learn('app', browse(), actor);
      c.learn('app', checkout(), actor);
    }
    expect(c.nearest('app', browse()).distance).toBeLessThan(0.05);
    expect(c.nearest('app', checkout()).distance).toBeLessThan(0.05);
    expect(c.nearest('app', odd()).distance).toBeGreaterThan(0.5);
    expect(c.nearest('app', odd()).established).toBe(2);
    // per kind: a browser's usual behaviour is not known from the apps
    expect(c.nearest('browser', browse()).established).toBe(0);
  });

  it('one client repeating itself does not make its behaviour usual', () => {
    const c = new BehaviourClusters();
    for (let i = 0; i < 50; i++) c.learn('app', odd(), 7);
    expect(c.nearest('app', odd())).toEqual({ distance: 1, established: 0 });
    for (let actor = 0; actor < 5; actor++) c.learn('app', odd(), actor);
    expect(c.nearest('app', odd()).distance).toBeLessThan(0.05);
  });
});
