// Proves every listen failure becomes one line that names the setting to change.
import { describeListenError } from './listen-error.js';

const failure = (code: string, message = `listen ${code}`): Error => Object.assign(new Error(message), { code });

describe('describeListenError', () => {
  it.each([
    ['EADDRINUSE', '127.0.0.1', 1884, 'mqtt.embedded.port: 127.0.0.1:1884 is already in use (EADDRINUSE); set TESSERA_MQTT_PORT or mqtt.embedded.port to a free port, or point mqtt.url at an external broker'],
    ['EACCES', '0.0.0.0', 883, 'mqtt.embedded.port: 0.0.0.0:883 needs privileges to bind (EACCES); set TESSERA_MQTT_PORT or mqtt.embedded.port to a port above 1023, or point mqtt.url at an external broker'],
    ['EADDRNOTAVAIL', '10.9.9.9', 1884, 'mqtt.embedded.host: 10.9.9.9 is not an address of this machine (EADDRNOTAVAIL); set mqtt.embedded.host to a local address such as 127.0.0.1, or point mqtt.url at an external broker'],
    ['EADDRINUSE', '::1', 1884, 'mqtt.embedded.port: [::1]:1884 is already in use (EADDRINUSE); set TESSERA_MQTT_PORT or mqtt.embedded.port to a free port, or point mqtt.url at an external broker'],
  ])('%s on %s:%d', (code, host, port, expected) => {
    const sut = describeListenError(host, port, failure(code));
    expect(sut.message).toBe(expected);
    expect(sut.code).toBe(code);
  });

  it('keeps an unexpected failure on one line', () => {
    const sut = describeListenError('127.0.0.1', 1884, failure('EWHATEVER', 'first line\nsecond line'));
    expect(sut.message).toBe('mqtt.embedded: cannot listen on 127.0.0.1:1884 (first line second line); check mqtt.embedded.host and mqtt.embedded.port, or point mqtt.url at an external broker');
  });
});
