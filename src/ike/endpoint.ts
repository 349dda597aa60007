/** An address and UDP port as they appear on the wire: both roles, the router and the client, use it. */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}
