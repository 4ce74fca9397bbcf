/**
 * Ownership held by random sequences of Pulumi commands, program changes and out-of-band tenant
 * changes (ownership-model.ts), through the dynamic providers and through the provider plugin:
 * 200 sequences each in `npm test`; `npm run soak` runs thousands.
 */
import { checkOwnership, DYNAMIC, PLUGIN } from "./ownership-model";

describe("ownership under random sequences of Pulumi commands (model-based)", function () {
    this.timeout(120_000);

    for (const driver of [DYNAMIC, PLUGIN]) {
        it(`200 sequences through the ${driver.name}, each command in a new provider host, break no invariant (I1–I6)`, async () => {
            await checkOwnership({ driver, runs: 200 });
        });
    }
});
