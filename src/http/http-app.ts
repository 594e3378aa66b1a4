import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Platform } from '../platform/platform.js';
import { HealthController } from './health.controller.js';
import { InspectorModule } from './inspector.module.js';
import { OperatorController } from './operator.controller.js';
import { PartiesController } from './parties.controller.js';
import { TerminalsController } from './terminals.controller.js';
import { PLATFORM } from './platform.token.js';

@Module({})
class HttpModule {
  static forPlatform(platform: Platform): DynamicModule {
    return {
      module: HttpModule,
      imports: [...platform.plugins.map((plugin) => plugin.module), InspectorModule.forPlatform(platform)],
      controllers: [HealthController, OperatorController, PartiesController, TerminalsController],
      providers: [{ provide: PLATFORM, useValue: platform }],
    };
  }
}

/** The Nest HTTP application around a started platform: health, operator API, the inspector, and each plugin's module. */
export async function createHttpApp(platform: Platform): Promise<INestApplication> {
  const app = await NestFactory.create(HttpModule.forPlatform(platform), { logger: ['error', 'warn'], abortOnError: false });
  return app;
}
