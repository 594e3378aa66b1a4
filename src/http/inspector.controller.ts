import { Controller, Get, Header, Inject, UseGuards, UseInterceptors } from '@nestjs/common';
import { INSPECTOR_JS } from '../inspection/web/assets/bundle.js';
import { INSPECTOR_CSS } from '../inspection/web/assets/inspector.css.js';
import { INSPECTOR_ICON_SVG, inspectorPage } from '../inspection/web/assets/page.html.js';
import type { Platform } from '../platform/platform.js';
import { InspectionAccessGuard } from './inspection-access.guard.js';
import { InspectorHeadersInterceptor } from './inspector-headers.interceptor.js';
import { inspectorTokenFor } from './inspector-token.js';
import { PLATFORM } from './platform.token.js';

/** Where the inspector is mounted. */
export const INSPECTOR_BASE = '/inspect';

/** The inspector's page and its assets, all from memory (the single executable has no asset files beside it). */
@Controller('inspect')
@UseGuards(InspectionAccessGuard)
@UseInterceptors(InspectorHeadersInterceptor)
export class InspectorController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return inspectorPage(INSPECTOR_BASE, inspectorTokenFor(this.platform));
  }

  @Get('assets/inspector.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return INSPECTOR_JS;
  }

  @Get('assets/inspector.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  styles(): string {
    return INSPECTOR_CSS;
  }

  @Get('assets/icon.svg')
  @Header('Content-Type', 'image/svg+xml')
  icon(): string {
    return INSPECTOR_ICON_SVG;
  }
}
