/**
 * Where the plugin's warnings and progress lines go: the engine's Log service at the address it
 * passes on the command line and in Handshake, so the CLI shows them as diagnostics, attached to
 * the resource when one is named. A resource plugin's stdout and stderr are not a channel: the
 * engine logs them at debug level only (`unstructuredOutput`, sdk/go/common/resource/plugin/plugin.go,
 * pulumi/pulumi v3.248.0). Without an engine, or when a Log call fails, a line goes to stderr.
 */
import type { Client } from "@grpc/grpc-js";
import type { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { CHANNEL_OPTIONS, engine, engineGrpc, grpc } from "./protocol";

/** How serious a diagnostic is. */
export type Severity = "info" | "warning";

// A Log call that takes longer than this counts as failed: the line goes to stderr instead.
const LOG_DEADLINE_MS = 5_000;

/** The engine's log, or stderr. Lines keep their order. */
export class Diagnostics {
    private client?: EngineClient;
    private address?: string;
    private last: Promise<void> = Promise.resolve();

    constructor(private readonly fallback: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

    /** Sends from now on to the engine at `address` (host:port). */
    connect(address: string): void {
        if (address === this.address) return;
        (this.client as Client | undefined)?.close();
        this.address = address;
        this.client = new engineGrpc.EngineClient(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    }

    /** Logs `message`, attached to the resource `urn` when given. */
    log(severity: Severity, message: string, urn = ""): void {
        this.last = this.last.then(() => this.send(severity, message, urn));
    }

    /**
     * A line from the provider logic (host context): warnings start with "warning: ", the rest
     * (waits, progress) is information.
     */
    line(text: string): void {
        const warning = /^warning: /.exec(text);
        this.log(warning ? "warning" : "info", warning ? text.slice(warning[0].length) : text);
    }

    /** Resolves once every line logged so far was delivered (or fell back to stderr). */
    flush(): Promise<void> {
        return this.last;
    }

    private send(severity: Severity, message: string, urn: string): Promise<void> {
        const client = this.client;
        if (!client) {
            this.fallback(`${severity}: ${message}`);
            return Promise.resolve();
        }
        const request = new engine.LogRequest();
        request.setSeverity(SEVERITIES[severity]);
        request.setMessage(message);
        request.setUrn(urn);
        return new Promise((resolve) => {
            const deadline = new Date(Date.now() + LOG_DEADLINE_MS);
            client.log(request, new grpc.Metadata(), { deadline }, (error) => {
                if (error) this.fallback(`${severity}: ${message}`);
                resolve();
            });
        });
    }
}

const SEVERITIES = {
    info: engine.LogSeverity.INFO,
    warning: engine.LogSeverity.WARNING,
} as const;
