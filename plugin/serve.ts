/**
 * Starts the plugin the way the engine expects a resource plugin to start: a ResourceProvider gRPC
 * server on a free loopback port, whose number is the first line on stdout (the engine reads it
 * before anything else, sdk/go/common/resource/plugin/plugin.go), and the engine's address as the
 * command line's first argument besides the logging flags the engine may put before it.
 */
import { createRequire } from "node:module";
import type { UntypedServiceImplementation } from "@grpc/grpc-js";
import { Diagnostics } from "./diagnostics";
import { ProviderLogic } from "./operation";
import { CHANNEL_OPTIONS, grpc, providerGrpc } from "./protocol";
import { resourceProviderService } from "./service";

/** A running plugin. */
export interface Serving {
    /** The port it listens on (127.0.0.1). */
    port: number;
    /** Stops serving once the calls in flight have been answered. */
    stop(): Promise<void>;
}

/**
 * Serves the provider with `args` as the engine passes them (`[--logtostderr] [-v=N] [--tracing
 * <endpoint>] [engine address]`), printing the port to `stdout` first.
 */
export async function serve(
    args: readonly string[] = process.argv.slice(2),
    env: NodeJS.ProcessEnv = process.env,
    stdout: NodeJS.WritableStream = process.stdout,
): Promise<Serving> {
    const diagnostics = new Diagnostics();
    const engineAddress = engineAddressOf(args);
    if (engineAddress) diagnostics.connect(engineAddress);
    const logic = new ProviderLogic((line) => diagnostics.line(line), env);
    const service = resourceProviderService({ logic, diagnostics, version: packageVersion(), env });
    const server = new grpc.Server(CHANNEL_OPTIONS);
    // grpc-js answers UNIMPLEMENTED for the calls the service leaves out.
    server.addService(providerGrpc.ResourceProviderService, service as UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) => {
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
            error ? reject(error) : resolve(bound),
        );
    });
    stdout.write(`${port}\n`);
    return {
        port,
        stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
    };
}

// The flags the engine may pass before the address (`buildPluginArguments`, plugin.go), skipped as
// @pulumi/pulumi's own provider server skips them (provider/internals.ts `parseArgs`).
function engineAddressOf(args: readonly string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--tracing") i++;
        else if (args[i] !== "--logtostderr" && !args[i].startsWith("-v=")) return args[i];
    }
    return undefined;
}

// The installed package's version, read through its own name (package.json is an export).
function packageVersion(): string {
    return createRequire(__filename)("pulumi-auth0-deny-list/package.json").version;
}
