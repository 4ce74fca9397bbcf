/**
 * Pulumi's gRPC protocol as the project's `@pulumi/pulumi` (a peer dependency) ships it: the
 * generated messages and services, and the `@grpc/grpc-js` and `google-protobuf` copies they were
 * generated against. Loaded through `@pulumi/pulumi`'s own resolution, so the server, the services
 * and the messages are one copy each, whichever way npm laid out the project.
 */
import { createRequire } from "node:module";
import type * as Grpc from "@grpc/grpc-js";
import type * as EngineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as Engine from "@pulumi/pulumi/proto/engine_pb";
import type * as Plugin from "@pulumi/pulumi/proto/plugin_pb";
import type * as ProviderGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as Provider from "@pulumi/pulumi/proto/provider_pb";
import type * as Status from "@pulumi/pulumi/proto/status_pb";
import type * as AnyPb from "google-protobuf/google/protobuf/any_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";

const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));

/** `@grpc/grpc-js`. */
export const grpc: typeof Grpc = fromPulumi("@grpc/grpc-js");
/** The ResourceProvider service and its messages. */
export const providerGrpc: typeof ProviderGrpc = fromPulumi("./proto/provider_grpc_pb");
/** ResourceProvider messages. */
export const provider: typeof Provider = fromPulumi("./proto/provider_pb");
/** PluginInfo and PluginAttach. */
export const plugin: typeof Plugin = fromPulumi("./proto/plugin_pb");
/** The Engine service (Log) a plugin reports diagnostics to. */
export const engineGrpc: typeof EngineGrpc = fromPulumi("./proto/engine_grpc_pb");
/** Engine messages. */
export const engine: typeof Engine = fromPulumi("./proto/engine_pb");
/** google.rpc.Status, the carrier of error details. */
export const status: typeof Status = fromPulumi("./proto/status_pb");
/** google.protobuf.Struct, the carrier of every property bag. */
export const struct: typeof StructPb = fromPulumi("google-protobuf/google/protobuf/struct_pb");
/** google.protobuf.Empty. */
export const empty: typeof EmptyPb = fromPulumi("google-protobuf/google/protobuf/empty_pb");
/** google.protobuf.Any, which packs error details. */
export const any: typeof AnyPb = fromPulumi("google-protobuf/google/protobuf/any_pb");

/**
 * The largest message either side accepts: the engine's own limit (400 MiB, `maxRPCMessageSize`
 * in sdk/go/common/util/rpcutil/serve.go), far above grpc-js's 4 MiB default, which a
 * TenantDenyList's state on a big tenant could approach.
 */
export const CHANNEL_OPTIONS = {
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
    "grpc.max_send_message_length": 400 * 1024 * 1024,
};
