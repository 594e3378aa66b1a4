import { Inject, Injectable, NotFoundException, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Platform } from '../platform/platform.js';
import { inspectorTokenFor, tokensMatch } from './inspector-token.js';
import { PLATFORM } from './platform.token.js';

type InspectorRequest = IncomingMessage & { readonly query?: Record<string, unknown> };

/** The token a request presents: `Authorization: Bearer <token>`, or `?token=` (page links and EventSource cannot set headers). */
export function presentedToken(request: InspectorRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] !== undefined) return match[1];
  }
  const query = request.query?.['token'];
  return typeof query === 'string' && query !== '' ? query : undefined;
}

/**
 * Every inspector route (page, assets, API, live events) shows message contents and device state: it needs the operator
 * token. When the configuration turns the inspector off, its routes answer 404 as if they did not exist.
 */
@Injectable()
export class InspectionAccessGuard implements CanActivate {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.platform.config.inspection.enabled) throw new NotFoundException();
    const http = context.switchToHttp();
    const presented = presentedToken(http.getRequest<InspectorRequest>());
    if (presented !== undefined && tokensMatch(presented, inspectorTokenFor(this.platform))) return true;
    http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', 'Bearer realm="tessera-inspector"');
    throw new UnauthorizedException('the inspector needs the operator token (Authorization: Bearer <token>, or ?token=)');
  }
}
