/** A grpc.health.v1 client for fault tests: what a load balancer would see. */
import * as grpc from '@grpc/grpc-js';
import { loadHealthPackage } from '../../src/server/proto';
import { call, outcomeOf } from './rpc';

type HealthClient = grpc.Client & {
  check(
    req: { service: string },
    options: grpc.CallOptions,
    cb: grpc.requestCallback<{ status: string }>,
  ): void;
};
type HealthPackage = {
  grpc: {
    health: {
      v1: {
        Health: new (a: string, c: grpc.ChannelCredentials, o: grpc.ClientOptions) => HealthClient;
      };
    };
  };
};

export class Health {
  private readonly client: HealthClient;

  constructor(address: string) {
    const pkg = grpc.loadPackageDefinition(loadHealthPackage()) as unknown as HealthPackage;
    this.client = new pkg.grpc.health.v1.Health(address, grpc.credentials.createInsecure(), {
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1000,
    });
  }

  /** SERVING / NOT_SERVING, or the status name of a failed check. */
  async status(): Promise<string> {
    try {
      const deadline = Date.now() + 2000;
      const res = await call<{ status: string }>((cb) =>
        this.client.check({ service: '' }, { deadline }, cb),
      );
      return res.status;
    } catch (err) {
      return outcomeOf(err);
    }
  }

  close(): void {
    this.client.close();
  }
}
