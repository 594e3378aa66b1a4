import { BadRequestException, Body, Controller, Get, Inject, Injectable, NotFoundException, Param, Put, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { z } from 'zod';
import { OperatorAccessGuard } from '../../../http/operator-access.guard.js';
import { PLATFORM } from '../../../http/platform.token.js';
import type { Platform } from '../../../platform/platform.js';
import { isDeviceId, isPrincipalId } from '../../../protocol/ids.js';
import { TicketMerchantList } from './merchant-list.js';
import type { TicketMerchantEntity } from '../persistence/ticket-merchant.entity.js';

/**
 * The platform the HTTP application runs for. The plugin's Nest module is created before the platform exists and is
 * imported by the HTTP module, whose PLATFORM provider it cannot see directly: it is looked up across modules.
 */
function platformOf(moduleRef: ModuleRef): Platform {
  return moduleRef.get<Platform>(PLATFORM, { strict: false });
}

/** The operator token, as for every `/api/*` route (operator-access.guard.ts). */
@Injectable()
export class TicketOperatorGuard implements CanActivate {
  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  canActivate(context: ExecutionContext): boolean {
    return new OperatorAccessGuard(platformOf(this.moduleRef)).canActivate(context);
  }
}

const entryBody = z.object({ gateId: z.string().refine(isDeviceId, 'must be a gate device ID').nullable().optional() }).strict();

/**
 * The operator's hand on the merchant list 5302 ([1632]): which merchants (all their gates, or one gate) may set a gate
 * up for a ticket code. The ticket code must exist (its management information is made on the first sale).
 * `PUT /api/tickets/:ticketCode/merchants/:merchantId` (`{gateId?}`), `GET /api/tickets/:ticketCode/merchants`.
 */
@Controller('api/tickets')
@UseGuards(TicketOperatorGuard)
export class TicketMerchantListController {
  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  @Put(':ticketCode/merchants/:merchantId')
  async add(@Param('ticketCode') ticketCode: string, @Param('merchantId') merchantId: string, @Body() body: unknown): Promise<{ ticketCode: string; merchantId: string; gateId: string | null }> {
    const parsed = entryBody.safeParse(body ?? {});
    if (!parsed.success) throw new BadRequestException(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    if (!isPrincipalId(merchantId) || !merchantId.startsWith('mer:')) throw new BadRequestException(`${merchantId} is not a merchant ID`);
    const platform = platformOf(this.moduleRef);
    const entry = { ticketCode, merchantId, gateId: parsed.data.gateId ?? null };
    try {
      await new TicketMerchantList(platform.dataSource, platform.clock).add(entry);
    } catch (error) {
      throw new NotFoundException(error instanceof Error ? error.message : String(error));
    }
    await platform.audit.record({ category: 'operator', reason: 'ticket-merchant-listed', principal: merchantId, message: `${merchantId}${entry.gateId === null ? '' : ` (${entry.gateId})`} put on the merchant list of ${ticketCode}` });
    return entry;
  }

  @Get(':ticketCode/merchants')
  list(@Param('ticketCode') ticketCode: string): Promise<TicketMerchantEntity[]> {
    const platform = platformOf(this.moduleRef);
    return new TicketMerchantList(platform.dataSource, platform.clock).list(ticketCode);
  }
}
