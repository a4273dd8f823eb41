/** Listening for a command that serves until Ctrl-C or SIGTERM: one place for binding, the URL line and a clean stop. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '../core/records.ts';

/** Binds `server`, prints `describe(url)` on stdout, and resolves once a signal has closed it. */
export async function serveUntilStopped(server: Server, host: string, port: number, describe: (origin: string) => string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new InputError('--host/--port', undefined, undefined, `cannot listen on ${host}:${port}: ${e.code ?? e.message}`)));
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  process.stdout.write(`${describe(`http://${host.includes(':') ? `[${host}]` : host}:${bound}`)}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
