import { z } from 'zod';
import type { DataItem } from '../../../core/data-update/terminal-image.js';
import { INSTRUCTION_CODES } from '../model/ticket-templates.js';

/** Service data key prefix of a gate's examination program pushed by a template modification ([1721]). */
export const EXAMINATION_PROGRAM_KEY_PREFIX = 'ticket.examination-program.';

/** A ticket code's examination program as update data carries it: the examination module of its (new) template. */
export const examinationProgram = z
  .object({
    ticketCode: z.string(),
    templateCode: z.string(),
    moduleId: z.string().min(1).max(64),
    version: z.string().min(1).max(16),
    instruction: z.enum(INSTRUCTION_CODES),
  })
  .strict();
export type ExaminationProgram = z.infer<typeof examinationProgram>;

/** The examination programs in a gate's service data area, by ticket code (entries that do not parse are left out). */
export function examinationPrograms(serviceData: Readonly<Record<string, DataItem>>): Map<string, ExaminationProgram> {
  const programs = new Map<string, ExaminationProgram>();
  for (const [key, item] of Object.entries(serviceData)) {
    if (!key.startsWith(EXAMINATION_PROGRAM_KEY_PREFIX)) continue;
    const parsed = examinationProgram.safeParse(item.value);
    if (parsed.success) programs.set(parsed.data.ticketCode, parsed.data);
  }
  return programs;
}
