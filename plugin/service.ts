/**
 * The ResourceProvider gRPC service: turns the engine's messages into plain property bags for the
 * provider logic (operation.ts) and its answers back into messages. What each call receives, as
 * pulumi/pulumi v3.248.0 sends it (sdk/go/common/resource/plugin/provider_plugin.go unless noted):
 *
 * - Handshake (first call of a newer engine): the engine address and the plugin's directories.
 *   Answering it commits the plugin to accepting secrets and resources, and to previews.
 * - GetPluginInfo (right after start, pkg/host/host.go), GetSchema (`pulumi package add`).
 * - CheckConfig / DiffConfig: the provider resource's inputs in plaintext; Configure: the same
 *   as `args` with secrets wrapped, plus the provider's URN, name and type (config.ts).
 * - Check: old and new inputs; Diff: old inputs, old outputs and new inputs; Create and Update:
 *   inputs and `preview` (true during `pulumi preview`); Delete: old outputs and inputs;
 *   Read: the id and, on refresh, the old outputs and inputs; on import, the id alone (the
 *   engine's ImportStep, pkg/resource/deploy/step.go).
 * - Cancel: when the user interrupts; nothing here outlives its request, so there is nothing to stop.
 *
 * Calls left out (Parameterize, Invoke, Call, Construct, List, GetMapping(s)) answer UNIMPLEMENTED,
 * which grpc-js does by itself; the engine makes none of them for this package (it is not
 * parameterized and has no functions or components), and GetMapping's UNIMPLEMENTED reads as "no
 * mapping".
 */
import type * as grpcTypes from "@grpc/grpc-js";
import type { IResourceProviderServer } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type { PropertyDiff } from "@pulumi/pulumi/proto/provider_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { checkConfig, configuredCredentials, diffConfig } from "./config";
import { detailedDiff, type PropertyChange, pendingWrites } from "./detailed-diff";
import type { Diagnostics } from "./diagnostics";
import {
    type Diffed,
    type PartialFailure,
    type ProviderLogic,
    partialFailure,
    type ResourceOperation,
} from "./operation";
import { previewCreate, previewUpdate } from "./preview";
import { any, empty, grpc, plugin, provider, status, struct } from "./protocol";
import { DERIVED_OUTPUTS, inputNames, packageSchema, TENANT_DENY_LIST } from "./schema";
import { conceal, type Props, type Revealed, reveal } from "./secrets";

/** What the service works with. */
export interface ServiceContext {
    logic: ProviderLogic;
    diagnostics: Diagnostics;
    /** The package version, reported by GetPluginInfo and in the schema. */
    version: string;
    /** Where `PULUMI_CONFIG` and `AUTH0_*` are read. */
    env: NodeJS.ProcessEnv;
}

/** The handlers of the ResourceProvider service. */
export function resourceProviderService(context: ServiceContext): Partial<IResourceProviderServer> {
    const { logic, diagnostics } = context;
    const unary = <Request, Response>(handle: (request: Request) => Response | Promise<Response>) =>
        handler(diagnostics, handle);
    return {
        handshake: unary((request) => {
            if (request.getEngineAddress()) diagnostics.connect(request.getEngineAddress());
            const response = new provider.ProviderHandshakeResponse();
            response.setAcceptSecrets(true);
            response.setAcceptResources(true);
            return response;
        }),
        attach: unary((request) => {
            diagnostics.connect(request.getAddress());
            return new empty.Empty();
        }),
        getPluginInfo: unary(() => new plugin.PluginInfo().setVersion(context.version)),
        getSchema: unary((request) => {
            if (request.getVersion() !== 0 || request.getSubpackageName()) {
                throw new Error(
                    "This provider has one schema (version 0) and no sub-packages; asked for version " +
                        `${request.getVersion()} of ${JSON.stringify(request.getSubpackageName())}`,
                );
            }
            return new provider.GetSchemaResponse().setSchema(JSON.stringify(packageSchema(context.version)));
        }),
        checkConfig: unary((request) => {
            const { inputs, failures } = checkConfig(props(request.getNews()));
            return checkResponse(inputs, failures);
        }),
        diffConfig: unary((request) => {
            const olds = request.hasOldInputs() ? request.getOldInputs() : request.getOlds();
            const changed = diffConfig(props(olds), props(request.getNews()));
            const response = new provider.DiffResponse();
            response.setChanges(changed.length > 0 ? DIFF.DIFF_SOME : DIFF.DIFF_NONE);
            response.setDiffsList(changed);
            return response;
        }),
        configure: unary((request) => {
            const variables = new Map<string, string>();
            request.getVariablesMap().forEach((value, key) => {
                variables.set(key, value);
            });
            const args = request.hasArgs() ? props(request.getArgs()) : undefined;
            try {
                logic.use(configuredCredentials({ args, variables, name: request.getName() }, context.env));
            } catch (error) {
                // Offline calls and previews need no tenant; the first call that does fails with this.
                logic.use(error as Error);
            }
            const response = new provider.ConfigureResponse();
            response.setAcceptsecrets(true);
            response.setSupportspreview(true);
            response.setAcceptresources(true);
            return response;
        }),
        check: unary(async (request) => {
            const [type, operation] = operationFor(logic, request.getType(), request.getUrn());
            const news = reveal(props(request.getNews()));
            const inputs = inputNames(type) ?? [];
            const strangers = Object.keys(news.values).filter((key) => !inputs.includes(key));
            if (strangers.length > 0) {
                const failures = strangers.map((key) => ({
                    property: key,
                    reason: `${key} is not an input of ${shortName(type)}: it takes ${inputs.join(", ")}`,
                }));
                return checkResponse(props(request.getNews()), failures);
            }
            const checked = await operation.check(news.values);
            if (checked.failures.length === 0) {
                for (const warning of operation.warnings(checked.inputs)) {
                    diagnostics.log("warning", warning, request.getUrn());
                }
            }
            return checkResponse(conceal(checked.inputs, news.secretKeys), checked.failures);
        }),
        diff: unary(async (request) => {
            const [type, operation] = operationFor(logic, request.getType(), request.getUrn());
            const olds = reveal(props(request.getOlds())).values;
            const news = reveal(props(request.getNews())).values;
            const diffed = await operation.diff(request.getUrn(), request.getId(), olds, news);
            const detailed = detailedDiff(inputNames(type) ?? [], olds, news, diffed);
            const pending = type === TENANT_DENY_LIST && diffed.changes ? pendingWrites(olds) : [];
            if (pending.length > 0) {
                diagnostics.log(
                    "info",
                    "The update writes the entries these covered connections lacked at the last refresh: " +
                        pending.join("; "),
                    request.getUrn(),
                );
            }
            return diffResponse(diffed, detailed);
        }),
        create: unary(async (request) => {
            const [type, operation] = operationFor(logic, request.getType(), request.getUrn());
            const news = reveal(props(request.getProperties()));
            const response = new provider.CreateResponse();
            if (request.getPreview()) {
                return response.setProperties(toStruct(concealOutputs(previewCreate(type, news.values), news, type)));
            }
            const created = await writing(news, type, () => operation.create(request.getUrn(), news.values));
            response.setId(created.id);
            return response.setProperties(toStruct(concealOutputs(created.outs, news, type)));
        }),
        read: unary(async (request) => {
            const [type, operation] = operationFor(logic, request.getType(), request.getUrn());
            const state = reveal(props(request.getProperties()));
            const response = new provider.ReadResponse();
            if (Object.keys(state.values).length === 0) {
                // `pulumi import`: the id alone (`ImportStep.Apply`, pkg/resource/deploy/step.go); the
                // answered inputs become the state's and the generated program's, and Check runs on them.
                const adopted = await operation.adopt(request.getUrn(), request.getId());
                response.setId(adopted.id);
                // No properties: the engine fails the import with "resource '<id>' does not exist".
                if (!adopted.id) return response;
                response.setInputs(toStruct(adopted.inputs));
                return response.setProperties(toStruct(adopted.outs));
            }
            const read = await operation.read(request.getId(), state.values);
            response.setId(read.id);
            if (!read.id) return response;
            // A refresh changes what is live, never what the program declared: the inputs stay as stored.
            if (request.hasInputs()) response.setInputs(request.getInputs());
            return response.setProperties(toStruct(concealOutputs(read.outs, state, type)));
        }),
        update: unary(async (request) => {
            const [type, operation] = operationFor(logic, request.getType(), request.getUrn());
            const olds = reveal(props(request.getOlds()));
            const news = reveal(props(request.getNews()));
            const response = new provider.UpdateResponse();
            if (request.getPreview()) {
                const outs = concealOutputs(previewUpdate(type, olds.values, news.values), news, type);
                return response.setProperties(toStruct(conceal(outs, olds.secretKeys)));
            }
            const outs = await writing(news, type, () =>
                operation.update(request.getUrn(), request.getId(), olds.values, news.values),
            );
            return response.setProperties(toStruct(concealOutputs(outs, news, type)));
        }),
        delete: unary(async (request) => {
            const [, operation] = operationFor(logic, request.getType(), request.getUrn());
            await operation.delete(request.getId(), reveal(props(request.getProperties())).values);
            return new empty.Empty();
        }),
        cancel: unary(() => new empty.Empty()),
    };
}

const DIFF = provider.DiffResponse.DiffChanges;
const KINDS: Readonly<Record<PropertyChange, PropertyDiff.Kind>> = {
    add: provider.PropertyDiff.Kind.ADD,
    "add-replace": provider.PropertyDiff.Kind.ADD_REPLACE,
    delete: provider.PropertyDiff.Kind.DELETE,
    "delete-replace": provider.PropertyDiff.Kind.DELETE_REPLACE,
    update: provider.PropertyDiff.Kind.UPDATE,
    "update-replace": provider.PropertyDiff.Kind.UPDATE_REPLACE,
};

/** A create or update that wrote part of what it meant to: recorded by the engine as the resource's state. */
class InitFailed extends Error {
    constructor(
        message: string,
        readonly failure: PartialFailure,
    ) {
        super(message);
    }
}

// A handler of one unary call: its answer, or the error the engine prints (never a stack). The
// diagnostics it logged are delivered first, so the engine shows them before the step's outcome.
function handler<Request, Response>(
    diagnostics: Diagnostics,
    handle: (request: Request) => Response | Promise<Response>,
): grpcTypes.handleUnaryCall<Request, Response> {
    return (call, callback) => {
        Promise.resolve()
            .then(() => handle(call.request))
            .then(
                async (response) => {
                    await diagnostics.flush();
                    callback(null, response);
                },
                async (error) => {
                    await diagnostics.flush();
                    callback(serviceError(error as Error));
                },
            );
    };
}

// A partial failure travels as ErrorResourceInitFailed in the status details, as the engine reads
// it (`parseError`, provider_plugin.go) and @pulumi/pulumi's own server sends it.
function serviceError(error: Error): Partial<grpcTypes.StatusObject> {
    const metadata = new grpc.Metadata();
    if (error instanceof InitFailed) {
        const detail = new provider.ErrorResourceInitFailed();
        detail.setId(error.failure.id);
        detail.setProperties(toStruct(error.failure.properties));
        detail.setReasonsList(error.failure.reasons);
        const packed = new any.Any();
        packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
        const details = new status.Status();
        details.setCode(grpc.status.UNKNOWN);
        details.setMessage(error.message);
        details.addDetails(packed);
        metadata.add("grpc-status-details-bin", Buffer.from(details.serializeBinary()));
    }
    return { code: grpc.status.UNKNOWN, details: error.message, metadata };
}

// Runs a create or update; a partial failure keeps its recorded state, secrets concealed.
async function writing<T>(news: Revealed, type: string, run: () => Promise<T>): Promise<T> {
    try {
        return await run();
    } catch (error) {
        const failure = partialFailure(error);
        if (!failure) throw error;
        const properties = concealOutputs(failure.properties, news, type);
        throw new InitFailed((error as Error).message, { ...failure, properties });
    }
}

// Outputs carrying a secret input, or derived from one, are secret too: the engine leaves that to a
// provider that accepts secrets.
function concealOutputs(outs: Props, inputs: Revealed, type: string): Props {
    const derived = [...inputs.secretKeys].flatMap((key) => DERIVED_OUTPUTS[type]?.[key] ?? []);
    return conceal(outs, [...inputs.secretKeys, ...derived]);
}

function operationFor(logic: ProviderLogic, type: string, urn: string): [string, ResourceOperation] {
    // An engine that sends no type (older ones) still sends the URN: `urn:pulumi:stack::project::[parent$]type::name`.
    const token = type || (urn.split("::")[2] ?? "").split("$").pop() || "";
    const operation = logic.operations.get(token);
    if (!operation) {
        throw new Error(
            `Unknown resource type ${token}: this provider serves ${[...logic.operations.keys()].join(", ")}`,
        );
    }
    return [token, operation];
}

function shortName(type: string): string {
    return type.split(":").pop() ?? type;
}

function props(value: Struct | undefined): Props {
    return (value?.toJavaScript() ?? {}) as Props;
}

// A Struct cannot hold `undefined`: such keys are left out.
function toStruct(value: Props): Struct {
    return struct.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

function checkResponse(inputs: Props, failures: readonly { property: string; reason: string }[]) {
    const response = new provider.CheckResponse();
    response.setInputs(toStruct(inputs));
    response.setFailuresList(
        failures.map((f) => {
            const failure = new provider.CheckFailure();
            failure.setProperty(f.property);
            failure.setReason(f.reason);
            return failure;
        }),
    );
    return response;
}

function diffResponse(diffed: Diffed, detailed: Record<string, PropertyChange>) {
    const response = new provider.DiffResponse();
    response.setChanges(
        diffed.changes === true ? DIFF.DIFF_SOME : diffed.changes === false ? DIFF.DIFF_NONE : DIFF.DIFF_UNKNOWN,
    );
    response.setReplacesList(diffed.replaces);
    response.setStablesList(diffed.stables);
    response.setDeletebeforereplace(diffed.deleteBeforeReplace);
    response.setDiffsList(Object.keys(detailed));
    const map = response.getDetaileddiffMap();
    for (const [path, change] of Object.entries(detailed)) {
        const entry = new provider.PropertyDiff();
        entry.setKind(KINDS[change]);
        entry.setInputdiff(false);
        map.set(path, entry);
    }
    response.setHasdetaileddiff(true);
    return response;
}
