/**
 * A piece of the local runtime that stands in for a piece of AWS: the HTTP API today; later a DynamoDB stream
 * poller feeding an in-process event bus, a sweeper of expired holds, a Step Functions stand-in. The runtime
 * starts them in order and stops them in reverse order.
 */
export interface LocalService {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
