// The shapes apidisc2 passes between its steps: an operation as read from a spec, an endpoint
// as served (base path included), a service's API and the request lines written out.

/** What a spec says about one path parameter (all optional). */
export interface ParamSchema {
  type?: string;
  format?: string;
  enum?: string[];
  pattern?: string;
}

/** One operation of a spec, path relative to the server. */
export interface Operation {
  method: string;
  path: string;
  pathParams: Map<string, ParamSchema>;
  query: string[];
  success: number;
}

/** Where an endpoint came from. */
export type EndpointOrigin = 'spec' | 'busy-literal' | 'synthetic';

/** An endpoint of a service as the traffic reaches it: `template` includes the base path. */
export interface Endpoint {
  method: string;
  template: string;
  pathParams: Map<string, ParamSchema>;
  query: string[];
  success: number;
  origin: EndpointOrigin;
  /** a literal at some position where the same method also has a parameter: requested hundreds of times */
  busyLiteral: boolean;
}

/** How the service's base path was chosen (see README: "apidisc2"). */
export type BaseKind = 'declared' | 'stripped' | 'gateway';

export interface ServiceApi {
  id: string;
  base: string;
  baseKind: BaseKind;
  endpoints: Endpoint[];
}

/** One line of traffic.ndjson. */
export interface RequestLine {
  service: string;
  method: string;
  path: string;
  status: number;
}

/** Why a line was written: a request to a true endpoint, or noise that matches none. */
export type LineKind = 'request' | 'noise-probe' | 'noise-mutation';
