import type { TesseraConfig } from '../src/config/config.schema.js';

/**
 * Tessera's embedded defaults: in-process MQTT broker on 127.0.0.1:1884 (not 1883, which a local Mosquitto often holds),
 * SQLite under data/, HTTP API on 127.0.0.1:8080. Override with a JSON file (TESSERA_CONFIG=path, or config/local.json)
 * or environment variables; see README "Configuration".
 */
export const defaults: TesseraConfig = {
  "sp": {
    "name": "tessera"
  },
  "dataDir": "data",
  "http": {
    "host": "127.0.0.1",
    "port": 8080
  },
  "mqtt": {
    "url": null,
    "username": null,
    "password": null,
    "clientId": "tessera-sp",
    "embedded": {
      "host": "127.0.0.1",
      "port": 1884,
      "outputReaders": {}
    }
  },
  "database": {
    "url": null,
    "sqliteFile": "tessera.sqlite"
  },
  "protocol": {
    "cryptoBackend": "node",
    "maxSkewMs": 300000,
    "numberRetentionMs": 2592000000
  },
  "actors": {
    "idleEvictMs": 30000
  },
  "external": {
    "timeoutMs": 5000,
    "tps": {
      "name": "reference",
      "url": null,
      "embeddedPort": 0
    },
    "inbound": {
      "host": "127.0.0.1",
      "port": 0
    },
    "parties": {}
  },
  "plugins": {
    "ticket": true,
    "payment-card": true,
    "phone-card": true
  },
  "inspection": {
    "enabled": true,
    "token": null
  },
  "dataUpdate": {
    "intervalMs": 86400000,
    "uploadTimeoutMs": 60000,
    "forcibleTimeoutMs": 604800000,
    "programVersion": "1.0.0",
    "fullUploadEvery": 10,
    "capacity": { "mobile": 64, "gate": 256, "merchant": 1024, "vending": 256, "phone-accounting": 256 }
  },
  "demo": {
    "seed": true
  },
  "log": {
    "level": "log"
  }
};
