import { Controller, Get, Inject } from '@nestjs/common';
import type { Platform } from '../platform/platform.js';
import { PLATFORM } from './platform.token.js';

@Controller()
export class HealthController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  /** Liveness and where things are: for operators, CI and load balancers. */
  @Get('health')
  async health(): Promise<Record<string, unknown>> {
    await this.platform.dataSource.query('SELECT 1');
    return {
      status: 'ok',
      sp: this.platform.spId,
      mqtt: { url: this.platform.mqttUrl, embedded: this.platform.embeddedBroker !== undefined, connected: this.platform.brokerLink.connected },
      database: this.platform.dataSource.options.type,
      plugins: this.platform.plugins.map((plugin) => plugin.descriptor.code),
      liveActors: this.platform.actors.liveCount(),
    };
  }
}
