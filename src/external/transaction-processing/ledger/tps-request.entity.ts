import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintColumn } from './integer-column.js';

/**
 * The idempotency record of one request, by (sender, request number): what it asked (fingerprint) and what was
 * answered (response JSON). A resend gets the stored answer; the same number for other content gets `conflict`.
 */
@Entity({ name: 'tps_requests' })
export class TpsRequest {
  @PrimaryColumn({ type: 'varchar', length: 160 }) sender!: string;
  @PrimaryColumn({ name: 'request_number', type: 'varchar', length: 128 }) requestNumber!: string;
  @Column({ name: 'message_type', type: 'varchar', length: 64 }) messageType!: string;
  /** Hex SHA-256 of the message type and the canonical fields. */
  @Column({ type: 'varchar', length: 64 }) fingerprint!: string;
  @Column({ type: 'text' }) response!: string;
  @Column({ name: 'answered_at', type: 'bigint', transformer: bigintColumn }) answeredAt!: number;
}
