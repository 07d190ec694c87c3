/**
 * What the example platform provisions, in a few lines derived from its recorded registrations.
 * `aiguard demo` (`npm start`) prints it above the pack's verdict on the platform. It reads only the
 * registrations and the tagging contract (common/conventions), never the example program itself.
 */
import { TagKeys } from "../../common/conventions";
import type { RecordedResource } from "../../offline/recording-mocks";

type Props = Record<string, any>;

const count = (rs: readonly RecordedResource[], type: string) => rs.filter((r) => r.type === type);
const tag = (r: RecordedResource, key: string): string | undefined => (r.inputs.tags as Props | undefined)?.[key];
const plural = (n: number, word: string) => `${n} ${n === 1 ? word : /[^aeiou]y$/.test(word) ? word.slice(0, -1) + "ies" : word + "s"}`;

/** What the recorded platform provisions, as lines of text (derived from the registrations, nothing fixed). */
export function summarise(rs: readonly RecordedResource[]): string[] {
    const vpcs = count(rs, "aws:ec2/vpc:Vpc");
    const subnets = count(rs, "aws:ec2/subnet:Subnet");
    const azs = [...new Set(subnets.map((s) => String(s.inputs.availabilityZone)))].sort();
    const endpoints = count(rs, "aws:ec2/vpcEndpoint:VpcEndpoint");
    const forbidden = ["internetGateway:InternetGateway", "natGateway:NatGateway", "vpcPeeringConnection:VpcPeeringConnection", "eip:Eip"]
        .filter((t) => count(rs, `aws:ec2/${t}`).length > 0);
    const buckets = count(rs, "aws:s3/bucket:Bucket");
    const stores = buckets.filter((b) => ["model-store", "dataset-store", "inference-capture"].includes(tag(b, TagKeys.assetKind) ?? ""));
    const kmsSse = count(rs, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
        .filter((c) => JSON.stringify(c.inputs.rules).includes('"aws:kms"')).length;
    const locks = count(rs, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
    const keys = count(rs, "aws:kms/key:Key");
    const rotating = keys.filter((k) => k.inputs.enableKeyRotation === true).length;
    const roles = count(rs, "aws:iam/role:Role");
    const conditioned = roles.filter((r) => /aws:Source(Account|Arn|OrgID)/.test(String(r.inputs.assumeRolePolicy))).length;
    const lag = count(rs, "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault");
    const lock = count(rs, "aws:backup/vaultLockConfiguration:VaultLockConfiguration")[0]?.inputs as Props | undefined;
    const selected = (count(rs, "aws:backup/selection:Selection")[0]?.inputs.resources as string[] | undefined)?.length ?? 0;
    const trail = count(rs, "aws:cloudtrail/trail:Trail")[0]?.inputs as Props | undefined;
    const alarms = count(rs, "aws:cloudwatch/metricAlarm:MetricAlarm").length;
    const nb = count(rs, "aws:sagemaker/notebookInstance:NotebookInstance")[0]?.inputs as Props | undefined;
    const model = count(rs, "aws:sagemaker/model:Model")[0]?.inputs as Props | undefined;
    const epc = count(rs, "aws:sagemaker/endpointConfiguration:EndpointConfiguration")[0]?.inputs as Props | undefined;
    const image = String(model?.primaryContainer?.image ?? "");
    const lines = [
        `Networks   ${plural(vpcs.length, "VPC")} (${vpcs.map((v) => `${tag(v, TagKeys.networkRole)} ${v.inputs.cidrBlock}`).join(", ")}), ` +
            `${plural(subnets.length, "private subnet")} in ${azs.join(", ")}, ${plural(endpoints.length, "VPC endpoint")} with endpoint policies, ` +
            `${plural(count(rs, "aws:ec2/flowLog:FlowLog").length, "flow log")}; ${forbidden.length === 0 ? "no internet gateway, NAT, public IP or peering" : `ALSO: ${forbidden.join(", ")}`}`,
        `Storage    ${plural(stores.length, "AI data store")} (${stores.map((s) => tag(s, TagKeys.assetKind)).join(", ")}) + ${plural(buckets.length - stores.length, "log bucket")}; ` +
            `${kmsSse}/${buckets.length} SSE-KMS (the rest are access-log targets: SSE-S3, as S3 requires), ${count(rs, "aws:s3/bucketVersioning:BucketVersioning").length} versioned, ${count(rs, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").length} public-access blocks, ` +
            `object lock on ${plural(locks.length, "released-model store")}`,
        `Keys       ${plural(keys.length, "customer-managed KMS key")}, rotation on ${rotating}/${keys.length}, deletion window ${[...new Set(keys.map((k) => k.inputs.deletionWindowInDays))].join("/")} days`,
        `Identity   ${plural(roles.length, "IAM role")} with ${plural(count(rs, "aws:iam/rolePolicy:RolePolicy").length, "inline policy")}; ${conditioned}/${roles.length} trust policies conditioned on the source account or ARN`,
        `Backups    vault lock ${lock?.changeableForDays !== undefined ? "compliance mode" : "governance mode"} (${lock?.minRetentionDays}-${lock?.maxRetentionDays} days), ` +
            `${lag.length > 0 ? "copies to a logically air-gapped vault" : "copies to another account's vault"}, ${plural(selected, "store")} selected`,
        `Audit      CloudTrail ${trail?.isMultiRegionTrail ? "multi-region" : "single-region"}, log-file validation ${trail?.enableLogFileValidation ? "on" : "off"}, KMS, ` +
            `data events on the stores; ${plural(alarms, "tamper alarm")}`,
        `SageMaker  notebook (direct internet ${nb?.directInternetAccess}, root ${nb?.rootAccess}); endpoint with network isolation ${model?.enableNetworkIsolation ? "on" : "off"}, ` +
            `image pinned ${image.includes("@sha256:") ? image.slice(image.indexOf("@") + 1, image.indexOf("@") + 20) + "…" : "NOT pinned"}, ` +
            `data capture ${epc?.dataCaptureConfig?.enableCapture ? `${epc.dataCaptureConfig.initialSamplingPercentage}% of inputs and outputs` : "off"}`,
    ];
    return lines;
}
