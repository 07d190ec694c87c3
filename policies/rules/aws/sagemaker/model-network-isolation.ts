/** SageMaker model containers must run network-isolated. */
import { MODEL_TYPE } from "./images";
import { networkIsolationRule } from "./network-rules";

export const sagemakerModelEnableNetworkIsolation = networkIsolationRule(
    { type: MODEL_TYPE, slug: "model", noun: "SageMaker models" },
    "An isolated inference container cannot make outbound calls, so a compromised or malicious model cannot exfiltrate inputs or fetch code.",
);
