/** The slice of Nest's `Logger` the transports use, so tests can pass a plain object. */
export interface DeliveryLogger {
  log(message: string): void;
  warn(message: string): void;
}
