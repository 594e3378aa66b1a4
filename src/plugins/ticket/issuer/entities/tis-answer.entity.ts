import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../../../../persistence/columns.js';

/**
 * The answer given to one request (`<message type>:<customer or transaction>:<request number>`), so a request the SP
 * sends again is answered the same and changes nothing twice. Bytes inside are base64.
 */
@Entity('tis_answers')
export class TisAnswer {
  @PrimaryColumn('varchar', { length: 240 }) requestKey!: string;
  @Column('varchar', { length: 64 }) answerType!: string;
  @Column('text', { transformer: jsonText }) fields!: unknown;
  @Column('bigint', { transformer: bigintNumber }) answeredAt!: number;
}
