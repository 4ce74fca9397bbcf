/**
 * `pulumi-auth0-deny-list emulator`: the local Auth0 Management API emulator in the foreground
 * until Ctrl-C (SIGINT) or SIGTERM, for offline stacks and manual tries. With `--state-file`,
 * its connections survive restarts. `npm run emulator` in a clone runs this command too.
 */
import { startEmulator } from "../emulator";
import type { CliIo } from "./main";

/** Where the emulator listens when neither `--port` nor `AUTH0_EMULATOR_PORT` says. */
export const DEFAULT_EMULATOR_PORT = 4010;

/** The environment variable that sets the port. */
export const PORT_VARIABLE = "AUTH0_EMULATOR_PORT";

/** What `emulator` was asked for. */
export interface EmulatorCommand {
    /** `--port` as given; `AUTH0_EMULATOR_PORT`, then 4010, when absent. */
    port?: string;
    /** `--state-file`: connections are loaded from it when it exists and written back after every change. */
    stateFile?: string;
}

/** A port that cannot be listened on; the message says which and how to pick another. */
export class EmulatorPortError extends Error {
    override name = "EmulatorPortError";
}

/** Serves until a signal stops it, then resolves to exit code 0. */
export async function serveEmulator(command: EmulatorCommand, io: CliIo): Promise<number> {
    const raw = command.port ?? io.env[PORT_VARIABLE] ?? String(DEFAULT_EMULATOR_PORT);
    const port = Number(raw);
    if (!/^\d+$/.test(raw) || port > 65_535) {
        const from = command.port === undefined && io.env[PORT_VARIABLE] !== undefined ? PORT_VARIABLE : "--port";
        throw new EmulatorPortError(`${from} ${JSON.stringify(raw)} is not a port: use a number from 0 to 65535.`);
    }
    const emulator = await startEmulator({ port, stateFile: command.stateFile }).catch(
        (error: NodeJS.ErrnoException) => {
            if (error.code !== "EADDRINUSE") throw error;
            throw new EmulatorPortError(
                `port ${port} is already in use (another emulator?): stop it, or ${otherPort(io.env)}.`,
            );
        },
    );
    // Listening for the signals before saying it is ready: a caller may stop it as soon as it reads that.
    const stopped = new Promise<string>((resolve) => {
        process.once("SIGINT", () => resolve("SIGINT"));
        process.once("SIGTERM", () => resolve("SIGTERM"));
    });
    io.stdout(
        [
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
            "",
        ].join("\n"),
    );
    const signal = await stopped;
    io.stdout(`${signal} received, stopping the emulator\n`);
    await emulator.stop();
    return 0;
}

// How to choose another port, in the terms of the command the reader ran: `npm run emulator` in a
// clone, or the installed package's command.
function otherPort(env: NodeJS.ProcessEnv): string {
    if (env.npm_lifecycle_event === "emulator") {
        return `choose another port with ${PORT_VARIABLE}=<port> npm run emulator (0 picks a free one)`;
    }
    return `choose another port with npx pulumi-auth0-deny-list emulator --port <port> (0 picks a free one)`;
}
