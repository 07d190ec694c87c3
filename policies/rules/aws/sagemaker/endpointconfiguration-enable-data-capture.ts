/** SageMaker endpoints must capture inference inputs, encrypted, for monitoring. */
import * as aws from "@pulumi/aws";
import { type Finding, UNKNOWN, resourceRule } from "../../../framework/rule";
import { asList, get, isKnownMissingKey } from "../../../framework/values";


const INPUT_MODES = new Set(["Input", "InputAndOutput"]);

export const sagemakerEndpointConfigEnableDataCapture = resourceRule({
    name: "aws-sagemaker-endpointconfiguration-enable-data-capture",
    description:
        "SageMaker endpoint configurations must enable data capture (`dataCaptureConfig.enableCapture: true`) with a capture option that records inputs (`Input` or `InputAndOutput`), a sampling percentage above zero and a customer-managed `kmsKeyId` for the captured data, so inference requests can be monitored for misuse and drift and investigated after an incident.",
    clauses: ["OM-2", "OM-1", "P12"],
    severity: "high",
    enforcementLevel: "mandatory",
    classes: [aws.sagemaker.EndpointConfiguration],
    remediationSteps:
        'Set `dataCaptureConfig: { enableCapture: true, initialSamplingPercentage: <1-100>, destinationS3Uri: "s3://<inference-capture bucket>/", kmsKeyId: <key ARN>, captureOptions: [{ captureMode: "Input" }, { captureMode: "Output" }] }`.',
    url: "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html",
    onUnknown:
        "Reports nothing for each part of `dataCaptureConfig` that is unknown at preview (the whole block, `enableCapture`, the capture options, the sampling percentage or the key); the known parts are still checked and everything is checked again at update.",
    check({ props }): Finding[] {
        const cfg = props.dataCaptureConfig;
        if (cfg === UNKNOWN) return [];
        if (cfg === undefined || cfg === null) return [{ message: "dataCaptureConfig is not set to a customer-managed key; inference inputs are not captured" }];
        const findings: Finding[] = [];
        const enabled = get(cfg, "enableCapture");
        if (enabled !== true && enabled !== UNKNOWN) findings.push({ message: "dataCaptureConfig.enableCapture is not true (the provider's default is false)" });
        const options = asList(get(cfg, "captureOptions"));
        if (options !== UNKNOWN) {
            const modes = options.map((o) => get(o, "captureMode"));
            if (!modes.includes(UNKNOWN) && !modes.some((m) => INPUT_MODES.has(m as string))) {
                findings.push({ message: "dataCaptureConfig.captureOptions does not capture Input (add captureMode Input or InputAndOutput)" });
            }
        }
        const pct = get(cfg, "initialSamplingPercentage");
        if (pct !== UNKNOWN && !(typeof pct === "number" && pct > 0)) findings.push({ message: `dataCaptureConfig.initialSamplingPercentage is ${String(pct)}; it must be greater than 0` });
        if (isKnownMissingKey(get(cfg, "kmsKeyId"))) findings.push({ message: "dataCaptureConfig.kmsKeyId is not set to a customer-managed key; captured requests are not encrypted with your key" });
        return findings;
    },
});
