/**
 * `npm run emulator`: runs the emulator in the foreground until Ctrl-C.
 *
 * Usage: `node dist/emulator/cli.js [--port N] [--state-file PATH]`. The port also comes from
 * `AUTH0_EMULATOR_PORT` (default 4010); with a state file, changes survive restarts.
 */
import { parseArgs } from "node:util";
import { startEmulator } from "./index";

const DEFAULT_PORT = 4010;

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { port: { type: "string" }, "state-file": { type: "string" } } });
    const rawPort = values.port ?? process.env.AUTH0_EMULATOR_PORT ?? String(DEFAULT_PORT);
    const port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || port > 65_535) throw new Error(`invalid port: ${rawPort}`);

    const emulator = await startEmulator({ port, stateFile: values["state-file"] }).catch(
        (error: NodeJS.ErrnoException) => {
            if (error.code !== "EADDRINUSE") throw error;
            // The usual cause: a second `npm run emulator`. Name the setting that picks another port.
            throw new Error(
                `port ${port} is already in use (another emulator?): stop it, or choose another port with ` +
                    "AUTH0_EMULATOR_PORT=<port> npm run emulator (or --port <port>; 0 picks a free one)",
            );
        },
    );
    const lines = [
        `Auth0 Management API emulator listening on ${emulator.url}`,
        `  clientId:     ${emulator.clientId}`,
        `  clientSecret: ${emulator.clientSecret}`,
        "",
        "Point a stack or the provider at it with:",
        `  AUTH0_DOMAIN=${emulator.url}`,
        `  AUTH0_CLIENT_ID=${emulator.clientId}`,
        `  AUTH0_CLIENT_SECRET=${emulator.clientSecret}`,
        "",
        "Connections:",
        ...emulator.connections().map((c) => `  ${c.id}  ${c.strategy.padEnd(14)} ${c.name}`),
        "",
        "Press Ctrl-C to stop.",
    ];
    console.log(lines.join("\n"));

    const shutdown = (signal: string) => {
        console.log(`${signal} received, stopping the emulator`);
        // Once the server is closed nothing keeps the event loop alive: the process exits with 0.
        void emulator.stop();
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
    console.error(`emulator: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
});
