import { parseArgs } from 'node:util';
import { systemClock } from '../../common/clock.js';
import { NodeCryptoBackend } from '../../protocol/crypto/node-backend.js';
import { readCredentialsFile } from '../credentials.js';
import { attachDevice } from '../runtime/attach-device.js';

const USAGE = `usage: tessera-device --credentials FILE [--mqtt-url URL] [--state-file FILE] [--outbox-dir DIR] COMMAND
commands:
  remote-access ADDRESS   request the data at ADDRESS (remote access, [1471]-[1483]), print it and exit
  run                     stay attached and print every downlink until interrupted`;

/** Runs one device of any kind as its own process attached over MQTT. */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { credentials: { type: 'string' }, 'mqtt-url': { type: 'string' }, 'state-file': { type: 'string' }, 'outbox-dir': { type: 'string' }, help: { type: 'boolean' } },
    allowPositionals: true,
  });
  const [command, argument] = positionals;
  if (values.help === true || values.credentials === undefined || command === undefined) {
    console.error(USAGE);
    return values.help === true ? 0 : 2;
  }
  const credentials = readCredentialsFile(values.credentials);
  const { runtime } = await attachDevice(credentials, {
    crypto: new NodeCryptoBackend(),
    clock: systemClock,
    maxSkewMs: 300_000,
    ...(values['mqtt-url'] === undefined ? {} : { mqttUrl: values['mqtt-url'] }),
    ...(values['state-file'] === undefined ? {} : { stateFile: values['state-file'] }),
    ...(values['outbox-dir'] === undefined ? {} : { outboxDir: values['outbox-dir'] }),
    onRefusal: (error) => console.error(`refused downlink: ${error.message}`),
  });
  console.error(`${credentials.deviceId} attached to ${values['mqtt-url'] ?? credentials.mqttUrl}`);
  if (command === 'remote-access') {
    if (argument === undefined) {
      console.error(USAGE);
      await runtime.close();
      return 2;
    }
    const entry = await runtime.remoteAccess(argument);
    console.log(JSON.stringify({ dataAddress: argument, found: entry.found, contentType: entry.contentType, text: entry.contentType.startsWith('text/') ? Buffer.from(entry.data, 'base64').toString('utf8') : undefined, base64: entry.data, state: runtime.state }));
    await runtime.close();
    return entry.found ? 0 : 1;
  }
  if (command === 'run') {
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await runtime.close();
    return 0;
  }
  console.error(USAGE);
  await runtime.close();
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
