/** How a path parameter's values look. The parameter's name picks the value domain (see values.ts). */
export type ParamType =
  | 'int' | 'uuid' | 'hex24' | 'hex' | 'slug' | 'user' | 'date' | 'sku' | 'vin' | 'email' | 'code' | 'country';

/** Shapes defaults: latency, response size, success status, the usual client errors. */
export type EndpointKind = 'item' | 'list' | 'create' | 'update' | 'delete' | 'action' | 'heavy' | 'page' | 'asset' | 'export';

export type QueryKind = 'page' | 'search' | 'filter' | 'range' | 'fields';

export interface EndpointDef {
  /** `METHOD /path/{name:type}`; a parameter may sit inside a segment (`/orders/{orderId:int}.json`) */
  route: string;
  /** default: from the method (GET of a parameter → item, GET of a literal → list, POST → create, …) */
  kind?: EndpointKind;
  /**
   * Calls this endpoint makes, in order: `ns/name METHOD /path/{name}` (parameters without their
   * type). Suffix ` ?0.3` for a call made on 30% of requests, ` !` for a soft dependency whose
   * failure the caller absorbs.
   */
  calls?: string[];
  /** the calls go out at once instead of one after the other */
  parallel?: boolean;
  /** sensitive data in the response: `class $.json.path`; `[*]` in the path counts one per item */
  out?: string[];
  /** sensitive data in the request body */
  in?: string[];
  query?: QueryKind;
  /** median time the handler itself takes, ms */
  ms?: number;
  /** needs a bearer token: without one the service answers 401 and calls nothing */
  auth?: boolean;
  /** client errors beyond the kind's usual ones: [status, probability] */
  fail?: [number, number][];
}

export type Lang = 'go' | 'java' | 'node' | 'python' | 'rust';

export interface ServiceDef {
  /** `namespace/name` */
  name: string;
  lang: Lang;
  replicas: number;
  endpoints: EndpointDef[];
}

/** A periodic internal job: the service calls these endpoints every `everyMin` minutes. */
export interface JobDef {
  name: string;
  service: string;
  everyMin: number;
  /** `ns/name METHOD /path/{name}`, each made `repeat` times per run */
  calls: string[];
  repeat?: [number, number];
  /** the job steps through this parameter's values in order, one per call, from `from` on (wrapping after `size`) */
  walk?: { param: string; from: number; size: number };
}
