// Clears the retained messages Tessera leaves on an external broker (device statuses under tessera/#), so a test run
// starts from a clean broker: an SP subscribing to every status would otherwise get all of them at once, and a broker
// with a bounded queue (Mosquitto's max_queued_messages, 1000 by default) drops what follows, uplinks included.
// Usage: node test/helpers/purge-retained.mjs mqtt://127.0.0.1:1883 [username] [password]
import mqtt from 'mqtt';

const [url, username, password] = process.argv.slice(2);
if (url === undefined) {
  console.error('usage: purge-retained.mjs <mqtt-url> [username] [password]');
  process.exit(2);
}
const client = await mqtt.connectAsync(url, { clean: true, reconnectPeriod: 0, clientId: `tessera-purge-${process.pid}`, ...(username ? { username, password } : {}) });
let purged = 0;
let quietTimer;
const done = new Promise((resolve) => {
  const quiet = () => {
    clearTimeout(quietTimer);
    quietTimer = setTimeout(resolve, 1000);
  };
  client.on('message', (topic, payload, packet) => {
    if (!packet.retain || payload.length === 0) return;
    purged += 1;
    client.publish(topic, '', { qos: 1, retain: true });
    quiet();
  });
  quiet();
});
await client.subscribeAsync('tessera/#', { qos: 0 });
await done;
await client.endAsync();
console.log(`purged ${purged} retained message(s) under tessera/# on ${url}`);
