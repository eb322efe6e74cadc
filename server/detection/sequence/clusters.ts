// Behaviour clusters: sessions as hashed bags of the states and steps they contain, grouped
// online (leader clustering with running means) per kind of client. A cluster counts as a usual
// behaviour once several distinct clients share it, so one client repeating itself cannot make
// its own behaviour usual. The distance to the nearest usual behaviour is evidence.

export const DIM = 64;
/** clusters per kind of client */
const MAX_CLUSTERS = 24;
/** a session this close (cosine distance) joins a cluster */
const JOIN = 0.3;
/** distinct clients a cluster needs before it counts as a usual behaviour */
const ESTABLISHED = 5;
const TRACKED_ACTORS = 16;
const MAX_KINDS = 512;

const mix = (x: number) => {
  let h = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
};

/** Adds a step to a session's vector: the state it reached and the step itself. */
export function addStep(v: Float32Array, from: number, to: number): void {
  v[mix(to + 1) % DIM] += 1;
  v[mix(from * 65_599 + to + 0x9e37) % DIM] += 1;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < DIM; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

interface Cluster {
  centroid: Float64Array;
  /** the centroid's length, kept with it */
  norm: number;
  weight: number;
  actors: number[];
}

export interface Nearest {
  /** cosine distance to the nearest usual behaviour (1 when there is none yet) */
  distance: number;
  /** usual behaviours known for this kind */
  established: number;
}

export class BehaviourClusters {
  private readonly kinds = new Map<string, Cluster[]>();

  nearest(kind: string, v: Float32Array): Nearest {
    const clusters = this.kinds.get(kind) ?? [];
    const nv = norm(v);
    let best = 1;
    let established = 0;
    if (nv === 0) return { distance: 1, established };
    for (const c of clusters) {
      if (c.actors.length < ESTABLISHED) continue;
      established += 1;
      const d = distance(v, nv, c);
      if (d < best) best = d;
    }
    return { distance: best, established };
  }

  learn(kind: string, v: Float32Array, actor: number): void {
    const nv = norm(v);
    if (nv === 0) return;
    let clusters = this.kinds.get(kind);
    if (!clusters) {
      if (this.kinds.size >= MAX_KINDS) return;
      this.kinds.set(kind, (clusters = []));
    }
    let best: Cluster | null = null;
    let bestD = 2;
    for (const c of clusters) {
      const d = distance(v, nv, c);
      if (d < bestD) [best, bestD] = [c, d];
    }
    if (!best || bestD > JOIN) {
      const fresh = { centroid: Float64Array.from(v, (x) => x / nv), norm: 1, weight: 1, actors: [actor] };
      if (clusters.length < MAX_CLUSTERS) return void clusters.push(fresh);
      let weakest = 0;
      for (let i = 1; i < clusters.length; i++) if (clusters[i].weight < clusters[weakest].weight) weakest = i;
      if (clusters[weakest].weight < 2) return void (clusters[weakest] = fresh);
      if (!best) return;
    }
    const rate = Math.max(1 / (best.weight + 1), 0.01);
    for (let i = 0; i < DIM; i++) best.centroid[i] += rate * (v[i] / nv - best.centroid[i]);
    best.norm = norm(best.centroid);
    best.weight += 1;
    if (best.actors.length < TRACKED_ACTORS && !best.actors.includes(actor)) best.actors.push(actor);
  }

  decay(factor: number): void {
    for (const clusters of this.kinds.values()) for (const c of clusters) c.weight *= factor;
  }
}

function distance(v: Float32Array, nv: number, c: Cluster): number {
  if (c.norm === 0) return 1;
  let dot = 0;
  const x = c.centroid;
  for (let i = 0; i < DIM; i++) dot += v[i] * x[i];
  return Math.max(0, 1 - dot / (nv * c.norm));
}
