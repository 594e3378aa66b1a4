import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { consoleLogger } from './common/console-logger.js';
import { ConfigError, loadConfig } from './config/config.loader.js';
import type { TesseraConfig } from './config/config.schema.js';
import { createHttpApp } from './http/http-app.js';
import { inspectorTokenFor } from './http/inspector-token.js';
import { seedDemoWorld } from './platform/demo-world.js';
import { Platform } from './platform/platform.js';
import { enabledPlugins } from './plugins/plugin.registry.js';

async function listenHttp(app: INestApplication, config: TesseraConfig): Promise<string> {
  try {
    await app.listen(config.http.port, config.http.host);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new ConfigError('http.port', `${config.http.host}:${config.http.port} is already in use (EADDRINUSE); set TESSERA_HTTP_PORT or http.port to a free port`);
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  return `http://${config.http.host}:${address.port}`;
}

/** Starts Tessera: the service providing system with its HTTP API, MQTT broker link and plugins. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = consoleLogger(config.log.level);
  const platform = await Platform.start(config, { logger, plugins: enabledPlugins(config) });
  let app: INestApplication | undefined;
  const shutdown = async (signal: string) => {
    logger.log(`${signal}: stopping`);
    await app?.close();
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    const seeded = config.demo.seed ? await seedDemoWorld(platform, platform.dataSource) : [];
    const redelivered = await platform.resume();
    app = await createHttpApp(platform);
    const httpUrl = await listenHttp(app, config);
    const database = config.database.url === null ? `sqlite ${config.dataDir}/${config.database.sqliteFile}` : 'postgres (DATABASE_URL)';
    console.log(`Tessera ${platform.spId} is up`);
    console.log(`  HTTP API     ${httpUrl}  (GET /health; /api/* needs 'Authorization: Bearer <operator token>', ${config.inspection.token === null ? `in ${config.dataDir}/keys/operator-token` : 'inspection.token'})`);
    if (config.inspection.enabled) {
      // A generated token is printed so the operator can open the inspector; a configured one is not repeated in logs.
      const link = config.inspection.token === null ? `${httpUrl}/inspect?token=${encodeURIComponent(inspectorTokenFor(platform))}` : `${httpUrl}/inspect  (token: inspection.token)`;
      console.log(`  Inspector    ${link}`);
    }
    console.log(`  MQTT broker  ${platform.mqttUrl}${platform.embeddedBroker === undefined ? ' (external)' : ' (embedded)'}`);
    console.log(`  database     ${database}`);
    console.log(`  plugins      ${platform.plugins.map((plugin) => plugin.descriptor.code).join(', ') || 'none'}`);
    if (seeded.length > 0) console.log(`  demo world   device credentials in ${config.dataDir}/devices/ (try: npm run device -- --credentials ${config.dataDir}/devices/alice-phone.json remote-access ${platform.spId}/welcome.txt)`);
    if (redelivered > 0) console.log(`  resumed      ${redelivered} pending outbox message(s)`);
  } catch (error) {
    await app?.close();
    await platform.close();
    throw error;
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || (error instanceof Error && error.name === 'BrokerListenError')) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
