import { Module, type DynamicModule } from '@nestjs/common';
import type { Platform } from '../platform/platform.js';
import { InspectionAccessGuard } from './inspection-access.guard.js';
import { InspectorApiController } from './inspector-api.controller.js';
import { InspectorEventsController } from './inspector-events.controller.js';
import { InspectorController } from './inspector.controller.js';
import { InspectorService } from './inspector.service.js';
import { PLATFORM } from './platform.token.js';

/** The state-machine inspector: page, API and live feed under /inspect, every route behind the operator token. */
@Module({})
export class InspectorModule {
  static forPlatform(platform: Platform): DynamicModule {
    return {
      module: InspectorModule,
      controllers: [InspectorController, InspectorApiController, InspectorEventsController],
      providers: [{ provide: PLATFORM, useValue: platform }, InspectorService, InspectionAccessGuard],
    };
  }
}
