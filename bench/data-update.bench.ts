import { systemClock } from '../src/common/clock.js';
import { DATA_UPDATE_MESSAGES } from '../src/core/data-update/data-update.messages.js';
import { toPackets } from '../src/core/data-update/packets.js';
import type { UploadContent } from '../src/core/data-update/terminal-image.js';
import { RawTerminal } from '../src/devices/scripted/scripted-terminal.js';
import { Enrolment } from '../src/platform/enrolment.js';
import { MessageCodec } from '../src/protocol/codec.js';
import { generatePrincipalKeys } from '../src/protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../src/protocol/crypto/node-backend.js';
import { Envelope } from '../src/protocol/envelope.js';
import type { PrincipalId } from '../src/protocol/ids.js';
import { MessageRegistry } from '../src/protocol/message-registry.js';
import { measure, measureAsync, percentile, printTable, type BenchModule, type Measurement } from './bench-kit.js';
import { startBenchPlatform } from './bench-platform.js';

const TERMINALS = Number(process.env['BENCH_TERMINALS'] ?? 1000);
const IN_FLIGHT = Number(process.env['BENCH_IN_FLIGHT'] ?? 32);

/** Measures one sealed message both ways (compose + receive) with the node backend: the unit of the crypto floor. */
async function messageCryptoCostUs(): Promise<Measurement[]> {
  const crypto = new NodeCryptoBackend();
  const registry = new MessageRegistry().register(...DATA_UPDATE_MESSAGES);
  const codec = new MessageCodec(new Envelope(crypto), registry, systemClock, { maxSkewMs: 300_000, numberRetentionMs: 86_400_000 });
  const sender = generatePrincipalKeys(crypto);
  const recipient = generatePrincipalKeys(crypto);
  const from = 'dev:gate:bench' as PrincipalId;
  const to = 'sp:bench' as PrincipalId;
  const definition = codec.definition('dataUpdateRequest');
  const fields = { terminalId: 'dev:gate:bench', merchantId: 'mer:bench' };
  const frames: Uint8Array[] = [];
  const compose = measure('seal: sign + seal one message', () => frames.push(codec.compose(definition, { from, to, fields }, [{ kid: from, secretKey: sender.signing.secretKey }], recipient.sealing.publicKey).bytes), { maxOps: 3000, maxMs: 1500, warmupOps: 50 });
  let index = 0;
  const keys = { signingKey: () => ({ usable: true as const, publicKey: sender.signing.publicKey, holder: from }) };
  const me = { id: to, sealingSecretKey: recipient.sealing.secretKey, sealingPublicKey: recipient.sealing.publicKey };
  const open = await measureAsync('open: open + verify one message', async () => {
    const frame = frames[index++ % frames.length] as Uint8Array;
    await codec.receive(frame, me, keys, { remember: () => true });
  }, { maxOps: Math.min(3000, frames.length), maxMs: 1500, warmupOps: 0 });
  return [compose, open];
}

/**
 * Data updates the service providing system sustains with N terminals attached over MQTT, each running one complete
 * session (request, request response, upload, update data), IN_FLIGHT at a time; round trip median and p99; and the
 * ratio to the crypto floor: the seals, opens and signature checks of the session's four messages, measured here.
 */
export const dataUpdateBench: BenchModule = {
  name: 'data-update',
  async run() {
    const [compose, open] = (await messageCryptoCostUs()) as [Measurement, Measurement];
    const bench = await startBenchPlatform('dataupdate');
    const { platform } = bench;
    const terminals: RawTerminal[] = [];
    try {
      const enrol = new Enrolment(platform);
      const merchant = await enrol.merchant('bench');
      const attachStarted = performance.now();
      for (let index = 0; index < TERMINALS; index += 1) {
        const credentials = await enrol.merchantDevice(merchant as `mer:${string}`, 'gate', `g${index}`);
        terminals.push(await RawTerminal.attach(credentials, platform.mqttUrl));
      }
      const attachSeconds = (performance.now() - attachStarted) / 1000;
      const digest = platform.mirror.digest({});
      const latencies: number[] = [];
      let next = 0;
      const runOne = async (terminal: RawTerminal): Promise<void> => {
        const started = performance.now();
        const before = terminal.received.length;
        await terminal.send(terminal.compose('dataUpdateRequest', terminal.party));
        const response = await terminal.next('dataUpdateRequestResponse', before, 60_000);
        const upload: UploadContent = { optionCode: 2, basicProgram: { version: '1.0.0' }, serviceDataDigest: digest, serviceData: null, accessTimes: {}, userArea: {}, records: [], batteryLevel: 80 };
        const [packet] = toPackets({ ...upload, optionCode: (response.fields as { updateOptionCode: 2 }).updateOptionCode });
        await terminal.send(terminal.compose('uploadData', { packetNumber: 1, packetCount: 1, compressedData: packet as Uint8Array, ...terminal.party }, { pg: response.pg as string }));
        await terminal.until((message) => message.pg === response.pg && message.type === 'updateData', 'update data', 60_000);
        latencies.push((performance.now() - started) * 1000);
      };
      const started = performance.now();
      await Promise.all(
        Array.from({ length: Math.min(IN_FLIGHT, terminals.length) }, async () => {
          while (next < terminals.length) await runOne(terminals[next++] as RawTerminal);
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const perSecond = terminals.length / seconds;
      const floorUsPerUpdate = 4 * (compose.medianUs + open.medianUs);
      const floorPerSecond = 1e6 / floorUsPerUpdate;
      printTable('data update: crypto floor per message (node backend; µs)', [compose, open]);
      console.log(`\ndata updates with ${terminals.length} gate terminals attached over MQTT (embedded broker, SQLite; ${IN_FLIGHT} sessions in flight; attached in ${attachSeconds.toFixed(1)} s)`);
      console.log(`  sustained     ${perSecond.toFixed(1)} data updates/s (${terminals.length} sessions in ${seconds.toFixed(1)} s)`);
      console.log(`  round trip    median ${(percentile(latencies, 0.5) / 1000).toFixed(2)} ms, p99 ${(percentile(latencies, 0.99) / 1000).toFixed(2)} ms (request to update data, queueing included)`);
      console.log(`  crypto floor  ${floorPerSecond.toFixed(1)} updates/s: 4 messages x (seal ${compose.medianUs.toFixed(0)} us + open ${open.medianUs.toFixed(0)} us), terminal and SP sides both in this process`);
      const ratio = perSecond / floorPerSecond;
      console.log(`  ratio         ${(ratio * 100).toFixed(1)}% of the crypto floor (${ratio >= 0.5 ? 'within' : 'BELOW'} target: at least 50%)`);
    } finally {
      for (const terminal of terminals) await terminal.close();
      await bench.close();
    }
  },
};
