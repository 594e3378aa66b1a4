import { BadRequestException, Body, Controller, Delete, Get, Inject, NotFoundException, Param, Post, Put, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { jsonValue, updateOptionCode } from '../core/data-update/terminal-image.js';
import { DeviceEntity, TerminalMirrorEntity } from '../persistence/entities/index.js';
import type { Platform } from '../platform/platform.js';
import { PLATFORM } from './platform.token.js';
import { OperatorAccessGuard } from './operator-access.guard.js';

const forcibleBody = z
  .object({ deviceIds: z.array(z.string()).max(10_000).optional(), kind: z.string().optional(), ownerId: z.string().optional(), optionCode: updateOptionCode.optional() })
  .strict();

/** The operator's view of network hierarchical storage: terminals, mirror divergence, expirations, forcible updates. */
@Controller('api/terminals')
@UseGuards(OperatorAccessGuard)
export class TerminalsController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get()
  async list() {
    const devices = await this.platform.dataSource.getRepository(DeviceEntity).find({ order: { id: 'ASC' } });
    const mirrors = new Map((await this.platform.dataSource.getRepository(TerminalMirrorEntity).find()).map((mirror) => [mirror.deviceId, mirror]));
    return devices.map((device) => {
      const mirror = mirrors.get(device.id);
      return {
        id: device.id,
        kind: device.kind,
        ownerId: device.ownerId,
        status: device.status,
        lastSeenAt: device.lastSeenAt,
        lastUpdateAt: mirror?.lastUpdateAt ?? null,
        nextUpdateAt: mirror?.nextUpdateAt ?? null,
        updates: mirror?.updates ?? 0,
        divergence: mirror?.divergence ?? null,
        programVersion: mirror?.image.programVersion ?? null,
        serviceDataItems: Object.keys(mirror?.image.serviceData ?? {}).length,
        residentItems: mirror?.image.residentKeys.length ?? 0,
      };
    });
  }

  /** The mandatory-expiration log: every terminal halted, when and why. */
  @Get('expirations')
  async expirations() {
    const alerts = await this.platform.audit.list(1000, 'alert');
    return alerts.filter((alert) => alert.reason === 'mandatory-expiration');
  }

  @Post('forcible-update')
  async forcibleUpdate(@Body() body: unknown) {
    const parsed = forcibleBody.safeParse(body ?? {});
    if (!parsed.success) throw new BadRequestException(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    const { deviceIds, kind, ownerId, optionCode } = parsed.data;
    const devices = await this.platform.dataSource.getRepository(DeviceEntity).find();
    const chosen = devices.filter((device) => (deviceIds === undefined || deviceIds.includes(device.id)) && (kind === undefined || device.kind === kind) && (ownerId === undefined || device.ownerId === ownerId));
    if (chosen.length === 0) throw new NotFoundException('no terminal matches');
    const processGroups = await this.platform.forcibleUpdate(chosen.map((device) => device.id), optionCode ?? 4);
    await this.platform.audit.record({ category: 'operator', reason: 'forcible-update', message: `forcible data update of ${processGroups.length} terminal(s)`, detail: { processGroups } });
    return { processGroups };
  }

  /** Sets one entry of a terminal's service data area (e.g. changed contract terms); a forcible update delivers it. */
  @Put(':id/service-data/:key')
  async putServiceData(@Param('id') id: string, @Param('key') key: string, @Body() body: { value?: unknown }) {
    const value = jsonValue.safeParse(body?.value);
    if (!value.success) throw new BadRequestException('value: must be JSON');
    if ((await this.platform.identity.device(id)) === null) throw new NotFoundException(`no terminal ${id}`);
    await this.platform.mirror.putServiceData(id, key, { value: value.data, accessedAt: this.platform.clock.now() });
    return { id, key };
  }

  @Delete(':id/service-data/:key')
  async deleteServiceData(@Param('id') id: string, @Param('key') key: string) {
    await this.platform.mirror.putServiceData(id, key, null);
    return { id, key };
  }
}
