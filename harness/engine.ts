/**
 * The miniature engine the tests, the demo and the bench drive: it lives in testing/engine.ts,
 * where the package's testing entry point uses it too.
 */
export {
    type Declared,
    type EngineHost,
    MiniEngine,
    type StateEntry,
    type Step,
    type Targeting,
} from "../testing/engine";
