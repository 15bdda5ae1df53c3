import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type SecondFactorOutcome = 'success' | 'failure';

/**
 * The Prometheus metrics of one application instance. A registry of its own (not prom-client's global
 * one), so two applications in one process (tests, two realms of a drill) never collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly secondFactorAttempts = new Counter({
    name: 'twofold_second_factor_attempts_total',
    help: 'Second-factor answers checked at sign-in and step-up, by realm, method and outcome.',
    labelNames: ['realm', 'method', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly deliveries = new Counter({
    name: 'twofold_deliveries_total',
    help: 'Message delivery events (hand-over to the provider, provider status callbacks), by channel and status.',
    labelNames: ['channel', 'status'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'twofold_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'twofold_' });
  }

  /** Registered by whoever owns the delivery queue, so this service depends on nothing. */
  watchQueueDepth(read: () => Promise<number>): void {
    new Gauge({
      name: 'twofold_delivery_queue_depth',
      help: 'Messages waiting to be sent or being sent.',
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }

  secondFactorAttempt(realm: string, method: string, outcome: SecondFactorOutcome): void {
    this.secondFactorAttempts.inc({ realm, method, outcome });
  }

  delivery(channel: string, status: string): void {
    this.deliveries.inc({ channel, status });
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }
}
