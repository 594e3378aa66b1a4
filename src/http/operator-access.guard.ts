import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Platform } from '../platform/platform.js';
import { presentedToken } from './inspection-access.guard.js';
import { inspectorTokenFor, tokensMatch } from './inspector-token.js';
import { PLATFORM } from './platform.token.js';

/**
 * The operator API (`/api/*`) enrols parties, forces updates and edits terminal data: it needs the operator token,
 * the same one the inspector takes (`Authorization: Bearer <token>`), whether or not the inspector is enabled.
 */
@Injectable()
export class OperatorAccessGuard implements CanActivate {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const presented = presentedToken(http.getRequest<IncomingMessage & { query?: Record<string, unknown> }>());
    if (presented !== undefined && tokensMatch(presented, inspectorTokenFor(this.platform))) return true;
    http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', 'Bearer realm="tessera-operator"');
    throw new UnauthorizedException('the operator API needs the operator token (Authorization: Bearer <token>)');
  }
}
