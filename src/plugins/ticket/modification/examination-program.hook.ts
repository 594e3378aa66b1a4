import { In, type DataSource } from 'typeorm';
import type { DataUpdateHook, MirrorChange } from '../../../core/data-update/data-update-hook.js';
import { templateOf } from '../model/ticket-templates.js';
import { TicketManagementEntity } from '../persistence/ticket-management.entity.js';
import { TicketMerchantEntity } from '../persistence/ticket-merchant.entity.js';
import { EXAMINATION_PROGRAM_KEY_PREFIX, examinationProgram, type ExaminationProgram } from './examination-program.js';
import { TicketModificationEntity } from './ticket-modification.entity.js';

/**
 * [1719]-[1722]: the new ticket examination program of a modified ticket code reaches the gates that examine it in
 * their update data (the forcible data update the modification director starts, or any later update): the examination
 * module of the template now in the management information 5300, for each modified ticket code the gate's merchant is
 * listed for (merchant list 5302). The gate puts it in its ticket list 2409.
 */
export function examinationProgramHook(dataSource: DataSource): DataUpdateHook {
  return {
    recordKinds: [],
    verifyRecord: async () => ({ accepted: false, reason: 'the ticket modification adds no records' }),
    async contribute(context) {
      if (context.deviceKind !== 'gate') return [];
      const listed = await dataSource.getRepository(TicketMerchantEntity).findBy({ merchantId: context.ownerId });
      const codes = [...new Set(listed.filter((entry) => entry.gateId === null || entry.gateId === context.deviceId).map((entry) => entry.ticketCode))];
      if (codes.length === 0) return [];
      const modified = new Set((await dataSource.getRepository(TicketModificationEntity).find({ select: { ticketCode: true }, where: { ticketCode: In(codes) } })).map((row) => row.ticketCode));
      const changes: MirrorChange[] = [];
      for (const management of await dataSource.getRepository(TicketManagementEntity).findBy({ ticketCode: In([...modified]) })) {
        const template = templateOf(management.templateCode);
        if (template === undefined) continue;
        const program: ExaminationProgram = { ticketCode: management.ticketCode, templateCode: template.templateCode, moduleId: template.examinationModule.moduleId, version: template.examinationModule.version, instruction: template.examinationModule.instruction };
        const key = `${EXAMINATION_PROGRAM_KEY_PREFIX}${management.ticketCode}`;
        const held = examinationProgram.safeParse(context.mirror.serviceData[key]?.value);
        if (held.success && held.data.templateCode === program.templateCode && held.data.instruction === program.instruction && held.data.moduleId === program.moduleId && held.data.version === program.version) continue;
        changes.push({ area: 'serviceData', key, item: { value: { ...program }, accessedAt: context.now } });
      }
      return changes;
    },
  };
}
